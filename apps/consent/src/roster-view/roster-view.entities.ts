import { EntitySchema } from 'typeorm';

// ISO date-times are kept as normalised UTC text (Date#toISOString), which sorts chronologically
// and reads the same on PostgreSQL and SQLite.

/** A student as consent needs them: current school, and the school's own record of capacity. */
export interface RosterStudentRow {
  studentId: string;
  schoolId: string | null;
  /** When the school last changed (enrolment or transfer); older changes are ignored. */
  schoolAsOf: string | null;
  /**
   * The school admin's flag, kept as the school's own record; no rule reads it. Who decides is
   * judged per field by the professionals (consent's capacity stream).
   */
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

/**
 * A professional's assignment to a school, for who may declare a student's guardian visibility.
 * The end may arrive before the assignment (topics are ordered per school, but a consumer may
 * replay): a row then holds only the school and `endedAt` until the assignment fills it in.
 */
export interface RosterAssignmentRow {
  assignmentId: string;
  professionalId: string | null;
  role: string | null;
  welfareAreaId: string | null;
  schoolId: string;
  /** First and last day, YYYY-MM-DD. */
  validFrom: string | null;
  validUntil: string | null;
  /** When the assignment ended; null while it has not. An end is final. */
  endedAt: string | null;
}

export const RosterAssignmentEntity = new EntitySchema<RosterAssignmentRow>({
  name: 'ConsentRosterAssignment',
  tableName: 'consent_roster_assignments',
  columns: {
    assignmentId: { name: 'assignment_id', type: String, length: 200, primary: true },
    professionalId: { name: 'professional_id', type: String, length: 200, nullable: true },
    role: { type: String, length: 20, nullable: true },
    welfareAreaId: { name: 'welfare_area_id', type: String, length: 200, nullable: true },
    schoolId: { name: 'school_id', type: String, length: 200 },
    validFrom: { name: 'valid_from', type: String, length: 10, nullable: true },
    validUntil: { name: 'valid_until', type: String, length: 10, nullable: true },
    endedAt: { name: 'ended_at', type: String, length: 30, nullable: true },
  },
  indices: [{ name: 'consent_roster_assignments_professional', columns: ['professionalId'] }],
});

/** Which welfare area the school's municipality declared to serve it; the newest declaration wins. */
export interface SchoolServiceRow {
  schoolId: string;
  welfareAreaId: string;
  /** When it was declared; older declarations are ignored. */
  asOf: string;
}

export const SchoolServiceEntity = new EntitySchema<SchoolServiceRow>({
  name: 'ConsentRosterSchoolService',
  tableName: 'consent_roster_school_services',
  columns: {
    schoolId: { name: 'school_id', type: String, length: 200, primary: true },
    welfareAreaId: { name: 'welfare_area_id', type: String, length: 200 },
    asOf: { name: 'as_of', type: String, length: 30 },
  },
});

/** Every table of the roster view. */
export const rosterViewEntities = [RosterStudentEntity, GuardianLinkEntity, RosterAssignmentEntity, SchoolServiceEntity];
