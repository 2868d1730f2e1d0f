import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataCategory } from '@silta/contracts';
import { RosterError } from '../domain/errors';
import { recordsOf, studentRecordsDecider, type StudentRecordsState } from '../domain/student-records';
import type { EnrolledStudent } from '../domain/student';
import { RosterStore } from '../shared/roster-store';
import { ReadStudentRecordsQuery, type StudentRecordsView } from './read-student-records.query';

/** Folds the student's two streams and copies out only the requested categories. */
@QueryHandler(ReadStudentRecordsQuery)
export class ReadStudentRecordsHandler implements IQueryHandler<ReadStudentRecordsQuery> {
  constructor(private readonly roster: RosterStore) {}

  async execute({ studentId, categories }: ReadStudentRecordsQuery): Promise<StudentRecordsView> {
    const student = await this.roster.student(studentId);
    if (student.status !== 'enrolled') throw new RosterError('student_not_found', `student ${studentId} is not enrolled`);
    // Identification and guardian contacts come from the student's stream; read the records stream only if asked.
    const wantsRecords = categories.some((category) => category !== 'identification' && category !== 'guardian_contacts');
    const records = wantsRecords ? await this.roster.studentRecords(studentId) : studentRecordsDecider.initialState;
    const view: StudentRecordsView = { studentId };
    for (const category of new Set(categories)) copy(category, student, records, view);
    return view;
  }
}

function copy(category: DataCategory, student: EnrolledStudent, records: StudentRecordsState, view: StudentRecordsView): void {
  switch (category) {
    case 'identification':
      view.identification = { name: student.name, birthDate: student.birthDate, group: student.group };
      return;
    case 'guardian_contacts':
      view.guardian_contacts = student.guardians.map(({ guardianId, name, contact }) => ({ guardianId, name, contact }));
      return;
    default:
      view[category] = recordsOf(records, category);
  }
}
