import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { ProblemError } from '@silta/platform';
import { RosterError, type RosterErrorCode } from '../domain/errors';

/** The HTTP status of each domain rule; a new code does not compile until it is given one. */
const STATUS: Record<RosterErrorCode, number> = {
  school_exists: 409,
  school_not_found: 404,
  school_not_served: 409,
  other_organisation: 403,
  already_enrolled: 409,
  student_not_found: 404,
  already_at_school: 409,
  guardian_already_linked: 409,
  guardian_not_linked: 404,
  assignment_exists: 409,
  assignment_not_found: 404,
  assignment_already_ended: 409,
  invalid_validity_period: 400,
  record_conflict: 409,
};

/** The edge: turns the domain's typed errors into problem responses with the same stable code. */
export function toProblemError(error: RosterError): ProblemError {
  return new ProblemError(STATUS[error.code], error.code, error.message);
}

/** Applies toProblemError to whatever a controller throws. */
@Injectable()
export class DomainErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => (error instanceof RosterError ? toProblemError(error) : error))));
  }
}
