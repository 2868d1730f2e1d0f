import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { OrganisationClaim, Subject } from '@silta/contracts';
import { ConfigError, type ServiceConfig } from '../config';
import { CITIZEN_ROLES, ORGANISATION_KINDS_OF_ROLE, ROLES, orgOf, type Principal, type Role } from './principal';
import { loadTrustedIssuers, type TrustedIssuer } from './trusted-issuers';

/** The longest a user token may live (from `iat` to `exp`) and the oldest it may be, when not configured: 12 hours. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;

/** `Principal.issuer` of tokens verified in the HS256 local mode. */
export const LOCAL_ISSUER_NAME = 'local';

/** The HS256 local mode: one process, one shared secret, tokens from `npm run token` and tests. */
export interface LocalModeOptions {
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds: a token must carry `iat`, be no older than this, and its `exp` no further than this from `iat`. */
  readonly maxTokenAge?: number;
}

/** Deployments: the identity providers of the party's trust file, each within its grant. */
export interface TrustedIssuersOptions {
  readonly trustedIssuers: readonly TrustedIssuer[];
  /** Seconds: a token must carry `iat`, be no older than this, and its `exp` no further than this from `iat`. */
  readonly maxTokenAge?: number;
}

export type TokenVerifierOptions = LocalModeOptions | TrustedIssuersOptions;

/** Why a token was refused; the message is safe to show the caller. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** A trusted issuer's keys could not be fetched, so its tokens cannot be checked now: not the caller's fault. */
export class IssuerKeysUnavailableError extends Error {
  constructor(
    readonly issuerName: string,
    cause: unknown,
  ) {
    super(`the keys of issuer ${issuerName} cannot be fetched right now; retry later`, { cause });
    this.name = 'IssuerKeysUnavailableError';
  }
}

/** How many verified tokens each verifier remembers. */
const VERIFIED_CACHE_SIZE = 1000;

/** The most values a role claim array may hold; identity providers put group lists there, not libraries. */
const MAX_ROLE_VALUES = 100;

interface Proved {
  readonly principal: Principal;
  readonly exp: number;
  readonly nbf: number | undefined;
  /** Epoch seconds after which the signature is checked again, so a key the issuer removed stops working. */
  readonly recheckAt: number;
}

/** A trusted issuer with the means to check its signatures. */
interface IssuerVerifier {
  readonly trusted: TrustedIssuer;
  readonly key: JWTVerifyGetKey;
  /** How long a verified token is believed without looking at the issuer's keys again, in seconds. */
  readonly keyRecheckSeconds: number;
}

/**
 * Verifies bearer tokens with jose. With a trust file (deployments): the token's `iss` picks one
 * trusted issuer, whose keys (a JWKS URL, re-fetched on an unknown `kid` and when its cache ages,
 * or static public keys) must verify it with EdDSA, ES256 or RS256; its `aud` must be the
 * issuer's audience; and the role and organisation it asserts must lie within the issuer's grant.
 * Without one, the HS256 local mode: one secret, one issuer, no grants. Always: expiry, `nbf`,
 * `iat` required, the token's age and lifetime (neither beyond `maxTokenAge`) and the bounds of
 * `sub` and `org`.
 */
export class TokenVerifier {
  /**
   * Tokens verified before, with what they proved: a client sends the same token with every
   * request until it expires, so its signature is checked once, not per request. Each use
   * re-checks the token's time window; the oldest entry goes when the cache is full.
   */
  private readonly verified = new Map<string, Proved>();
  private readonly maxTokenAge: number;
  private readonly local: { readonly secret: Uint8Array; readonly issuer: string; readonly audience: string } | undefined;
  private readonly issuers = new Map<string, IssuerVerifier>();

  constructor(options: TokenVerifierOptions) {
    this.maxTokenAge = options.maxTokenAge ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
    if ('trustedIssuers' in options) {
      if (options.trustedIssuers.length === 0) throw new Error('TokenVerifier needs at least one trusted issuer');
      for (const trusted of options.trustedIssuers) this.issuers.set(trusted.issuer, issuerVerifier(trusted));
      this.local = undefined;
    } else if (options.secret) {
      this.local = { secret: new TextEncoder().encode(options.secret), issuer: options.issuer, audience: options.audience };
    } else {
      throw new Error('TokenVerifier needs trusted issuers or a secret');
    }
  }

  /** The verifier a service's config asks for: the TRUSTED_ISSUERS file, or the JWT_SECRET local mode. */
  static fromConfig(config: Pick<ServiceConfig, 'TRUSTED_ISSUERS' | 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_MAX_TOKEN_AGE'>): TokenVerifier {
    if (config.TRUSTED_ISSUERS && config.JWT_SECRET) {
      throw new ConfigError(['JWT_SECRET: HS256 local mode cannot be combined with TRUSTED_ISSUERS; unset one of them']);
    }
    if (config.TRUSTED_ISSUERS) {
      return new TokenVerifier({ trustedIssuers: loadTrustedIssuers(config.TRUSTED_ISSUERS), maxTokenAge: config.JWT_MAX_TOKEN_AGE });
    }
    if (config.JWT_SECRET) {
      return new TokenVerifier({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, maxTokenAge: config.JWT_MAX_TOKEN_AGE });
    }
    throw new ConfigError(['TRUSTED_ISSUERS or JWT_SECRET: one of them is required to verify tokens']);
  }

