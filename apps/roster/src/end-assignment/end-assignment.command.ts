import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../shared/request-context';

/** End an assignment of the caller's welfare area. */
export class EndAssignmentCommand extends Command<{ assignmentId: string }> {
  constructor(
    readonly assignmentId: string,
    readonly welfareAreaId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
