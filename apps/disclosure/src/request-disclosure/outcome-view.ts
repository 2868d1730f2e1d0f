import type { Decision } from '../domain/decision';
import { explainReason, type Language } from '../domain/reasons';

/** Per-category outcomes as the API shows them, each with a message in the caller's language. */
export function categoryOutcomes(decision: Decision, basis: string, language: Language) {
  return decision.categories.map((c) => ({
    category: c.category,
    outcome: c.outcome,
    basis,
    reason: c.reason,
    message: explainReason(c.reason, language),
    ...('consents' in c && c.consents ? { consents: c.consents } : {}),
  }));
}
