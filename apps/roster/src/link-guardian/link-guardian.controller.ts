import { Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { LinkGuardianBody, LinkGuardianCommand } from './link-guardian.command';
import { LinkGuardianAnswer } from './link-guardian.responses';

/** `POST /v1/students/{studentId}/guardians`. */
@Controller('v1/students')
export class LinkGuardianController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':studentId/guardians')
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['student_not_found'], 409: ['guardian_already_linked'] })
  @Answers(LinkGuardianAnswer)
  @Summary('Link a guardian, with name and contact details, to a student. Answers {studentId, guardianId}.')
  link(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(LinkGuardianBody) body: LinkGuardianBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ studentId: string; guardianId: string }> {
    return this.commands.execute(new LinkGuardianCommand(studentId, body, municipalityId, metadata));
  }
}
