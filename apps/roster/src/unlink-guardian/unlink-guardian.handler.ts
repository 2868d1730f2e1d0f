import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore, positionTokenOf } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { UnlinkGuardianCommand, type UnlinkGuardianResult } from './unlink-guardian.command';

/** Appends GuardianUnlinked to `student-<studentId>`. */
@CommandHandler(UnlinkGuardianCommand)
export class UnlinkGuardianHandler implements ICommandHandler<UnlinkGuardianCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, guardianId, municipalityId, metadata }: UnlinkGuardianCommand): Promise<UnlinkGuardianResult> {
    const streamId = streams.student(studentId);
    const appended = await this.roster.execute(
      streamId,
      studentDecider,
      { type: 'UnlinkGuardian', studentId, guardianId, byMunicipalityId: municipalityId, unlinkedAt: this.clock.now().toISOString() },
      metadata,
    );
    return { studentId, guardianId, positionToken: positionTokenOf(appended, streamId) };
  }
}
