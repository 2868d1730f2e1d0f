import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SignJWT, errors, jwtVerify, type JWTPayload } from 'jose';
import type { ServiceConfig, ServiceName } from '../config';
import { ProblemError } from '../http/problem';
import { SERVICE_CONFIG } from '../tokens';

const INTERNAL_ISSUER = 'silta-services';

/** The longest a service token may live: it is signed for one call path and renewed every half-minute. */
export const MAX_INTERNAL_TOKEN_LIFETIME_SECONDS = 120;

/** Clock skew allowed between the signing and the verifying service. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** The audience of a service token for `service`'s internal endpoints: a token is good only at the service it names. */
export function internalAudience(service: ServiceName): string {
  return `silta-internal:${service}`;
}

export interface InternalTokenOptions {
  /** The service whose internal endpoints the token is for; today only roster has any. */
  readonly audience?: ServiceName;
  /** Lifetime in seconds, at most MAX_INTERNAL_TOKEN_LIFETIME_SECONDS. */
  readonly ttlSeconds?: number;
}

/** A short-lived token one Silta service (`caller`) presents to another's internal endpoints. */
export async function signInternalToken(secret: string, caller: string, options: InternalTokenOptions = {}): Promise<string> {
  const { audience = 'roster', ttlSeconds = 60 } = options;
  if (!(ttlSeconds > 0 && ttlSeconds <= MAX_INTERNAL_TOKEN_LIFETIME_SECONDS)) {
    throw new RangeError(`a service token lives 1-${MAX_INTERNAL_TOKEN_LIFETIME_SECONDS} s, not ${ttlSeconds}`);
  }
  return new SignJWT({ role: 'service' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(caller)
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(internalAudience(audience))
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/**
 * One service's token to another, signed once and reused until half its lifetime is left, so a
 * hot path (disclosure fetching records for every permitted decision) pays for one HMAC signature
 * a minute rather than one per request.
 */
export class InternalTokenSource {
  private current: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly ttlSeconds: number;

  constructor(
    private readonly secret: string,
    private readonly caller: string,
    private readonly options: InternalTokenOptions & { readonly now?: () => number } = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 60;
  }

  /** A token valid for at least half its lifetime. */
  token(): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return Promise.resolve(this.current.token);
    this.pending ??= this.renew().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async renew(): Promise<string> {
    const signedAt = this.now();
    const token = await signInternalToken(this.secret, this.caller, { audience: this.options.audience, ttlSeconds: this.ttlSeconds });
    this.current = { token, renewAt: signedAt + (this.ttlSeconds * 1000) / 2 };
    return token;
  }
}

/** Verified service tokens, so the same token is not HMAC-checked again on every call; each use re-checks its expiry. */
const VERIFIED_CACHE_SIZE = 64;

/**
 * Guards internal endpoints: only a token signed with INTERNAL_TOKEN_SECRET, for this very service
 * (audience `silta-internal:<service>`), carrying `iat` and living at most
 * MAX_INTERNAL_TOKEN_LIFETIME_SECONDS passes; user tokens, whatever their role, do not. Combine
 * with @Public() so the user-token guard steps aside.
 */
@Injectable()
export class InternalServiceGuard implements CanActivate {
  /** INTERNAL_TOKEN_SECRET, then INTERNAL_TOKEN_PREVIOUS_SECRET while a rotation is under way. */
  private readonly secrets: Uint8Array[];
  private readonly audience: string;
  /** token → its subject and expiry (epoch seconds), for tokens this guard has verified. */
  private readonly verified = new Map<string, { sub: string; exp: number }>();

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    // Never a default: encoding `undefined` would make the string "undefined" a valid secret.
    if (!config.INTERNAL_TOKEN_SECRET) throw new Error(`${config.service} holds no INTERNAL_TOKEN_SECRET, so it cannot serve internal endpoints`);
    this.secrets = [config.INTERNAL_TOKEN_SECRET, config.INTERNAL_TOKEN_PREVIOUS_SECRET].filter(Boolean).map((secret) => new TextEncoder().encode(secret));
    this.audience = internalAudience(config.service);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; caller?: string }>();
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new ProblemError(401, 'unauthenticated', 'A service token is required');
    const token = match[1]!;
    const known = this.verified.get(token);
    if (known && known.exp > Date.now() / 1000) {
      request.caller = known.sub;
      return true;
    }
    this.verified.delete(token);
    try {
      const payload = await this.verifyWithEither(token);
      if (payload.exp! - payload.iat! > MAX_INTERNAL_TOKEN_LIFETIME_SECONDS) {
        throw new Error(`"exp" is more than ${MAX_INTERNAL_TOKEN_LIFETIME_SECONDS} s after "iat"`);
      }
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { sub: payload.sub!, exp: payload.exp! });
      request.caller = payload.sub;
      return true;
    } catch (error) {
      throw new ProblemError(401, 'invalid_token', `service token rejected: ${(error as Error).message}`);
    }
  }

  /** The token's claims if the current secret, or during a rotation the previous one, signed it. */
  private async verifyWithEither(token: string): Promise<JWTPayload> {
    const options = {
      audience: this.audience,
      issuer: INTERNAL_ISSUER,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
      maxTokenAge: MAX_INTERNAL_TOKEN_LIFETIME_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    for (const [index, secret] of this.secrets.entries()) {
      try {
        return (await jwtVerify(token, secret, options)).payload;
      } catch (error) {
        const last = index === this.secrets.length - 1;
        if (last || !(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
      }
    }
    throw new Error('no secret to verify with');
  }
}
