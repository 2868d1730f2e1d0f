import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { OrganisationClaim, Subject } from '@silta/contracts';
import { ROLES, type Principal, type Role } from './principal';

/** The longest a user token may live (from `iat` to `exp`) and the oldest it may be, when not configured: 12 hours. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;

export interface TokenVerifierOptions {
  readonly secret?: string;
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds: a token must carry `iat`, be no older than this, and its `exp` no further than this from `iat`. */
  readonly maxTokenAge?: number;
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
 * from a JWKS URL in deployments. Issuer, audience and expiry are always checked; so are the token's
 * age and lifetime (`iat` required, neither beyond `maxTokenAge`) and the bounds of `sub` and `org`.
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

  private readonly maxTokenAge: number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.maxTokenAge = options.maxTokenAge ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
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
        requiredClaims: ['sub', 'exp', 'iat'],
        maxTokenAge: this.maxTokenAge,
      }));
    } catch (error) {
      throw new InvalidTokenError(`token rejected: ${(error as Error).message}`);
    }
    // maxTokenAge bounds how old a token is; this bounds how long it was made to live, so a
    // ten-year token is refused at once rather than after twelve hours of use.
    if (payload.exp! - payload.iat! > this.maxTokenAge) {
      throw new InvalidTokenError(`token rejected: "exp" is more than ${this.maxTokenAge} s after "iat" (longest lifetime allowed)`);
    }
    const sub = Subject.safeParse(payload.sub);
    if (!sub.success) throw new InvalidTokenError(`token rejected: claim "sub": ${sub.error.issues[0]!.message}`);
    const role = payload.role;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw new InvalidTokenError(`token rejected: claim "role" must be one of ${ROLES.join(', ')}`);
    }
    const org = payload.org;
    if (org !== undefined) {
      const checked = OrganisationClaim.safeParse(org);
      if (!checked.success) throw new InvalidTokenError(`token rejected: claim "org": ${checked.error.issues[0]!.message}`);
    }
    return { principal: { sub: sub.data, role: role as Role, org: org as string | undefined }, exp: payload.exp!, nbf: payload.nbf };
  }
}
