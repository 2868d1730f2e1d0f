import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore, positionTokenOf } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { TransferStudentCommand, type TransferStudentResult } from './transfer-student.command';

/** Looks up the target school, then appends StudentTransferred to `student-<studentId>`. */
@CommandHandler(TransferStudentCommand)
export class TransferStudentHandler implements ICommandHandler<TransferStudentCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, body, municipalityId, metadata }: TransferStudentCommand): Promise<TransferStudentResult> {
    const toSchool = await this.roster.school(body.schoolId);
    const streamId = streams.student(studentId);
    const appended = await this.roster.execute(
      streamId,
      studentDecider,
      { type: 'TransferStudent', studentId, toSchool, byMunicipalityId: municipalityId, transferredAt: this.clock.now().toISOString() },
      metadata,
    );
    return { studentId, schoolId: body.schoolId, positionToken: positionTokenOf(appended, streamId) };
  }
}
