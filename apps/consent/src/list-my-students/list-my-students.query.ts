import { Query } from '@nestjs/cqrs';
import type { Principal } from '@silta/platform';
import type { CapacityField } from '../domain';

/** Who decides in one capacity field, and so whether a guardian's consent there still counts. */
export interface FieldStanding {
  /** True once the student is assessed as deciding for themselves in the field, or is 18 or more. */
  readonly decidesForSelf: boolean;
  /** The day of the latest assessment in the field; absent until someone assesses it. */
  readonly assessedOn?: string;
  /** False once the student decides for themselves: their guardians' consents no longer release data in the field. */
  readonly guardianConsentsCount: boolean;
}

/** One student as a linked guardian, or the student themself, sees them in consent. */
export interface MyStudent {
  readonly studentId: string;
  /** The student's name as roster holds it, so the pages can name the child; null when roster holds none. */
  readonly name: string | null;
  /** The student's current school as consent's roster view holds it; null when it holds none. */
  readonly schoolId: string | null;
  /** The welfare area declared to serve that school (the recipient a consent would usually name); null when none is. */
  readonly welfareAreaId: string | null;
  /** 18 or more: custody has ended, the student decides everything alone. */
  readonly adult: boolean;
  readonly capacity: Readonly<Record<CapacityField, FieldStanding>>;
}

/** What GET /v1/me/students answers. */
export interface MyStudents {
  readonly students: readonly MyStudent[];
}

/** A guardian asks for the students linked to them; a student for themself. */
export class ListMyStudentsQuery extends Query<MyStudents> {
  constructor(readonly caller: Principal) {
    super();
  }
}
