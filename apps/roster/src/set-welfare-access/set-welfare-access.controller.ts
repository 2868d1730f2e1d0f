import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { SetWelfareAccessBody, SetWelfareAccessCommand } from './set-welfare-access.command';
import { SetWelfareAccessAnswer } from './set-welfare-access.responses';

/** `PUT /v1/students/{studentId}/welfare-access`. */
@Controller('v1/students')
export class SetWelfareAccessController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/welfare-access')
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['student_not_found'] })
  @Answers(SetWelfareAccessAnswer)
  @Summary("Activate or deactivate the welfare area's access to a student. Answers {studentId, active}.")
  set(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(SetWelfareAccessBody) body: SetWelfareAccessBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ studentId: string; active: boolean }> {
    return this.commands.execute(new SetWelfareAccessCommand(studentId, body, municipalityId, metadata));
  }
}
