import type { Decision, Policy } from './decision';

/**
 * What actually leaves, shaped from the records roster answered for the permitted categories: an
 * absence's free-text reason is confidential (OPH on the publicity of absence data: a reason such
 * as illness may not show), so it is removed unless the policy allows it on consent
 * (`absenceReasons: on_consent`) and absences were permitted on a consent. Pure: the released data
 * hash is taken of its result, and a repeat under the recorded decision and policy shapes the same.
 */
export function releasedData(data: Readonly<Record<string, unknown>>, decided: { readonly decision: Decision; readonly policy: Policy }): Record<string, unknown> {
  if (!Array.isArray(data.absences) || absenceReasonsReleased(decided)) return { ...data };
  return { ...data, absences: data.absences.map(withoutReason) };
}

/** Whether this decision releases absences with their reasons. */
export function absenceReasonsReleased({ decision, policy }: { readonly decision: Decision; readonly policy: Policy }): boolean {
  if (policy.absenceReasons !== 'on_consent') return false;
  return decision.categories.some((c) => c.category === 'absences' && c.outcome === 'permit' && c.reason === 'consent_given');
}

function withoutReason(record: unknown): unknown {
  if (record === null || typeof record !== 'object' || !('reason' in record)) return record;
  const { reason: _reason, ...rest } = record as Record<string, unknown>;
  return rest;
}