  async verify(token: string): Promise<Principal> {
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known && known.exp > now && (known.nbf === undefined || known.nbf <= now) && now < known.recheckAt) return known.principal;
    this.verified.delete(token);
    const proved = this.local ? await this.verifyLocal(token, this.local) : await this.verifyFromTrustedIssuer(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, proved);
    return proved.principal;
  }

  private async verifyLocal(token: string, local: NonNullable<TokenVerifier['local']>): Promise<Proved> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, local.secret, this.verifyOptions(local.issuer, local.audience, ['HS256'])));
    } catch (error) {
      throw new InvalidTokenError(`token rejected: ${(error as Error).message}`);
    }
    const { sub, exp } = this.checkLifetimeAndSubject(payload);
    const role = payload.role;
    // `service` is for INTERNAL_TOKEN_SECRET tokens between services, never a user token's role.
    const userRoles = ROLES.filter((r) => r !== 'service');
    if (typeof role !== 'string' || !(userRoles as readonly string[]).includes(role)) {
      throw new InvalidTokenError(`token rejected: claim "role" must be one of ${userRoles.join(', ')}`);
    }
    const org = organisationClaim(payload, 'org');
    return { principal: { issuer: LOCAL_ISSUER_NAME, sub, role: role as Role, org }, exp, nbf: payload.nbf, recheckAt: Infinity };
  }

  private async verifyFromTrustedIssuer(token: string): Promise<Proved> {
    let unverified: { alg: unknown; kid: unknown; iss: unknown };
    try {
      const header = decodeProtectedHeader(token);
      unverified = { alg: header.alg, kid: header.kid, iss: decodeJwt(token).iss };
    } catch {
      throw new InvalidTokenError('token rejected: not a signed JWT (header.payload.signature)');
    }
    if (typeof unverified.iss !== 'string') throw new InvalidTokenError('token rejected: it names no issuer (claim "iss")');
    const verifier = this.issuers.get(unverified.iss);
    if (!verifier) throw new InvalidTokenError(`token rejected: issuer ${quoted(unverified.iss)} is not trusted by this party`);
    const { trusted } = verifier;
    if (typeof unverified.alg !== 'string' || !(trusted.algorithms as readonly string[]).includes(unverified.alg)) {
      throw new InvalidTokenError(`token rejected: algorithm ${quoted(String(unverified.alg))} is not accepted from issuer ${trusted.name} (${trusted.algorithms.join(', ')})`);
    }

    const payload = await this.checkSignature(token, verifier, unverified.kid);
    const { sub, exp } = this.checkLifetimeAndSubject(payload);
    const role = roleClaim(trusted, payload);
    const org = organisationClaim(payload, trusted.claims.organisation);
    checkGrant(trusted, role, org);
    return {
      principal: { issuer: trusted.name, sub, role, org },
      exp,
      nbf: payload.nbf,
      recheckAt: Date.now() / 1000 + verifier.keyRecheckSeconds,
    };
  }

  private async checkSignature(token: string, verifier: IssuerVerifier, kid: unknown): Promise<JWTPayload> {
    const { trusted } = verifier;
    const options = this.verifyOptions(trusted.issuer, trusted.audience, [...trusted.algorithms]);
    try {
      return (await jwtVerify(token, verifier.key, options)).payload;
    } catch (error) {
      if (error instanceof errors.JWKSMultipleMatchingKeys) return this.tryEachKey(token, error, options, trusted);
      throw joseRefusal(error, trusted, kid);
    }
  }

  /** A token without `kid` while the issuer publishes several keys of its algorithm (as during a rotation): any one may verify it. */
  private async tryEachKey(token: string, candidates: errors.JWKSMultipleMatchingKeys, options: JWTVerifyOptions, trusted: TrustedIssuer): Promise<JWTPayload> {
    let last: unknown;
    for await (const key of candidates as unknown as AsyncIterable<CryptoKey>) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        last = error;
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw joseRefusal(last ?? new errors.JWSSignatureVerificationFailed(), trusted, undefined);
  }

  private verifyOptions(issuer: string, audience: string, algorithms: string[]): JWTVerifyOptions {
    return { issuer, audience, algorithms, requiredClaims: ['sub', 'exp', 'iat'], maxTokenAge: this.maxTokenAge };
  }

  private checkLifetimeAndSubject(payload: JWTPayload): { sub: string; exp: number } {
    // maxTokenAge bounds how old a token is; this bounds how long it was made to live, so a
    // ten-year token is refused at once rather than after twelve hours of use.
    if (payload.exp! - payload.iat! > this.maxTokenAge) {
      throw new InvalidTokenError(`token rejected: "exp" is more than ${this.maxTokenAge} s after "iat" (longest lifetime allowed)`);
    }
    const sub = Subject.safeParse(payload.sub);
    if (!sub.success) throw new InvalidTokenError(`token rejected: claim "sub": ${sub.error.issues[0]!.message}`);
    return { sub: sub.data, exp: payload.exp! };
  }
}

