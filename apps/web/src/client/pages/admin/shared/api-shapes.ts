// What roster's admin routes answer (apps/roster/src/list-*/ *.responses.ts are the truth).
import type { Role } from '../../../session';

export interface School {
  readonly schoolId: string;
  readonly name: string;
  /** null until the municipality declares which welfare area serves the school. */
  readonly servedByWelfareAreaId: string | null;
}

export interface SchoolsPage {
  readonly schools: readonly School[];
  readonly nextCursor: string | null;
}

export interface SchoolStudent {
  readonly studentId: string;
  readonly name: string;
  readonly birthDate: string;
  readonly group: string;
  readonly guardians: ReadonlyArray<{ readonly guardianId: string; readonly name: string }>;
  readonly decidesForSelf: boolean;
  readonly welfareAccess: boolean;
  readonly educationForm: string;
  readonly inCompulsoryEducation: boolean;
}

export interface SchoolStudentsPage {
  readonly schoolId: string;
  readonly students: readonly SchoolStudent[];
  readonly nextCursor: string | null;
}

export interface Assignment {
  readonly assignmentId: string;
  readonly professionalId: string;
  readonly role: Extract<Role, 'curator' | 'psychologist' | 'nurse' | 'doctor'>;
  readonly schoolId: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly assignedAt: string;
  readonly ended: boolean;
  readonly endedAt?: string;
  /** Not ended and today within its days: the professional may act on it now. */
  readonly current: boolean;
}

export interface AssignmentsPage {
  readonly assignments: readonly Assignment[];
  readonly nextCursor: string | null;
}

/** The forms of education roster records (libs/contracts/src/education.ts). */
export const EDUCATION_FORMS = [
  'pre_primary',
  'basic_education',
  'general_upper_secondary',
  'adult_upper_secondary',
  'vocational_upper_secondary',
  'preparatory',
] as const;

/** The welfare area or municipality id in the signed-in admin's org claim (`welfare-area:<id>`). */
export function orgId(org: string | undefined, kind: 'municipality' | 'welfare-area'): string | undefined {
  const prefix = `${kind}:`;
  return org?.startsWith(prefix) ? org.slice(prefix.length) : undefined;
}
