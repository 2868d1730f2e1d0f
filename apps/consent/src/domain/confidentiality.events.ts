/** The welfare professions whose disclosures a student can hide from their guardians. */
export type ConfidentialRole = 'curator' | 'psychologist';

/** Every confidential role, in the order a hidden set is recorded in. */
export const CONFIDENTIAL_ROLES: readonly ConfidentialRole[] = ['curator', 'psychologist'];

/**
 * Who declared what guardians may see: the student themself, or a curator or psychologist of a
 * welfare area recording it on the student's behalf (kept as such, with their role and organisation).
 */
export type Declarant =
  | { readonly kind: 'student'; readonly id: string }
  | { readonly kind: 'professional'; readonly id: string; readonly role: ConfidentialRole; readonly org: string };

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

/** Everything that can happen to a student's confidentiality; stored in `confidentiality-<studentId>`. */
export type ConfidentialityEvent = GuardianVisibilityRestricted | GuardianVisibilityRestored;

/** The event type names, for mapping stored events back to domain events. */
export const CONFIDENTIALITY_EVENT_TYPES: ReadonlyArray<ConfidentialityEvent['type']> = ['GuardianVisibilityRestricted', 'GuardianVisibilityRestored'];
