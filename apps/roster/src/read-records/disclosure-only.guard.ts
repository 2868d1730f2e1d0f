import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ProblemError } from '@silta/platform';

/** Only disclosure reads records: it decides first, then asks for exactly the permitted categories. */
@Injectable()
export class DisclosureOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const caller = context.switchToHttp().getRequest<{ caller?: string }>().caller;
    if (caller !== 'disclosure') throw new ProblemError(403, 'forbidden_caller', `service ${caller ?? '(unknown)'} may not read student records`);
    return true;
  }
}
