import { EntitySchema } from 'typeorm';

// Disclosure's view of roster and consent, projected from their topics. Only ids, relationships
// and consent scopes live here: education records stay in roster.

export interface SchoolRow {
  schoolId: string;
  municipalityId: string;
  /** The welfare area the municipality declared serves the school; null until one is declared. */
  servedBy?: string | null;
  serviceDeclaredAt?: string | null;
}
export const SchoolEntity = new EntitySchema<SchoolRow>({
  name: 'DisclosureSchool',
  tableName: 'dv_schools',
  columns: {
    schoolId: { name: 'school_id', type: String, primary: true, length: 200 },
    municipalityId: { name: 'municipality_id', type: String, length: 200 },
    servedBy: { name: 'served_by', type: String, length: 200, nullable: true },
    serviceDeclaredAt: { name: 'service_declared_at', type: String, length: 40, nullable: true },
  },
});

export interface StudentRow {
  studentId: string;
  schoolId: string | null;
  /** When the student enrolled in, or transferred to, the current school. */
  enrolledAt: string | null;
  decidesForSelf: boolean;
  welfareAccessActive: boolean;
}
export const StudentEntity = new EntitySchema<StudentRow>({
  name: 'DisclosureStudent',
  tableName: 'dv_students',
  columns: {
    studentId: { name: 'student_id', type: String, primary: true, length: 200 },
    schoolId: { name: 'school_id', type: String, nullable: true, length: 200 },
    enrolledAt: { name: 'enrolled_at', type: String, nullable: true, length: 40 },
    decidesForSelf: { name: 'decides_for_self', type: Boolean, default: false },
    welfareAccessActive: { name: 'welfare_access_active', type: Boolean, default: false },
  },
});

export interface GuardianLinkRow {
  studentId: string;
  guardianId: string;
  active: boolean;
  /** When the current link began; a relink does not revive consents of an earlier link. */
  linkedAt: string | null;
}
export const GuardianLinkEntity = new EntitySchema<GuardianLinkRow>({
  name: 'DisclosureGuardianLink',
  tableName: 'dv_guardian_links',
  columns: {
    studentId: { name: 'student_id', type: String, primary: true, length: 200 },
    guardianId: { name: 'guardian_id', type: String, primary: true, length: 200 },
    active: { type: Boolean },
    linkedAt: { name: 'linked_at', type: String, length: 40, nullable: true },
  },
});

export interface AssignmentRow {
  assignmentId: string;
  professionalId: string;
  role: string;
  welfareAreaId: string;
  schoolId: string;
  validFrom: string;
  validUntil: string | null;
  ended: boolean;
}
export const AssignmentEntity = new EntitySchema<AssignmentRow>({
  name: 'DisclosureAssignment',
  tableName: 'dv_assignments',
  columns: {
    assignmentId: { name: 'assignment_id', type: String, primary: true, length: 200 },
    professionalId: { name: 'professional_id', type: String, length: 200 },
    role: { type: String, length: 40 },
    welfareAreaId: { name: 'welfare_area_id', type: String, length: 200 },
    schoolId: { name: 'school_id', type: String, length: 200 },
    validFrom: { name: 'valid_from', type: String, length: 10 },
    validUntil: { name: 'valid_until', type: String, length: 10, nullable: true },
    ended: { type: Boolean, default: false },
  },
  indices: [{ name: 'dv_assignments_professional', columns: ['professionalId'] }],
});

export interface ConsentRow {
  consentId: string;
  version: number;
  studentId: string;
  grantedByKind: 'guardian' | 'student';
  grantedById: string;
  categories: string[];
  welfareAreaId: string;
  roles: string[] | null;
  status: 'active' | 'paused' | 'withdrawn';
  validFrom: string;
  validUntil: string | null;
  grantedAt: string | null;
  purpose: string | null;
}
export const ConsentEntity = new EntitySchema<ConsentRow>({
  name: 'DisclosureConsent',
  tableName: 'dv_consents',
  columns: {
    consentId: { name: 'consent_id', type: String, primary: true, length: 200 },
    version: { type: Number },
    studentId: { name: 'student_id', type: String, length: 200 },
    grantedByKind: { name: 'granted_by_kind', type: String, length: 20 },
    grantedById: { name: 'granted_by_id', type: String, length: 200 },
    categories: { type: 'simple-json' },
    welfareAreaId: { name: 'welfare_area_id', type: String, length: 200 },
    roles: { type: 'simple-json', nullable: true },
    status: { type: String, length: 20 },
    validFrom: { name: 'valid_from', type: String, length: 40 },
    validUntil: { name: 'valid_until', type: String, length: 40, nullable: true },
    grantedAt: { name: 'granted_at', type: String, length: 40, nullable: true },
    purpose: { type: String, length: 500, nullable: true },
  },
  indices: [{ name: 'dv_consents_student', columns: ['studentId'] }],
});

/** Which welfare roles' disclosures the student has hidden from guardians (minors' confidentiality). */
export interface GuardianVisibilityRow {
  studentId: string;
  hiddenRoles: string[];
  changedAt: string;
}
export const GuardianVisibilityEntity = new EntitySchema<GuardianVisibilityRow>({
  name: 'DisclosureGuardianVisibility',
  tableName: 'dv_guardian_visibility',
  columns: {
    studentId: { name: 'student_id', type: String, primary: true, length: 200 },
    hiddenRoles: { name: 'hidden_roles', type: 'simple-json' },
    changedAt: { name: 'changed_at', type: String, length: 40 },
  },
});

/**
 * The latest capacity assessment per student and field (consent's CapacityAssessed): whether a
 * professional of the field judged the student to decide the field's matters themselves.
 */
export interface CapacityRow {
  studentId: string;
  field: 'social_welfare' | 'health_care';
  decidesForSelf: boolean;
  /** The day of the assessment, YYYY-MM-DD. */
  assessedOn: string;
  assessedById: string;
  assessedByRole: string;
  /** When it was recorded, normalised UTC text; an older assessment than this one is ignored. */
  assessedAt: string;
}
export const CapacityEntity = new EntitySchema<CapacityRow>({
  name: 'DisclosureCapacity',
  tableName: 'dv_capacity',
  columns: {
    studentId: { name: 'student_id', type: String, primary: true, length: 200 },
    field: { type: String, primary: true, length: 20 },
    decidesForSelf: { name: 'decides_for_self', type: Boolean },
    assessedOn: { name: 'assessed_on', type: String, length: 10 },
    assessedById: { name: 'assessed_by_id', type: String, length: 200 },
    assessedByRole: { name: 'assessed_by_role', type: String, length: 40 },
    assessedAt: { name: 'assessed_at', type: String, length: 40 },
  },
});

export const viewEntities = [SchoolEntity, StudentEntity, GuardianLinkEntity, AssignmentEntity, ConsentEntity, GuardianVisibilityEntity, CapacityEntity];
