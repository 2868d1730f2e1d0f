import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { SetWelfareAccessCommand } from './set-welfare-access.command';

/** Appends WelfareAccessChanged to `student-<studentId>` when the value changes. */
@CommandHandler(SetWelfareAccessCommand)
export class SetWelfareAccessHandler implements ICommandHandler<SetWelfareAccessCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, body, municipalityId, metadata }: SetWelfareAccessCommand): Promise<{ studentId: string; active: boolean }> {
    await this.roster.execute(
      streams.student(studentId),
      studentDecider,
      { type: 'SetWelfareAccess', studentId, active: body.active, byMunicipalityId: municipalityId, changedAt: this.clock.now().toISOString() },
      metadata,
    );
    return { studentId, active: body.active };
  }
}
