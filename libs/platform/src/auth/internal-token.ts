import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SignJWT, jwtVerify } from 'jose';
import type { ServiceConfig } from '../config';
import { ProblemError } from '../http/problem';
import { SERVICE_CONFIG } from '../tokens';

const INTERNAL_AUDIENCE = 'silta-internal';
const INTERNAL_ISSUER = 'silta-services';

/** A short-lived token one Silta service presents to another's internal endpoints. */
export async function signInternalToken(secret: string, caller: string, ttlSeconds = 60): Promise<string> {
  return new SignJWT({ role: 'service' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(caller)
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Guards internal endpoints: only a token signed with INTERNAL_TOKEN_SECRET for the internal
 * audience passes; user tokens, whatever their role, do not. Combine with @Public() so the
 * user-token guard steps aside.
 */
@Injectable()
export class InternalServiceGuard implements CanActivate {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; caller?: string }>();
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw new ProblemError(401, 'unauthenticated', 'A service token is required');
    try {
      const { payload } = await jwtVerify(match[1]!, new TextEncoder().encode(this.config.INTERNAL_TOKEN_SECRET), {
        audience: INTERNAL_AUDIENCE,
        issuer: INTERNAL_ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp'],
      });
      request.caller = payload.sub;
      return true;
    } catch (error) {
      throw new ProblemError(401, 'invalid_token', `service token rejected: ${(error as Error).message}`);
    }
  }
}
