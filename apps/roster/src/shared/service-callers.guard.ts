import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ProblemError, type ServiceName } from '@silta/platform';

/**
 * Admits to an internal endpoint only the services it names, by the caller of the service token
 * InternalServiceGuard verified before it: each endpoint says who may read it (disclosure alone
 * reads education records; disclosure and consent read a student's standing).
 */
export class ServiceCallersGuard implements CanActivate {
  constructor(
    private readonly allowed: readonly ServiceName[],
    /** What the endpoint serves, for the refusal: "student records". */
    private readonly serves: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const caller = context.switchToHttp().getRequest<{ caller?: string }>().caller;
    if (!this.allowed.some((service) => service === caller)) {
      throw new ProblemError(403, 'forbidden_caller', `service ${caller ?? '(unknown)'} may not read ${this.serves}`);
    }
    return true;
  }
}
