import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { UnlinkGuardianCommand } from './unlink-guardian.command';

/** Appends GuardianUnlinked to `student-<studentId>`. */
@CommandHandler(UnlinkGuardianCommand)
export class UnlinkGuardianHandler implements ICommandHandler<UnlinkGuardianCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, guardianId, municipalityId, context }: UnlinkGuardianCommand): Promise<{ studentId: string; guardianId: string }> {
    await this.roster.execute(
      streams.student(studentId),
      studentDecider,
      { type: 'UnlinkGuardian', studentId, guardianId, byMunicipalityId: municipalityId, unlinkedAt: this.clock.now().toISOString() },
      context,
    );
    return { studentId, guardianId };
  }
}
