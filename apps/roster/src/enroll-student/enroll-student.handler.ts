import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { studentDecider } from '../domain/student';
import { CLOCK, type Clock } from '../shared/clock';
import { RosterStore } from '../shared/roster-store';
import { streams } from '../shared/streams';
import { EnrollStudentCommand } from './enroll-student.command';

/** Looks up the school, then appends StudentEnrolled to `student-<studentId>`. */
@CommandHandler(EnrollStudentCommand)
export class EnrollStudentHandler implements ICommandHandler<EnrollStudentCommand> {
  constructor(
    private readonly roster: RosterStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ body, municipalityId, metadata }: EnrollStudentCommand): Promise<{ studentId: string }> {
    const school = await this.roster.school(body.schoolId);
    await this.roster.execute(
      streams.student(body.studentId),
      studentDecider,
      {
        type: 'EnrollStudent',
        studentId: body.studentId,
        school,
        name: body.name,
        birthDate: body.birthDate,
        group: body.group,
        educationForm: body.educationForm,
        inCompulsoryEducation: body.inCompulsoryEducation,
        byMunicipalityId: municipalityId,
        enrolledAt: this.clock.now().toISOString(),
      },
      metadata,
    );
    return { studentId: body.studentId };
  }
}
