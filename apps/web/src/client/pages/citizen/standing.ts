// Who decides about a student's data, as consent's GET /v1/me/students tells it, and so which
// controls a guardian or the student may see. The consent API is the judge; these only keep the
// pages from offering what it would refuse.
import type { User } from '../../session';
import { CAPACITY_FIELD_OF, CAPACITY_FIELDS, type CapacityField, type ConsentSummary, type MyStudent, type WelfareRole } from './api-shapes';

/** The capacity fields a consent for these professions addresses (all of them when none is named). */
export function fieldsOf(roles: readonly WelfareRole[] | undefined): readonly CapacityField[] {
  if (!roles || roles.length === 0) return CAPACITY_FIELDS;
  return CAPACITY_FIELDS.filter((field) => roles.some((role) => CAPACITY_FIELD_OF[role] === field));
}

/** True when the student decides for themselves in every one of the fields. */
export function decidesIn(student: MyStudent, fields: readonly CapacityField[]): boolean {
  return student.adult || fields.every((field) => student.capacity[field].decidesForSelf);
}

/**
 * Whether the user may give (or resume) a consent for these professions: a guardian while the
 * student does not yet decide for themselves there, the student once they do.
 */
export function mayConsent(user: User, student: MyStudent, roles?: readonly WelfareRole[]): boolean {
  const decides = decidesIn(student, fieldsOf(roles));
  return user.role === 'guardian' ? !decides : decides;
}

/** Whether the user may give any consent at all (for some choice of professions). */
export function mayConsentAtAll(user: User, student: MyStudent): boolean {
  if (user.role === 'guardian') return !student.adult && CAPACITY_FIELDS.some((field) => !student.capacity[field].decidesForSelf);
  return student.adult || CAPACITY_FIELDS.some((field) => student.capacity[field].decidesForSelf);
}

/**
 * Whether the user may pause or withdraw this consent: its grantor, or for a guardian's consent
 * any linked guardian (a student sees their guardians' consents but may not change them).
 */
export function mayChange(user: User, consent: ConsentSummary): boolean {
  if (user.role === 'guardian') return consent.grantedBy.kind === 'guardian';
  return consent.grantedBy.kind === 'student' && consent.grantedBy.id === user.subject;
}
