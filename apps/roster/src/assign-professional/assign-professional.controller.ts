import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerWelfareArea } from '../shared/caller-org';
import { AssignProfessionalBody, AssignProfessionalCommand } from './assign-professional.command';
import { AssignProfessionalAnswer } from './assign-professional.responses';

/** `POST /v1/assignments`. */
@Controller('v1/assignments')
export class AssignProfessionalController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('welfare_admin')
  @Responds(APPEND_PROBLEMS, { 400: ['invalid_validity_period'], 403: ['other_organisation'], 404: ['school_not_found'], 409: ['assignment_exists', 'school_not_served'] })
  @Answers(AssignProfessionalAnswer)
  @Summary(
    "Assign a professional of the caller's welfare area (welfareAreaId must be the token's) to a school its municipality declared served by that welfare area. Answers {assignmentId}.",
  )
  assign(
    @ValidBody(AssignProfessionalBody) body: AssignProfessionalBody,
    @CallerWelfareArea() welfareAreaId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ assignmentId: string }> {
    return this.commands.execute(new AssignProfessionalCommand(body, welfareAreaId, metadata));
  }
}
