import { Query } from '@nestjs/cqrs';
import type { EducationForm } from '@silta/contracts';
import type { PageQuery } from '@silta/platform/paging';

/** A student of the school as the school admin sees them. */
export interface SchoolStudent {
  readonly studentId: string;
  readonly name: string;
  readonly birthDate: string;
  readonly group: string;
  /** The linked guardians, in the order they were linked: id and name (contacts stay on the student's own record). */
  readonly guardians: ReadonlyArray<{ readonly guardianId: string; readonly name: string }>;
  /** The school's own record of capacity (PUT /v1/students/{id}/capacity). */
  readonly decidesForSelf: boolean;
  /** Whether the school activated welfare access for the student. */
  readonly welfareAccess: boolean;
  readonly educationForm: EducationForm;
  readonly inCompulsoryEducation: boolean;
}

/** What GET /v1/schools/{schoolId}/students answers: a page, ordered by student id. */
export interface SchoolStudentsPage {
  readonly schoolId: string;
  readonly students: readonly SchoolStudent[];
  readonly nextCursor: string | null;
}

/** The school admin of a municipality asks for the students currently at one of its schools. */
export class ListSchoolStudentsQuery extends Query<SchoolStudentsPage> {
  constructor(
    readonly schoolId: string,
    readonly municipalityId: string,
    readonly page: PageQuery,
  ) {
    super();
  }
}
