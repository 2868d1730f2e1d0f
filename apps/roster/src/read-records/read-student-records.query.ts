import { Query } from '@nestjs/cqrs';
import type { DataCategory } from '@silta/contracts';
import type { EducationRecord, RecordCategory } from '../domain/student-records';
import type { GuardianContact } from '../domain/student';

/**
 * What disclosure receives for one student: only the categories it asked for, each present (an
 * empty list when the student has no records of that category).
 */
export type StudentRecordsView = { studentId: string } & {
  identification?: { name: string; birthDate: string; group: string };
  guardian_contacts?: Array<{ guardianId: string; name: string; contact: GuardianContact }>;
} & { [Category in RecordCategory]?: EducationRecord[] };

/** Read the requested categories of a student's data. */
export class ReadStudentRecordsQuery extends Query<StudentRecordsView> {
  constructor(
    readonly studentId: string,
    readonly categories: readonly DataCategory[],
  ) {
    super();
  }
}
