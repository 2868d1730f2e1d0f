import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { StudentStanding } from '@silta/contracts';
import { RosterError } from '../domain/errors';
import { RosterStore } from '../shared/roster-store';
import { ReadStandingQuery } from './read-standing.query';

/** Folds the student's stream and copies out the standing and the name, nothing else. */
@QueryHandler(ReadStandingQuery)
export class ReadStandingHandler implements IQueryHandler<ReadStandingQuery> {
  constructor(private readonly roster: RosterStore) {}

  async execute({ studentId }: ReadStandingQuery): Promise<StudentStanding> {
    const student = await this.roster.student(studentId);
    if (student.status !== 'enrolled') throw new RosterError('student_not_found', `student ${studentId} is not enrolled`);
    return {
      birthDate: student.birthDate,
      educationForm: student.educationForm,
      inCompulsoryEducation: student.inCompulsoryEducation,
      // For consent's list to the student and their linked guardians; disclosure copies out only the three above.
      name: student.name,
    };
  }
}
