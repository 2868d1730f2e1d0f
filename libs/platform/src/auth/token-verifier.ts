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

/** How many verified tokens each verifier remembers. */
const VERIFIED_CACHE_SIZE = 1000;

/**
 * Verifies bearer tokens with jose: HS256 with a shared secret for local use, or RS256/ES256 keys
 * from a JWKS URL in deployments. Issuer, audience and expiry are always checked.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /**
   * Tokens verified before, with what they proved: a client sends the same token with every
   * request until it expires, so its signature is checked once, not per request. Each use
   * re-checks the token's time window; the oldest entry goes when the cache is full.
   */
  private readonly verified = new Map<string, { principal: Principal; exp: number; nbf: number | undefined }>();

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
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known && known.exp > now && (known.nbf === undefined || known.nbf <= now)) return known.principal;
    this.verified.delete(token);
    const proved = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, proved);
    return proved.principal;
  }

  private async verifySignature(token: string): Promise<{ principal: Principal; exp: number; nbf: number | undefined }> {
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
    return { principal: { sub: payload.sub!, role: role as Role, org }, exp: payload.exp!, nbf: payload.nbf };
  }
}
