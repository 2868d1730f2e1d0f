/**
 * The decision point (DESIGN.md §3), as a pure function: given the request, the requester, a
 * snapshot of what disclosure knows and the municipality's policy, decide each category on its
 * own. Deny by default. No I/O, no clock: `now`, the snapshot and the policy come in, so a
 * recorded decision can be replayed.
 */

import { CAPACITY_FIELD_OF, DataCategory, isAdultAt, type CapacityField, type EducationForm } from '@silta/contracts';

/** The categories of student data: the glossary's, shared with the public contracts. */
export const CATEGORIES = DataCategory.options;
export type Category = DataCategory;

export const BASES = ['identification', 'necessity', 'consent', 'emergency'] as const;
export type Basis = (typeof BASES)[number];

export const PROFESSIONS = ['curator', 'psychologist', 'nurse', 'doctor'] as const;
export type Profession = (typeof PROFESSIONS)[number];

/** Categories the identification basis covers: no consent needed (DESIGN.md §1). */
export const IDENTIFICATION_CATEGORIES: readonly Category[] = ['identification', 'guardian_contacts'];

/**
 * What the sources allow on an emergency: no source gives a general emergency basis (issue 12), so
 * beyond identification and guardians' contacts a policy widens the emergency set only explicitly
 * (`emergency.widenedBeyondSources`), and every decision that relies on the widening records it.
 */
export const EMERGENCY_CATEGORIES_IN_SOURCES: readonly Category[] = IDENTIFICATION_CATEGORIES;

/** Stable reason codes for a permitted category: part of the public API and of the audit record. */
export const PERMIT_REASONS = ['identification_data', 'necessary_for_case', 'consent_given', 'emergency'] as const;
export type PermitReason = (typeof PERMIT_REASONS)[number];

/**
 * Stable reason codes for a denied category. `basis_not_supported` is no longer produced; it stays
 * so that decisions recorded by the first cut (before necessity and emergency) can be explained.
 */
