/**
 * The welfare professions whose disclosures a student can hide from their guardians: curator and
 * psychologist visits (1287/2013 18 §, 812/2000 11 §), and nurse and doctor ones, since a capable
 * minor may keep their health data from guardians (potilaslaki 785/1992 9 § 2 mom).
 */
export type ConfidentialRole = 'curator' | 'psychologist' | 'nurse' | 'doctor';

/** Every confidential role, in the order a hidden set is recorded in. */
export const CONFIDENTIAL_ROLES: readonly ConfidentialRole[] = ['curator', 'psychologist', 'nurse', 'doctor'];

/**
 * The roles whose ban holds only unless it clearly conflicts with the child's interest, which a
 * health-care professional assesses (1287/2013 18 §, 812/2000 11 §). A ban on nurse or doctor
 * disclosures is about health data (potilaslaki 9 §) and no assessment lifts it.
 */
export const ASSESSABLE_ROLES: readonly ConfidentialRole[] = ['curator', 'psychologist'];

/** The health-care professionals of the student-welfare staff, who assess a ban (a curator is not one). */
export type HealthCareRole = 'nurse' | 'doctor' | 'psychologist';

/**
 * Who declared what guardians may see: the student themself, or a welfare professional of a
 * welfare area recording it on the student's behalf (kept as such, with their role and organisation).
 */
export type Declarant =
  | { readonly kind: 'student'; readonly id: string }
  | { readonly kind: 'professional'; readonly id: string; readonly role: ConfidentialRole; readonly org: string };

/** A health-care professional who assessed a ban, with their role and organisation. */
export interface BanAssessor {
  readonly kind: 'professional';
  readonly id: string;
  readonly role: HealthCareRole;
  readonly org: string;
}

/** Whether the ban holds (`upheld`) or clearly conflicts with the child's interest and is lifted (`overridden`). */
export type BanAssessmentOutcome = 'upheld' | 'overridden';

/** Guardians may no longer learn that disclosures to these professions happened; the whole set each time. */
export interface GuardianVisibilityRestricted {
  readonly type: 'GuardianVisibilityRestricted';
  readonly studentId: string;
  readonly roles: readonly ConfidentialRole[];
  readonly declaredBy: Declarant;
  readonly at: string;
}

/** Guardians may again see every disclosure about the student. */
export interface GuardianVisibilityRestored {
  readonly type: 'GuardianVisibilityRestored';
  readonly studentId: string;
  readonly declaredBy: Declarant;
  readonly at: string;
}

/**
 * A health-care professional assessed the student's ban on curator or psychologist disclosures
 * (`roles`, as the declaration in force named them). Applies to that declaration only: a new one
 * starts afresh. `hiddenRoles` is what guardians may not see once assessed (the declared set,
 * less `roles` when overridden), so the relay can publish it from this event alone.
 */
export interface GuardianBanAssessed {
  readonly type: 'GuardianBanAssessed';
  readonly studentId: string;
  readonly outcome: BanAssessmentOutcome;
  readonly roles: readonly ConfidentialRole[];
  readonly hiddenRoles: readonly ConfidentialRole[];
  /** Why the ban does or does not clearly conflict with the child's interest; kept in the log, never published. */
  readonly why: string;
  readonly assessedBy: BanAssessor;
  readonly at: string;
}

/** Everything that can happen to a student's confidentiality; stored in `confidentiality-<studentId>`. */
export type ConfidentialityEvent = GuardianVisibilityRestricted | GuardianVisibilityRestored | GuardianBanAssessed;

/** The event type names, for mapping stored events back to domain events. */
export const CONFIDENTIALITY_EVENT_TYPES: ReadonlyArray<ConfidentialityEvent['type']> = ['GuardianVisibilityRestricted', 'GuardianVisibilityRestored', 'GuardianBanAssessed'];
