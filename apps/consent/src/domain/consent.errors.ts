import { refusalsOf } from '@silta/contracts';

/** Each rule of the consent domain by its stable code, and the kind of refusal it is (the edge maps kinds to statuses). */
const KINDS = {
  /** validUntil is not after validFrom, or the period has already ended. */
  invalid_validity_period: 'invalid',
  /** The caller is a guardian who is not currently linked to the student. */
  not_a_guardian: 'forbidden',
  /** A student acting for someone else. */
  not_the_student: 'forbidden',
  /** A professional not currently assigned to the student's school (or of a welfare area that does not serve it). */
  not_assigned_to_student: 'forbidden',
  /** A student not assessed as deciding for themselves in every field the consent addresses. */
  student_lacks_capacity: 'forbidden',
  /** A guardian acting for a student assessed as deciding for themselves in every field the consent addresses. */
  student_decides_for_self: 'forbidden',
  /** A guardian granting, resuming or listing for a student of 18 or more: custody has ended (361/1983 3 §). */
  student_is_adult: 'forbidden',
  /** A professional assessing capacity in a field not their own (curators social welfare; nurses, doctors, psychologists health care). */
  field_not_yours: 'forbidden',
  /** A capacity assessment dated after today. */
  assessed_in_future: 'invalid',
  /** Only a health-care professional of the student-welfare staff (nurse, doctor, psychologist) assesses a guardian ban. */
  not_a_health_professional: 'forbidden',
  /** Someone other than the grantor (or, for guardian consents, a linked guardian). */
  not_the_grantor: 'forbidden',
  consent_not_found: 'not_found',
  /** The roster view does not know the student a professional named. */
  student_not_found: 'not_found',
  /** Withdrawal is final: nothing changes a withdrawn consent. */
  consent_withdrawn: 'conflict',
  /** The consent id already names a consent for another student. */
  consent_id_taken: 'conflict',
  consent_already_paused: 'conflict',
  consent_not_paused: 'conflict',
  /** Its validity period has ended; grant a new version to renew it. */
  consent_expired: 'conflict',
  /** An assessment needs a ban on curator or psychologist disclosures in the declaration in force. */
  no_ban_to_assess: 'conflict',
} as const;

/** The stable codes of the consent domain's refusals. */
export type ConsentErrorCode = keyof typeof KINDS;

/** The kinds of refusal the consent domain answers. */
export type ConsentErrorKind = (typeof KINDS)[ConsentErrorCode];

/** A command the consent domain refuses; `code` is stable and safe to show the caller. */
export class ConsentError extends refusalsOf(KINDS) {}
