import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { SetEducationCommand, type EducationSet } from './set-education.command';

/** Appends StudentEducationSet to `student-<studentId>` when either value changes. */
@CommandHandler(SetEducationCommand)
export class SetEducationHandler implements ICommandHandler<SetEducationCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ studentId, body, municipalityId, metadata }: SetEducationCommand): Promise<EducationSet> {
    const { educationForm, inCompulsoryEducation } = body;
    await this.roster.execute(
      streams.student(studentId),
      studentDecider,
      { type: 'SetEducation', studentId, educationForm, inCompulsoryEducation, byMunicipalityId: municipalityId, setAt: this.clock.now().toISOString() },
      metadata,
    );
    return { studentId, educationForm, inCompulsoryEducation };
  }
}
