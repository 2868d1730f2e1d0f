import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentRecordsDecider } from '../domain/student-records';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { IngestRecordCommand } from './ingest-record.command';

/**
 * Looks up who owns the student, then appends RecordIngested to `student_records-<studentId>`;
 * a record id seen before appends nothing.
 */
@CommandHandler(IngestRecordCommand)
export class IngestRecordHandler implements ICommandHandler<IngestRecordCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, record, municipalityId, metadata }: IngestRecordCommand): Promise<{ studentId: string; recordId: string }> {
    const student = await this.roster.student(studentId);
    await this.roster.execute(
      streams.studentRecords(studentId),
      studentRecordsDecider,
      {
        type: 'IngestRecord',
        studentId,
        record,
        ownerMunicipalityId: student.status === 'enrolled' ? student.municipalityId : undefined,
        byMunicipalityId: municipalityId,
        ingestedAt: this.clock.now().toISOString(),
      },
      metadata,
    );
    return { studentId, recordId: record.recordId };
  }
}
