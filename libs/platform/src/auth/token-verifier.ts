import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Principal, type Role } from './principal';

export interface TokenVerifierOptions {
  readonly secret?: string;
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
}

/** Why a token was refused; the message is safe to show the caller. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * Verifies bearer tokens with jose: HS256 with a shared secret for local use, or RS256/ES256 keys
 * from a JWKS URL in deployments. Issuer, audience and expiry are always checked.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly options: TokenVerifierOptions) {
    if (options.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(options.jwksUrl));
      this.algorithms = ['RS256', 'ES256'];
    } else if (options.secret) {
      this.key = new TextEncoder().encode(options.secret);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('TokenVerifier needs a secret or a JWKS URL');
    }
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const verify = jwtVerify as (t: string, k: Uint8Array | JWTVerifyGetKey, o: object) => Promise<{ payload: JWTPayload }>;
      ({ payload } = await verify(token, this.key, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.algorithms,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new InvalidTokenError(`token rejected: ${(error as Error).message}`);
    }
    const role = payload.role;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new InvalidTokenError(`token rejected: claim "role" must be one of ${ROLES.join(', ')}`);
    }
    const org = payload.org;
    if (org !== undefined && typeof org !== 'string') throw new InvalidTokenError('token rejected: claim "org" must be a string');
    return { sub: payload.sub!, role: role as Role, org };
  }
}
