/**
 * The decision point (DESIGN.md §3), as a pure function: given the request, the requester and a
 * snapshot of what disclosure knows, decide each category on its own. Deny by default.
 * No I/O, no clock: `now` and the snapshot come in, so a recorded decision can be replayed.
 */

export const CATEGORIES = [
  'identification',
  'guardian_contacts',
  'absences',
  'lesson_markings',
  'grades',
  'detentions',
  'learning_progress',
  'support_needs',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const BASES = ['identification', 'necessity', 'consent', 'emergency'] as const;
export type Basis = (typeof BASES)[number];

export const PROFESSIONS = ['curator', 'psychologist', 'nurse', 'doctor'] as const;
export type Profession = (typeof PROFESSIONS)[number];

/** Categories the identification basis covers: no consent needed (DESIGN.md §1). */
export const IDENTIFICATION_CATEGORIES: readonly Category[] = ['identification', 'guardian_contacts'];

/** Stable reason codes: part of the public API and of the audit record. */
export type PermitReason = 'identification_data' | 'consent_given';
export type DenyReason =
  | 'not_enrolled'
  | 'not_assigned'
  | 'welfare_access_inactive'
  | 'category_not_covered'
  | 'no_consent'
  | 'basis_not_supported';

export type CategoryOutcome =
  | { readonly category: Category; readonly outcome: 'permit'; readonly reason: PermitReason; readonly consent?: ConsentReference }
  | { readonly category: Category; readonly outcome: 'deny'; readonly reason: DenyReason };

export interface ConsentReference {
  readonly consentId: string;
  readonly version: number;
}

export interface Requester {
  readonly professionalId: string;
  readonly role: Profession;
  readonly welfareAreaId: string;
}

export interface DisclosureRequest {
  readonly requestId: string;
  readonly studentId: string;
  readonly categories: readonly Category[];
  readonly basis: Basis;
  readonly purpose: string;
  readonly caseId?: string;
  readonly justification?: string;
}

/** What disclosure's view held about the student and the requester when it decided. */
export interface DecisionSnapshot {
  readonly student?: {
    readonly schoolId: string;
    readonly decidesForSelf: boolean;
    readonly welfareAccessActive: boolean;
  };
  /** The requester's assignments (any school); the decision picks the one that counts. */
  readonly assignments: readonly Assignment[];
  /** The student's consents, whatever their status. */
  readonly consents: readonly Consent[];
  /** Guardians currently linked to the student. */
  readonly linkedGuardianIds: readonly string[];
}

export interface Assignment {
  readonly assignmentId: string;
  readonly professionalId: string;
  readonly role: Profession;
  readonly welfareAreaId: string;
  readonly schoolId: string;
  /** YYYY-MM-DD, inclusive. */
  readonly validFrom: string;
  /** YYYY-MM-DD, inclusive; absent for open-ended. */
  readonly validUntil?: string;
  readonly ended: boolean;
}

export interface Consent {
  readonly consentId: string;
  readonly version: number;
  readonly grantedBy: { readonly kind: 'guardian' | 'student'; readonly id: string };
  readonly categories: readonly Category[];
  readonly welfareAreaId: string;
  readonly roles?: readonly Profession[];
  readonly status: 'active' | 'paused' | 'withdrawn';
  /** ISO date-times. */
  readonly validFrom: string;
  readonly validUntil?: string;
}

export interface Policy {
  readonly version: string;
  /** The seed's model: the school admin activates welfare access per student. */
  readonly requireWelfareAccessActivation: boolean;
}

export interface DecisionInput {
  readonly request: DisclosureRequest;
  readonly requester: Requester;
  readonly snapshot: DecisionSnapshot;
  readonly policy: Policy;
  /** ISO date-time of the decision. */
  readonly now: string;
}

export type Outcome = 'permit' | 'partial' | 'deny';

export interface Decision {
  readonly outcome: Outcome;
  readonly categories: readonly CategoryOutcome[];
  /** The assignment that satisfied the preconditions, if one did. */
  readonly assignmentId?: string;
}

/** Decides every requested category; the overall outcome summarises them. */
export function decide(input: DecisionInput): Decision {
  const { request } = input;
  const precondition = checkPreconditions(input);
  const categories = request.categories.map((category): CategoryOutcome => {
    if (precondition.denied) return { category, outcome: 'deny', reason: precondition.denied };
    return decideCategory(category, input);
  });
  return { outcome: summarise(categories), categories, assignmentId: precondition.assignmentId };
}

function checkPreconditions(input: DecisionInput): { denied?: DenyReason; assignmentId?: string } {
  const { snapshot, requester, policy, now } = input;
  const student = snapshot.student;
  if (!student) return { denied: 'not_enrolled' };
  const assignment = snapshot.assignments.find((a) => assignmentCovers(a, requester, student.schoolId, now));
  if (!assignment) return { denied: 'not_assigned' };
  if (policy.requireWelfareAccessActivation && !student.welfareAccessActive) {
    return { denied: 'welfare_access_inactive', assignmentId: assignment.assignmentId };
  }
  return { assignmentId: assignment.assignmentId };
}

/** Valid today, for this professional in this role and welfare area, at the student's current school. */
export function assignmentCovers(assignment: Assignment, requester: Requester, schoolId: string, now: string): boolean {
  const today = now.slice(0, 10);
  return (
    !assignment.ended &&
    assignment.professionalId === requester.professionalId &&
    assignment.role === requester.role &&
    assignment.welfareAreaId === requester.welfareAreaId &&
    assignment.schoolId === schoolId &&
    assignment.validFrom <= today &&
    (assignment.validUntil === undefined || today <= assignment.validUntil)
  );
}

function decideCategory(category: Category, input: DecisionInput): CategoryOutcome {
  switch (input.request.basis) {
    case 'identification':
      return IDENTIFICATION_CATEGORIES.includes(category)
        ? { category, outcome: 'permit', reason: 'identification_data' }
        : { category, outcome: 'deny', reason: 'category_not_covered' };
    case 'consent': {
      const consent = findConsent(category, input);
      return consent
        ? { category, outcome: 'permit', reason: 'consent_given', consent: { consentId: consent.consentId, version: consent.version } }
        : { category, outcome: 'deny', reason: 'no_consent' };
    }
    case 'necessity':
    case 'emergency':
      return { category, outcome: 'deny', reason: 'basis_not_supported' };
  }
}

/** An active consent, in force now, by someone who may give it, whose scope covers the request. */
export function findConsent(category: Category, input: DecisionInput): Consent | undefined {
  const { snapshot, requester, now } = input;
  const decidesForSelf = snapshot.student?.decidesForSelf ?? false;
  const at = Date.parse(now);
  return snapshot.consents.find(
    (c) =>
      c.status === 'active' &&
      Date.parse(c.validFrom) <= at &&
      (c.validUntil === undefined || at < Date.parse(c.validUntil)) &&
      grantorMayConsent(c, decidesForSelf, snapshot.linkedGuardianIds) &&
      c.welfareAreaId === requester.welfareAreaId &&
      (c.roles === undefined || c.roles.includes(requester.role)) &&
      c.categories.includes(category),
  );
}

/** A student who decides for themselves consents alone; otherwise a currently linked guardian does. */
function grantorMayConsent(consent: Consent, decidesForSelf: boolean, linkedGuardianIds: readonly string[]): boolean {
  if (decidesForSelf) return consent.grantedBy.kind === 'student';
  return consent.grantedBy.kind === 'guardian' && linkedGuardianIds.includes(consent.grantedBy.id);
}

function summarise(categories: readonly CategoryOutcome[]): Outcome {
  const permitted = categories.filter((c) => c.outcome === 'permit').length;
  if (permitted === 0) return 'deny';
  return permitted === categories.length ? 'permit' : 'partial';
}
