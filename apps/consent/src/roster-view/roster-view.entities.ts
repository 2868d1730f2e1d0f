import { EntitySchema } from 'typeorm';

// ISO date-times are kept as normalised UTC text (Date#toISOString), which sorts chronologically
// and reads the same on PostgreSQL and SQLite.

/** A student as consent needs them: current school and whether they decide for themselves. */
export interface RosterStudentRow {
  studentId: string;
  schoolId: string | null;
  /** When the school last changed (enrolment or transfer); older changes are ignored. */
  schoolAsOf: string | null;
  decidesForSelf: boolean;
  /** When capacity was last recorded; older records are ignored. */
  capacityAsOf: string | null;
}

export const RosterStudentEntity = new EntitySchema<RosterStudentRow>({
  name: 'ConsentRosterStudent',
  tableName: 'consent_roster_students',
  columns: {
    studentId: { name: 'student_id', type: String, length: 200, primary: true },
    schoolId: { name: 'school_id', type: String, length: 200, nullable: true },
    schoolAsOf: { name: 'school_as_of', type: String, length: 30, nullable: true },
    decidesForSelf: { name: 'decides_for_self', type: Boolean, default: false },
    capacityAsOf: { name: 'capacity_as_of', type: String, length: 30, nullable: true },
  },
});

/** A guardian's link to a student; `linked` false once unlinked (kept so older links stay ignored). */
export interface GuardianLinkRow {
  studentId: string;
  guardianId: string;
  linked: boolean;
  /** When the link last changed. */
  asOf: string;
}

export const GuardianLinkEntity = new EntitySchema<GuardianLinkRow>({
  name: 'ConsentGuardianLink',
  tableName: 'consent_roster_guardian_links',
  columns: {
    studentId: { name: 'student_id', type: String, length: 200, primary: true },
    guardianId: { name: 'guardian_id', type: String, length: 200, primary: true },
    linked: { type: Boolean },
    asOf: { name: 'as_of', type: String, length: 30 },
  },
});

/** Every table of the roster view. */
export const rosterViewEntities = [RosterStudentEntity, GuardianLinkEntity];
