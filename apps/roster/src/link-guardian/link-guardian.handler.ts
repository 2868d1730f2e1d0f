import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { LinkGuardianCommand } from './link-guardian.command';

/** Appends GuardianLinked to `student-<studentId>`. */
@CommandHandler(LinkGuardianCommand)
export class LinkGuardianHandler implements ICommandHandler<LinkGuardianCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, body, municipalityId, metadata }: LinkGuardianCommand): Promise<{ studentId: string; guardianId: string }> {
    await this.roster.execute(
      streams.student(studentId),
      studentDecider,
      {
        type: 'LinkGuardian',
        studentId,
        guardianId: body.guardianId,
        name: body.name,
        contact: body.contact,
        byMunicipalityId: municipalityId,
        linkedAt: this.clock.now().toISOString(),
      },
      metadata,
    );
    return { studentId, guardianId: body.guardianId };
  }
}
