import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { DeclareSchoolServiceBody, DeclareSchoolServiceCommand, type DeclareSchoolServiceResult } from './declare-school-service.command';
import { DeclareSchoolServiceAnswer } from './declare-school-service.responses';

/** `PUT /v1/schools/{schoolId}/service`. */
@Controller('v1/schools')
export class DeclareSchoolServiceController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':schoolId/service')
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['school_not_found'] })
  @Answers(DeclareSchoolServiceAnswer)
  @Summary(
    "Declare which welfare area serves a school of the caller's municipality (replaces the previous declaration; only that welfare area's professionals can be assigned to the school). Answers {schoolId, welfareAreaId}.",
  )
  declare(
    @Param('schoolId', IdParam) schoolId: string,
    @ValidBody(DeclareSchoolServiceBody) body: DeclareSchoolServiceBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<DeclareSchoolServiceResult> {
    return this.commands.execute(new DeclareSchoolServiceCommand(schoolId, body, municipalityId, metadata));
  }
}
