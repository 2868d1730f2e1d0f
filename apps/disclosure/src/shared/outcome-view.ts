import { explainReason, legalSourceOf, type Decision, type Language } from '@silta/decision';

/**
 * Per-category outcomes as the API shows them, each with a message in the caller's language and
 * the reason's legal source (the requester's profession's, where OPH's guidance differs by it).
 */
export function categoryOutcomes(decision: Pick<Decision, 'categories'>, basis: string, language: Language, profession?: string) {
  return decision.categories.map((c) => ({
    category: c.category,
    outcome: c.outcome,
    basis,
    reason: c.reason,
    message: explainReason(c.reason, language),
    source: legalSourceOf(c.reason, language, profession),
    ...('consents' in c && c.consents ? { consents: c.consents } : {}),
  }));
}
