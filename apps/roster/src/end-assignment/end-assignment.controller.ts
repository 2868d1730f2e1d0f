import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary } from '@silta/platform';
import { CallerWelfareArea } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { EndAssignmentCommand } from './end-assignment.command';
import { EndAssignmentAnswer } from './end-assignment.responses';

/** `DELETE /v1/assignments/{assignmentId}`. */
@Controller('v1/assignments')
export class EndAssignmentController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':assignmentId')
  @Roles('welfare_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['assignment_not_found'], 409: ['assignment_already_ended'] })
  @Answers(EndAssignmentAnswer)
  @Summary("End an assignment of the caller's welfare area. Answers {assignmentId}.")
  end(
    @Param('assignmentId', IdParam) assignmentId: string,
    @CallerWelfareArea() welfareAreaId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ assignmentId: string }> {
    return this.commands.execute(new EndAssignmentCommand(assignmentId, welfareAreaId, metadata));
  }
}
