import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ProblemError, ProblemFilter } from '@silta/platform';
import { ConsentError, type ConsentErrorKind } from '../domain';

const STATUS: Record<ConsentErrorKind, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** Answers the domain's refusals as problem+json, keeping their stable codes. */
@Catch(ConsentError)
export class ConsentErrorFilter implements ExceptionFilter {
  private readonly problems = new ProblemFilter();

  catch(error: ConsentError, host: ArgumentsHost): void {
    this.problems.catch(new ProblemError(STATUS[error.kind], error.code, error.message), host);
  }
}