export const DENY_REASONS = [
  'view_incomplete',
  'not_enrolled',
  'other_municipality',
  'school_not_served',
  'not_assigned',
  'welfare_access_inactive',
  'category_not_covered',
  'case_id_required',
  'justification_too_short',
  'not_in_profession_set',
  'outside_student_welfare_act',
  'no_consent',
  'consent_incomplete',
  'not_in_emergency_set',
  'basis_not_supported',
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

export type ReasonCode = PermitReason | DenyReason;
export const REASON_CODES: readonly ReasonCode[] = [...PERMIT_REASONS, ...DENY_REASONS];

export type CategoryOutcome =
  | {
      readonly category: Category;
      readonly outcome: 'permit';
      readonly reason: PermitReason;
      /** Consent basis: the first consent relied on (kept for readers of the first cut). */
      readonly consent?: ConsentReference;
      /** Consent basis: every consent relied on; one per guardian when all guardians must consent. */
      readonly consents?: readonly ConsentReference[];
    }
  | { readonly category: Category; readonly outcome: 'deny'; readonly reason: DenyReason };

export interface ConsentReference {
  readonly consentId: string;
  readonly version: number;
}

export type { CapacityField };

/**
 * The field of professional judgement a profession belongs to (CAPACITY_FIELD_OF, shared with
 * consent): capacity to decide is judged per matter by a professional of the field (issue 12 item 4).
 */
export function fieldOf(role: Profession): CapacityField {
  return CAPACITY_FIELD_OF[role];
}

/**
 * A professional's judgement, for their field, of whether the minor student can decide the matter
 * themselves (health care: potilaslaki 785/1992 7 §, no fixed age; social welfare: 812/2000 10–11 §).
 */
export interface CapacityAssessment {
  readonly decidesForSelf: boolean;
  /** YYYY-MM-DD, the day of the assessment. */
  readonly assessedOn: string;
  readonly assessedBy: { readonly professionalId: string; readonly role: Profession };
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
  /**
   * A necessity request marked urgent: the curator's route for assessing urgency (issue 12). Only
   * with basis `necessity`, only for the professions the policy names (`urgentNecessityFor`); it
   * enters the review queue like emergency access.
   */
  readonly urgent?: boolean;
}

/** What disclosure's view held about the student and the requester when it decided. */
export interface DecisionSnapshot {
  readonly student?: {
    readonly schoolId: string;
    readonly decidesForSelf: boolean;
    /**
     * The student's birth date (YYYY-MM-DD, roster's identification data). From the 18th birthday
     * (see `isAdultAt`) guardianship has ended (361/1983 3 §): the student decides alone and
     * guardians' consents do not count. Absent in decisions recorded before issue 12 item 3 and when
     * the view does not know it: then only `decidesForSelf` says who decides (so those replay as
     * recorded).
     */
    readonly birthDate?: string;
    /**
     * The latest capacity assessment per field, as professionals recorded them. Present (possibly
     * empty) in every decision made since issue 12 item 4: then the assessment of the requester's
     * field decides whether the student decides alone, and `decidesForSelf` (the school's own
     * record) does not. Absent in decisions recorded before, which replay with `decidesForSelf`.
     */
    readonly capacity?: Readonly<Partial<Record<CapacityField, CapacityAssessment>>>;
    /**
     * The form of education the student is enrolled in (roster). Absent in decisions recorded
     * before issue 12 item 7 and on bases whose outcome does not depend on it.
     */
    readonly educationForm?: EducationForm;
    /** Whether the student is in compulsory education (1214/2020); read with `educationForm`. */
    readonly inCompulsoryEducation?: boolean;
    readonly welfareAccessActive: boolean;
    /**
     * ISO date-time of the enrolment or of the last transfer into the current school. Only
     * consents granted after it count: a transfer ends what depended on it.
     */
    readonly enrolledAt?: string;
    /**
     * The welfare area the municipality declared serves the student's school, or null when none is
     * declared (then no welfare area's professional receives anything).
     */
    readonly servedBy: string | null;
    /** The municipality that runs the student's school, or null when the view does not know it. */
    readonly municipalityId: string | null;
  };
  /** The requester's assignments (any school); the decision picks the one that counts. */
  readonly assignments: readonly Assignment[];
  /** The student's consents, whatever their status. */
  readonly consents: readonly Consent[];
  /** Guardians currently linked to the student. */
  readonly linkedGuardianIds: readonly string[];
  /**
   * When each currently linked guardian's current link began (guardian id → ISO date-time). Only
   * that guardian's consents granted after it count: an unlink ended the earlier ones, and a
   * relink does not revive them. Optional; a guardian without an entry is not checked.
   */
  readonly guardianLinkedAt?: Readonly<Record<string, string>>;
  /**
   * ISO date-time at which this professional's current emergency window for this student started,
   * if an earlier emergency decision opened one (the latest `Decision.emergencyWindow.startedAt`).
   */
  readonly emergencyWindowStartedAt?: string;
  /**
   * Set when a message that would have narrowed access to this student (or their school) could
   * not be applied to the view: what the view holds may be wider than the truth, so nothing is
   * permitted until an operator has dealt with the alarm (DESIGN.md §6, invariant 9).
   */
  readonly viewIncomplete?: boolean;
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
  /** ISO date-times. `validUntil` is an expiry that needs no event. */
  readonly validFrom: string;
  readonly validUntil?: string;
  /** ISO date-time the consent (this version) was granted; needed once `student.enrolledAt` is known. */
  readonly grantedAt?: string;
  /** What the consent was given for, as the grantor wrote it. */
  readonly purpose?: string;
}

/** The municipality's disclosure policy, as loaded from its policy file (see policy-document.ts; the disclosure app ships its policies in apps/disclosure/policy/). */
export interface Policy {
  /** e.g. `municipality:demo/disclosure-policy`. */
  readonly id: string;
  readonly version: string;
  /** sha-256 hex of the canonical JSON of the policy document. */
  readonly hash: string;
  /** The municipality the policy belongs to (its bare id, as roster records it). */
  readonly municipality?: string;
  /** Per profession, the categories a necessity request may cover. */
  readonly necessity: Readonly<Record<Profession, readonly Category[]>>;
  readonly emergency: {
    /** Every category the emergency basis permits, the widened ones included. */
    readonly categories: readonly Category[];
    readonly windowMinutes: number;
    /**
     * The categories beyond what the sources allow on an emergency (EMERGENCY_CATEGORIES_IN_SOURCES)
     * that the municipality added, and why. Absent: no widening declared (a policy recorded before
     * issue 12 may still hold a wider set without it; replay applies it as recorded).
     */
    readonly widenedBeyondSources?: WidenedEmergencySet;
  };
  /**
   * The professions whose necessity request may be marked urgent. Absent: none may (policies
   * recorded before issue 12, when no request could be).
   */
  readonly urgentNecessityFor?: readonly Profession[];
  /**
   * Whether an absence's free-text reason is released: `never` (absent: never; OPH: a reason such as
   * illness may not show), or `on_consent`: only when absences are permitted on a consent.
   */
  readonly absenceReasons?: 'never' | 'on_consent';
  /** The seed's model: the school admin activates welfare access per student. */
  readonly requireWelfareAccessActivation: boolean;
  /** Whether one linked guardian's consent suffices, or every linked guardian must consent. */
  readonly consentFrom: 'any_guardian' | 'all_guardians';
  /** Minimum length, in characters after trimming, of a necessity or emergency justification. */
  readonly minJustificationLength: number;
  /**
   * When true, a consent counts only for a request whose purpose matches the consent's purpose
   * (compared trimmed and case-insensitively); absent or false, the purpose is recorded, not matched.
   */
  readonly matchConsentPurpose?: boolean;
}

export interface WidenedEmergencySet {
  readonly categories: readonly Category[];
  /** The municipality's reason for widening, as its policy states it. */
  readonly why: string;
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

export interface DecisionFlags {
  /** A necessity request: a supervisor checks the stated need afterwards. */
  readonly supervision: boolean;
  /** An emergency request, or a necessity request marked urgent: it enters the review queue. */
  readonly review: boolean;
}

export interface EmergencyWindow {
  /** ISO date-times; access on the emergency basis ends at `endsAt` (exclusive). */
  readonly startedAt: string;
  readonly endsAt: string;
}

export interface Decision {
  readonly outcome: Outcome;
  readonly categories: readonly CategoryOutcome[];
  /** The assignment that satisfied the preconditions, if one did. */
  readonly assignmentId?: string;
  readonly flags: DecisionFlags;
  /** Present when the emergency basis permitted something: the window the access is boxed in. */
  readonly emergencyWindow?: EmergencyWindow;
  /**
   * Present when the emergency basis permitted a category only because the policy widened the
   * emergency set beyond the sources: those categories and the policy's stated reason.
   */
  readonly emergencyWidenedBeyondSources?: WidenedEmergencySet;
}

/** Decides every requested category; the overall outcome summarises them. */
export function decide(input: DecisionInput): Decision {
  const { request } = input;
  const flags: DecisionFlags = {
    supervision: request.basis === 'necessity',
    review: request.basis === 'emergency' || (request.basis === 'necessity' && request.urgent === true),
  };
  const precondition = checkPreconditions(input);
  const refusal = precondition.denied ?? requestRefusal(input);
  const decideOne = refusal ? (category: Category): CategoryOutcome => deny(category, refusal) : basisDecider(input);
  const categories = request.categories.map(decideOne);
  const emergencyWindow =
    request.basis === 'emergency' && categories.some((c) => c.outcome === 'permit') ? emergencyWindowAt(input) : undefined;
  const widened = emergencyWindow ? widenedPermits(categories, input.policy) : undefined;
  return {
    outcome: summarise(categories),
    categories,
    ...(precondition.assignmentId !== undefined ? { assignmentId: precondition.assignmentId } : {}),
    flags,
    ...(emergencyWindow ? { emergencyWindow } : {}),
    ...(widened ? { emergencyWidenedBeyondSources: widened } : {}),
  };
}

/** The permitted categories that only the policy's declared widening of the emergency set allowed. */
function widenedPermits(categories: readonly CategoryOutcome[], policy: Policy): WidenedEmergencySet | undefined {
  const widening = policy.emergency.widenedBeyondSources;
  if (!widening) return undefined;
  const relied = categories.filter((c) => c.outcome === 'permit' && widening.categories.includes(c.category)).map((c) => c.category);
  return relied.length > 0 ? { categories: relied, why: widening.why } : undefined;
}

/**
 * Why the request is denied whatever its basis and the student's standing (view incomplete, not
 * enrolled, another municipality, a school the requester's area does not serve, no assignment,
 * welfare access inactive); undefined when the preconditions hold. Lets a caller skip reading what
 * only a decision past them needs.
 */
export function preconditionDenial(input: Pick<DecisionInput, 'snapshot' | 'requester' | 'policy' | 'now'>): DenyReason | undefined {
  return checkPreconditions(input).denied;
}

function checkPreconditions(input: Pick<DecisionInput, 'snapshot' | 'requester' | 'policy' | 'now'>): { denied?: DenyReason; assignmentId?: string } {
  const { snapshot, requester, policy, now } = input;
  const student = snapshot.student;
  if (snapshot.viewIncomplete) return { denied: 'view_incomplete' };
  if (!student) return { denied: 'not_enrolled' };
  // A policy is one municipality's: it decides about that municipality's students only.
  if (policy.municipality !== undefined && student.municipalityId !== policy.municipality) return { denied: 'other_municipality' };
  if (student.servedBy !== requester.welfareAreaId) return { denied: 'school_not_served' };
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

/** What the request itself lacks for its basis, denying every category alike. */
function requestRefusal(input: DecisionInput): DenyReason | undefined {
  const { request, policy } = input;
  switch (request.basis) {
    case 'identification':
    case 'consent':
      return undefined;
    case 'necessity':
      if (!withinStudentWelfareAct(input.snapshot.student, input.now)) return 'outside_student_welfare_act';
      if (!request.caseId?.trim()) return 'case_id_required';
      return justificationSuffices(request.justification, policy) ? undefined : 'justification_too_short';
    case 'emergency':
      return justificationSuffices(request.justification, policy) ? undefined : 'justification_too_short';
  }
}

/**
 * Whether the student-welfare act (1287/2013 1 §), and with it the curator's necessity route,
 * covers the student: every form of education it names, and adult upper-secondary education only
 * while the student is in compulsory education, which ends at 18 at the latest (1214/2020 2 §). A
 * student whose form the snapshot does not hold (decisions recorded before it was read) is taken
 * as covered, as they were then.
 */
export function withinStudentWelfareAct(student: DecisionSnapshot['student'], now: string): boolean {
  if (student?.educationForm !== 'adult_upper_secondary') return true;
  return student.inCompulsoryEducation === true && !isAdultAt(student.birthDate, now);
}

/**
 * Whether the request may be marked urgent as it is: an unmarked request always may; a marked one
 * only on basis necessity and for a profession the policy names. The request handlers refuse
 * anything else before deciding.
 */
export function urgencyAllowed(request: Pick<DisclosureRequest, 'basis' | 'urgent'>, requester: Pick<Requester, 'role'>, policy: Policy): boolean {
  if (request.urgent !== true) return true;
  return request.basis === 'necessity' && (policy.urgentNecessityFor ?? []).includes(requester.role);
}

/** Counted in characters (code points) after trimming, so padding with spaces does not help. */
export function justificationSuffices(justification: string | undefined, policy: Policy): boolean {
  return [...(justification ?? '').trim()].length >= policy.minJustificationLength;
}

function basisDecider(input: DecisionInput): (category: Category) => CategoryOutcome {
  const { request, requester, policy } = input;
  switch (request.basis) {
    case 'identification':
      return (category) =>
        IDENTIFICATION_CATEGORIES.includes(category) ? permit(category, 'identification_data') : deny(category, 'category_not_covered');
    case 'necessity': {
      // A profession whose policy set is empty (by default nurse, doctor, psychologist) gets nothing.
      const allowed = policy.necessity[requester.role] ?? [];
      return (category) => (allowed.includes(category) ? permit(category, 'necessary_for_case') : deny(category, 'not_in_profession_set'));
    }
    case 'consent': {
      const usable = usableConsents(input);
      return (category) => decideByConsent(category, usable, input);
    }
    case 'emergency':
      return (category) =>
        policy.emergency.categories.includes(category) ? permit(category, 'emergency') : deny(category, 'not_in_emergency_set');
  }
}

function permit(category: Category, reason: PermitReason, consents?: readonly ConsentReference[]): CategoryOutcome {
  return consents ? { category, outcome: 'permit', reason, consent: consents[0]!, consents } : { category, outcome: 'permit', reason };
}

function deny(category: Category, reason: DenyReason): CategoryOutcome {
  return { category, outcome: 'deny', reason };
}

/** Whether the student is 18 or more at `now` (361/1983 3 §): the one rule, shared with consent. */
export { isAdultAt };

/**
 * Whether the student decides alone in a matter of the requester's profession: they are 18 or more,
 * or a professional of that profession's field has judged that they can decide it themselves. A
 * decision recorded before per-field assessments existed (no `capacity` in its snapshot) replays
 * with the school's flag `decidesForSelf`, as it was decided then.
 */
export function studentDecidesAlone(student: DecisionSnapshot['student'], now: string, role: Profession): boolean {
  if (student === undefined) return false;
  if (isAdultAt(student.birthDate, now)) return true;
  if (student.capacity === undefined) return student.decidesForSelf;
  return student.capacity[fieldOf(role)]?.decidesForSelf === true;
}

/**
 * Whose consent counts: the student alone when they decide for themselves in the requester's
 * field or are 18 or more
 * (guardians' consents then do not count: a guardian's consent is denied `no_consent`, as no consent
 * that counts covers the data), otherwise the currently linked guardians: any one of them, or every one of
 * them when the policy says so (the permit then names one consent per guardian).
 */
function decideByConsent(category: Category, usable: readonly Consent[], input: DecisionInput): CategoryOutcome {
  const { snapshot, request, requester, policy, now } = input;
  const covering = usable.filter((c) => c.categories.includes(category));
  if (studentDecidesAlone(snapshot.student, now, requester.role)) {
    const own = covering.find((c) => c.grantedBy.kind === 'student' && c.grantedBy.id === request.studentId);
    return own ? permit(category, 'consent_given', [reference(own)]) : deny(category, 'no_consent');
  }
  const byGuardian = (guardianId: string) => covering.find((c) => c.grantedBy.kind === 'guardian' && c.grantedBy.id === guardianId);
  const guardians = [...new Set(snapshot.linkedGuardianIds)];
  const found = guardians.map(byGuardian).filter((c): c is Consent => c !== undefined);
  if (found.length === 0) return deny(category, 'no_consent');
  if (policy.consentFrom === 'all_guardians' && found.length < guardians.length) return deny(category, 'consent_incomplete');
  const relied = policy.consentFrom === 'all_guardians' ? found : [found[0]!];
  return permit(category, 'consent_given', relied.map(reference));
}

function reference(consent: Consent): ConsentReference {
  return { consentId: consent.consentId, version: consent.version };
}

/**
 * The consents that may count for this requester now, whatever category is asked: the newest
 * version of each, never withdrawn (withdrawal is final, whichever version recorded it), active,
 * in force, addressed to the requester's welfare area and role, granted after the student came to
 * the current school and, for a guardian's consent, after the guardian's current link began.
 */
export function usableConsents(input: DecisionInput): Consent[] {
  const { snapshot, requester, now } = input;
  const at = Date.parse(now);
  const enrolledAt = snapshot.student?.enrolledAt;
  const withdrawn = new Set(snapshot.consents.filter((c) => c.status === 'withdrawn').map((c) => c.consentId));
  const newest = new Map<string, Consent>();
  for (const c of snapshot.consents) {
    const held = newest.get(c.consentId);
    if (!held || c.version > held.version) newest.set(c.consentId, c);
  }
  return [...newest.values()].filter(
    (c) =>
      !withdrawn.has(c.consentId) &&
      c.status === 'active' &&
      Date.parse(c.validFrom) <= at &&
      (c.validUntil === undefined || at < Date.parse(c.validUntil)) &&
      c.welfareAreaId === requester.welfareAreaId &&
      (c.roles === undefined || c.roles.includes(requester.role)) &&
      grantedSince(c, enrolledAt) &&
      purposeMatches(c, input) &&
      (c.grantedBy.kind !== 'guardian' || grantedSince(c, snapshot.guardianLinkedAt?.[c.grantedBy.id])),
  );
}

/** Under a purpose-matching policy, the consent's purpose must be the request's; unknown never matches. */
function purposeMatches(consent: Consent, input: DecisionInput): boolean {
  if (!input.policy.matchConsentPurpose) return true;
  const normalise = (text: string) => text.trim().toLowerCase();
  return consent.purpose !== undefined && normalise(consent.purpose) === normalise(input.request.purpose);
}

/**
 * Granted after `since` (a transfer or a guardian's link). A grant at the very same instant does
 * not count, since which came first is unknown; nor does one whose grant time is unknown.
 */
function grantedSince(consent: Consent, since: string | undefined): boolean {
  if (since === undefined) return true;
  return consent.grantedAt !== undefined && Date.parse(consent.grantedAt) > Date.parse(since);
}

/**
 * The emergency window this decision falls in: the professional's current window for the student
 * if `now` lies within it, otherwise a new one starting now. Repeated requests inside a window do
 * not extend it; once it has passed, a new justified request opens a new window (and is reviewed
 * like the first).
 */
export function emergencyWindowAt(input: Pick<DecisionInput, 'snapshot' | 'policy' | 'now'>): EmergencyWindow {
  const at = Date.parse(input.now);
  const length = input.policy.emergency.windowMinutes * 60_000;
  const earlier = input.snapshot.emergencyWindowStartedAt;
  const earlierStart = earlier === undefined ? NaN : Date.parse(earlier);
  const start = earlierStart <= at && at < earlierStart + length ? earlierStart : at;
  return { startedAt: new Date(start).toISOString(), endsAt: new Date(start + length).toISOString() };
}

/** `permit` when every category is permitted, `deny` when none is, `partial` otherwise. */
export function summarise(categories: readonly CategoryOutcome[]): Outcome {
  const permitted = categories.filter((c) => c.outcome === 'permit').length;
  if (permitted === 0) return 'deny';
  return permitted === categories.length ? 'permit' : 'partial';
}
