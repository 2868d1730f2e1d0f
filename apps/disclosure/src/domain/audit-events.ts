import type { Decision, DecisionInput } from './decision';

/**
 * The audit record of one decision, appended to the student's audit stream before any data
 * leaves. It holds the full input, so replaying `decide(input)` must give back `decision`.
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
}

export type AuditEvent = DisclosureDecided;

/** The student's audit stream. */
export function auditStreamOf(studentId: string): string {
  return `audit-${studentId}`;
}
