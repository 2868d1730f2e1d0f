import { Command } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';

/** End an assignment of the caller's welfare area. */
export class EndAssignmentCommand extends Command<{ assignmentId: string }> {
  constructor(
    readonly assignmentId: string,
    readonly welfareAreaId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