function issuerVerifier(trusted: TrustedIssuer): IssuerVerifier {
  if (trusted.keys.kind === 'static') {
    return { trusted, key: createLocalJWKSet({ keys: trusted.keys.keys } as unknown as JSONWebKeySet), keyRecheckSeconds: Infinity };
  }
  const { jwksUri, cacheMaxAgeSeconds, cooldownSeconds } = trusted.keys;
  const remote = createRemoteJWKSet(jwksUri, { cacheMaxAge: cacheMaxAgeSeconds * 1000, cooldownDuration: cooldownSeconds * 1000 });
  const key: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // No such key, several, or an algorithm the set has no key for: the token's problem.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) throw error;
      // Unreachable, not 200, not JSON, not a key set: the issuer's (or the network's).
      throw new IssuerKeysUnavailableError(trusted.name, error);
    }
  };
  // A token verified with fetched keys is believed only as long as the keys themselves.
  return { trusted, key, keyRecheckSeconds: cacheMaxAgeSeconds };
}

/** The refusal a jose error stands for, naming the issuer. */
function joseRefusal(error: unknown, trusted: TrustedIssuer, kid: unknown): Error {
  if (error instanceof IssuerKeysUnavailableError) return error;
  const kidText = typeof kid === 'string' ? `kid ${quoted(kid)}` : 'no kid';
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError(`token rejected: no key of issuer ${trusted.name} matches the token (${kidText})`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError(`token rejected: the signature does not verify with the key of issuer ${trusted.name} (${kidText})`);
  }
  return new InvalidTokenError(`token rejected (issuer ${trusted.name}): ${(error as Error).message}`);
}

/**
 * The Silta role a token asserts: its role claim, a string or an array of strings, each value
 * mapped through the issuer's `roleValues` (when it has them; else taken as a Silta role name).
 * Values that map to no Silta role are ignored (group lists); none left, or two different roles,
 * is a refusal: a token acts in exactly one role.
 */
function roleClaim(trusted: TrustedIssuer, payload: JWTPayload): Role {
  const claim = trusted.claims.role;
  const value = payload[claim];
  const values = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  if (!values || values.length === 0 || values.length > MAX_ROLE_VALUES) {
    throw new InvalidTokenError(`token rejected: claim ${quoted(claim)} must hold the role, a string or an array of up to ${MAX_ROLE_VALUES} strings`);
  }
  const roles = new Set<Role>();
  for (const v of values) {
    const role = trusted.claims.roleValues ? trusted.claims.roleValues.get(v) : (ROLES as readonly string[]).includes(v) ? (v as Role) : undefined;
    if (role) roles.add(role);
  }
  if (roles.size === 0) throw new InvalidTokenError(`token rejected: claim ${quoted(claim)} names no Silta role`);
  if (roles.size > 1) {
    throw new InvalidTokenError(`token rejected: claim ${quoted(claim)} names ${[...roles].join(' and ')}: ambiguous, a token acts in exactly one role`);
  }
  return [...roles][0]!;
}

/** The organisation claim, bounded; undefined when the token has none. */
function organisationClaim(payload: JWTPayload, claim: string): string | undefined {
  const org = payload[claim];
  if (org === undefined) return undefined;
  const checked = OrganisationClaim.safeParse(org);
  if (!checked.success) throw new InvalidTokenError(`token rejected: claim ${quoted(claim)}: ${typeof org === 'string' ? checked.error.issues[0]!.message : 'must be a string'}`);
  return checked.data;
}

/** The issuer may assert this role for this organisation (or for none), and the two fit each other. */
function checkGrant(trusted: TrustedIssuer, role: Role, org: string | undefined): void {
  if (!trusted.roles.includes(role) || role === 'service') throw new InvalidTokenError(`token rejected: issuer ${trusted.name} may not assert role ${role}`);
  if ((CITIZEN_ROLES as readonly Role[]).includes(role)) {
    if (org !== undefined) throw new InvalidTokenError(`token rejected: role ${role} carries no organisation, yet the token names ${org}`);
    return;
  }
  if (org === undefined) throw new InvalidTokenError(`token rejected: role ${role} acts for an organisation, and the token names none`);
  if (!trusted.organisations.includes(org)) throw new InvalidTokenError(`token rejected: issuer ${trusted.name} may not assert organisation ${org}`);
  const kinds = ORGANISATION_KINDS_OF_ROLE[role as Exclude<Role, 'service'>];
  if (!kinds.includes(orgOf({ org })!.kind)) throw new InvalidTokenError(`token rejected: role ${role} is not a role of ${org} (it needs a ${kinds.join(' or ')})`);
}

/** A caller-given string in a message: quoted, escaped and cut short. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
