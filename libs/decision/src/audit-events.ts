import type { Category, Decision, DecisionInput, DecisionSnapshot, Policy } from './decision';

/**
 * The audit record of one decision, appended to the student's audit stream before any data
 * leaves. It holds the full input, policy included, so replaying `decide(input)` with the code
 * that recorded it gives back `decision`.
 */
export interface DisclosureDecided {
  readonly type: 'DisclosureDecided';
  readonly disclosureId: string;
  readonly requester: { readonly sub: string; readonly role: string; readonly org: string };
  readonly input: DecisionInput;
  readonly decision: Decision;
  /** The school and municipality the student belonged to, for scoping auditors' views. */
  readonly schoolId?: string;
  readonly municipalityId?: string;
  readonly decidedAt: string;
  /**
   * What the decision released: the permitted categories and the hex SHA-256 of the canonical JSON
   * of the data fetched for them, recorded before any of it leaves. A repeat of the request serves
   * exactly this data again or nothing (DESIGN.md §3). Absent on records made before it was kept.
   */
  readonly released?: { readonly categories: readonly Category[]; readonly dataHash: string };
}

/**
 * What a professional could receive and why, asked without receiving anything: recorded in the
 * audit trail as an explanation, never as a disclosure.
 */
export interface DisclosureExplained {
  readonly type: 'DisclosureExplained';
  readonly explanationId: string;
  readonly requester: { readonly sub: string; readonly role: string; readonly org: string };
  readonly input: DecisionInput;
  readonly decision: Decision;
  readonly decidedAt: string;
}

/** An auditor's review of an emergency disclosure: its own event, next to the decision it judges. */
export interface EmergencyAccessReviewed {
  readonly type: 'EmergencyAccessReviewed';
  readonly disclosureId: string;
  readonly reviewer: { readonly sub: string; readonly org: string };
  /**
   * Whose review: the municipality's auditor reviews as the controller, the recipient welfare
   * area's for its own organisation. Absent on reviews recorded when only one review was allowed.
   */
  readonly reviewedAs?: 'controller' | 'recipient';
  readonly outcome: 'justified' | 'unjustified';
  readonly note?: string;
  readonly reviewedAt: string;
}

/**
 * The requesting professional's acknowledgement of what a released disclosure delivered: the
 * categories and the SHA-256 of the canonical JSON of the data received, so both parties hold
 * evidence of what crossed. At most one per disclosure.
 */
export interface DisclosureReceived {
  readonly type: 'DisclosureReceived';
  readonly disclosureId: string;
  readonly studentId: string;
  readonly receiver: { readonly sub: string; readonly role: string; readonly org: string };
  readonly receivedCategories: readonly Category[];
  /** Lowercase hex SHA-256 of canonicalJson(data) as the receiver got it. */
  readonly dataHash: string;
  readonly receivedAt: string;
}

export type AuditEvent = DisclosureDecided | DisclosureExplained | EmergencyAccessReviewed | DisclosureReceived;

/** The student's audit stream. */
export function auditStreamOf(studentId: string): string {
  return `audit-${studentId}`;
}

/** The policy as the first cut recorded it: a version and the welfare-access switch. */
interface FirstCutPolicy {
  readonly version: string;
  readonly requireWelfareAccessActivation: boolean;
}

/** A DisclosureDecided as stored: possibly recorded by the first cut, without policy data or flags. */
export type StoredDisclosureDecided = Omit<DisclosureDecided, 'input' | 'decision'> & {
  readonly input: Omit<DecisionInput, 'policy' | 'snapshot'> & { readonly policy: Policy | FirstCutPolicy; readonly snapshot: StoredSnapshot };
  readonly decision: Omit<Decision, 'flags'> & { readonly flags?: Decision['flags'] };
};

/** A snapshot as stored: recorded before the service relation, its student lacks `servedBy` and `municipalityId`. */
type StoredSnapshot = Omit<DecisionSnapshot, 'student'> & {
  readonly student?: Omit<NonNullable<DecisionSnapshot['student']>, 'servedBy' | 'municipalityId'> &
    Partial<Pick<NonNullable<DecisionSnapshot['student']>, 'servedBy' | 'municipalityId'>>;
};

/**
 * A snapshot recorded before the service relation and the policy's municipality were checked gets
 * the values under which those checks pass, since the code that recorded it did not make them:
 * replaying it gives back what was decided then.
 */
function upcastSnapshot(stored: StoredDisclosureDecided, policy: Policy): DecisionSnapshot {
  const { student, ...rest } = stored.input.snapshot;
  if (!student) return { ...rest };
  if (student.servedBy !== undefined && student.municipalityId !== undefined) return { ...rest, student: student as NonNullable<DecisionSnapshot['student']> };
  return {
    ...rest,
    student: {
      ...student,
      servedBy: student.servedBy ?? stored.input.requester.welfareAreaId,
      municipalityId: student.municipalityId ?? policy.municipality ?? stored.municipalityId ?? null,
    },
  };
}

/**
 * Upcasts on read (stored events are never rewritten): a first-cut record gets a policy with no
 * necessity or emergency categories, one guardian's consent sufficing and no hash (which is what
 * that code applied), and no flags (it flagged nothing). A current record passes through unchanged.
 */
export function upcastDisclosureDecided(stored: StoredDisclosureDecided): DisclosureDecided {
  const policy = stored.input.policy;
  const fullPolicy: Policy =
    'hash' in policy
      ? policy
      : {
          id: 'first-cut',
          version: policy.version,
          hash: '',
          necessity: { curator: [], psychologist: [], nurse: [], doctor: [] },
          emergency: { categories: [], windowMinutes: 0 },
          requireWelfareAccessActivation: policy.requireWelfareAccessActivation,
          consentFrom: 'any_guardian',
          minJustificationLength: 0,
        };
  return {
    ...stored,
    input: { ...stored.input, policy: fullPolicy, snapshot: upcastSnapshot(stored, fullPolicy) },
    decision: { ...stored.decision, flags: stored.decision.flags ?? { supervision: false, review: false } },
  };
}
