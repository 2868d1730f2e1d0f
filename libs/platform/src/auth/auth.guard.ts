import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '../http/problem';
import type { Principal, Role } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { InvalidTokenError, IssuerKeysUnavailableError, TokenVerifier } from './token-verifier';

/**
 * Global guard: every endpoint needs a verified bearer token and one of the roles it declares.
 * An endpoint that declares no roles is closed to everyone (deny by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) throw new ProblemError(401, 'unauthenticated', 'A bearer token is required');
    let principal: Principal;
    try {
      principal = await this.verifier.verify(match[1]!);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new ProblemError(401, 'invalid_token', error.message);
      if (error instanceof IssuerKeysUnavailableError) {
        this.logger.warn(`${error.message}: ${(error.cause as Error | undefined)?.message ?? 'unknown cause'}`);
        throw new ProblemError(503, 'issuer_keys_unavailable', error.message);
      }
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(principal.role)) {
      throw new ProblemError(403, 'forbidden_role', `role ${principal.role} may not call this endpoint`);
    }
    request.principal = principal;
    return true;
  }
}
