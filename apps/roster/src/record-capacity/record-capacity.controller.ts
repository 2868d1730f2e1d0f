import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { RecordCapacityBody, RecordCapacityCommand } from './record-capacity.command';
import { RecordCapacityAnswer } from './record-capacity.responses';

/** `PUT /v1/students/{studentId}/capacity`. */
@Controller('v1/students')
export class RecordCapacityController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/capacity')
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['student_not_found'] })
  @Answers(RecordCapacityAnswer)
  @Summary('Record whether the student decides on consent for themselves. Answers {studentId, decidesForSelf}.')
  record(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(RecordCapacityBody) body: RecordCapacityBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ studentId: string; decidesForSelf: boolean }> {
    return this.commands.execute(new RecordCapacityCommand(studentId, body, municipalityId, metadata));
  }
}
