import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { RecordCapacityCommand } from './record-capacity.command';

/** Appends StudentCapacityRecorded to `student-<studentId>` when the value changes. */
@CommandHandler(RecordCapacityCommand)
export class RecordCapacityHandler implements ICommandHandler<RecordCapacityCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, body, municipalityId, metadata }: RecordCapacityCommand): Promise<{ studentId: string; decidesForSelf: boolean }> {
    await this.roster.execute(
      streams.student(studentId),
      studentDecider,
      { type: 'RecordCapacity', studentId, decidesForSelf: body.decidesForSelf, byMunicipalityId: municipalityId, recordedAt: this.clock.now().toISOString() },
      metadata,
    );
    return { studentId, decidesForSelf: body.decidesForSelf };
  }
}
