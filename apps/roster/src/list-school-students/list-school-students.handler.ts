import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { readPage } from '@silta/platform/paging';
import { RosterError } from '../domain/errors';
import type { EnrolledStudent } from '../domain/student';
import { DirectoryStudentEntity, type DirectoryStudentRow } from '../shared/directory/directory.entities';
import { RosterDirectory } from '../shared/directory/roster-directory';
import { RosterStore } from '../shared/roster-store';
import { ListSchoolStudentsQuery, type SchoolStudent, type SchoolStudentsPage } from './list-school-students.query';

/**
 * A page of the students at one of the caller's municipality's schools. The school is checked as
 * roster's writes check it (unknown: 404 school_not_found; another municipality's: 403
 * other_organisation), and each student is read from their own stream, kept only if it says they
 * are at this school now.
 */
@QueryHandler(ListSchoolStudentsQuery)
export class ListSchoolStudentsHandler implements IQueryHandler<ListSchoolStudentsQuery> {
  constructor(
    private readonly directory: RosterDirectory,
    private readonly roster: RosterStore,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ schoolId, municipalityId, page }: ListSchoolStudentsQuery): Promise<SchoolStudentsPage> {
    const school = await this.roster.school(schoolId);
    if (!school) throw new RosterError('school_not_found', `school ${schoolId} is not registered`);
    if (school.municipalityId !== municipalityId) throw new RosterError('other_organisation', `school ${schoolId} belongs to another municipality`);
    await this.directory.catchUp();
    const { rows, nextCursor } = await readPage<DirectoryStudentRow>(
      (options) => this.dataSource.manager.find(DirectoryStudentEntity, options),
      { schoolId },
      { at: 'schoolId', id: 'studentId' },
      page,
    );
    const states = await Promise.all(rows.map((row) => this.roster.student(row.studentId)));
    const students = states.filter((state): state is EnrolledStudent => state.status === 'enrolled' && state.schoolId === schoolId && state.municipalityId === municipalityId);
    return { schoolId, students: students.map(summary), nextCursor };
  }
}

function summary(student: EnrolledStudent): SchoolStudent {
  const { studentId, name, birthDate, group, decidesForSelf, welfareAccess, educationForm, inCompulsoryEducation } = student;
  return {
    studentId,
    name,
    birthDate,
    group,
    guardians: student.guardians.map(({ guardianId, name: guardianName }) => ({ guardianId, name: guardianName })),
    decidesForSelf,
    welfareAccess,
    educationForm,
    inCompulsoryEducation,
  };
}
