import { Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { IngestRecordBody, IngestRecordCommand } from './ingest-record.command';
import { IngestRecordAnswer } from './ingest-record.responses';

/** `POST /v1/students/{studentId}/records`: the SIS ingest. */
@Controller('v1/students')
export class IngestRecordController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':studentId/records')
  @Roles('sis') // records come only from the SIS (DESIGN.md §5): a school admin does not ingest them
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['student_not_found'], 409: ['record_conflict'] })
  @Answers(IngestRecordAnswer)
  @Summary(
    'Ingest one education record of a student (fields by category). Answers {studentId, recordId}, also when the same record is sent again (nothing new is written).',
  )
  ingest(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(IngestRecordBody) record: IngestRecordBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ studentId: string; recordId: string }> {
    return this.commands.execute(new IngestRecordCommand(studentId, record, municipalityId, metadata));
  }
}
