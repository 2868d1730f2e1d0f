import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal';
import type { ServiceConfig } from '../config';
import { SERVICE_CONFIG } from '../tokens';

/** The methods that change something; reads are not limited. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One window of RATE_LIMIT_WRITES_PER_MINUTE writes per caller; `default` makes the header plain `Retry-After`. */
export function writeRateLimits(config: ServiceConfig): ThrottlerModuleOptions {
  return { throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_WRITES_PER_MINUTE }] };
}

/**
 * Limits writes per verified caller, across all of a service's write endpoints: the key is the
 * token's issuer, organisation and subject (set by AuthGuard, which runs first), or the client
 * address for calls without a user token. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class WriteRateLimitGuard extends ThrottlerGuard {
  @Inject(SERVICE_CONFIG) private readonly config!: ServiceConfig;
  protected override errorMessage = 'Too many writes from this caller; retry after the number of seconds in Retry-After.';

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    const request = context.switchToHttp().getRequest<{ method: string }>();
    return Promise.resolve(!WRITE_METHODS.has(request.method));
  }

  protected override getTracker(request: { principal?: Principal; ip?: string }): Promise<string> {
    const caller = request.principal;
    return Promise.resolve(caller ? JSON.stringify(['user', this.config.JWT_ISSUER, caller.org ?? '', caller.sub]) : JSON.stringify(['address', request.ip ?? '']));
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`writes-${name}-${tracker}`).digest('hex');
  }
}
