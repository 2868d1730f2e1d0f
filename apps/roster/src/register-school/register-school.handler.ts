import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { schoolDecider } from '../domain/school';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { RegisterSchoolCommand } from './register-school.command';

/** Appends SchoolRegistered to `school-<schoolId>`. */
@CommandHandler(RegisterSchoolCommand)
export class RegisterSchoolHandler implements ICommandHandler<RegisterSchoolCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ body, municipalityId, metadata }: RegisterSchoolCommand): Promise<{ schoolId: string }> {
    await this.roster.execute(
      streams.school(body.schoolId),
      schoolDecider,
      { type: 'RegisterSchool', schoolId: body.schoolId, name: body.name, byMunicipalityId: municipalityId, registeredAt: this.clock.now().toISOString() },
      metadata,
    );
    return { schoolId: body.schoolId };
  }
}
