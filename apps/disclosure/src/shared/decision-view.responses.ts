import { z } from 'zod';
import { DataCategory } from '@silta/contracts';
import { BASES, DENY_REASONS, PERMIT_REASONS } from '@silta/decision';

/** A moment as disclosure records it (ISO 8601 with a time zone). */
export const Instant = z.iso.datetime({ offset: true });

/** A consent a permit relied on. */
const ConsentReference = z.strictObject({ consentId: z.string(), version: z.number().int().positive() });

/** The decision on one category: a permit with its reason (and the consents relied on), or a deny with its reason. */
export const CategoryDecision = z.discriminatedUnion('outcome', [
  z.strictObject({
    category: DataCategory,
    outcome: z.literal('permit'),
    reason: z.enum(PERMIT_REASONS),
    consent: ConsentReference.optional(),
    consents: z.array(ConsentReference).optional(),
  }),
  z.strictObject({ category: DataCategory, outcome: z.literal('deny'), reason: z.enum(DENY_REASONS) }),
]);

/**
 * The decision on one category as a request or an explanation answers it (shared/outcome-view.ts):
 * with the reason's message and legal source in the caller's language.
 */
export const CategoryOutcome = z.strictObject({
  category: DataCategory,
  outcome: z.enum(['permit', 'deny']),
  /** The request's basis: identification, necessity, consent or emergency. */
  basis: z.string(),
  reason: z.enum([...PERMIT_REASONS, ...DENY_REASONS]),
  message: z.string(),
  source: z.string(),
  consents: z.array(ConsentReference).optional(),
});

/** What a decision flagged: supervision (a necessity request) and review (an emergency, or an urgent necessity request). */
export const DecisionFlags = z.strictObject({ supervision: z.boolean(), review: z.boolean() });

/** The window an emergency access is boxed in; it ends at `endsAt` (exclusive). */
export const EmergencyWindow = z.strictObject({ startedAt: Instant, endsAt: Instant });

/** The policy a decision was made under. */
export const PolicyReference = z.strictObject({ id: z.string(), version: z.string(), hash: z.string() });

/** A recorded decision as the API shows it (shared/decision-views.ts): never the released data. */
export const DisclosureDecision = z
  .strictObject({
    disclosureId: z.string(),
    requestId: z.string(),
    decidedAt: Instant,
    requester: z.strictObject({ sub: z.string(), role: z.string(), org: z.string() }),
    studentId: z.string(),
    basis: z.enum(BASES),
    purpose: z.string(),
    outcome: z.enum(['permit', 'partial', 'deny']),
    categories: z.array(CategoryDecision),
    policy: PolicyReference,
    flags: DecisionFlags,
    emergencyWindow: EmergencyWindow.optional(),
    caseId: z.string().optional(),
    justification: z.string().optional(),
    /** Present on a decision flagged for review: each organisation's review of it so far. */
    reviews: z
      .array(
        z.strictObject({
          organisation: z.string(),
          reviewedAs: z.enum(['controller', 'recipient']),
          outcome: z.string(),
          reviewedAt: Instant,
          reviewedBy: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'DisclosureDecision' });

/** A page of decisions, oldest first; the last page's nextCursor is null. */
export const DisclosurePage = z.strictObject({ disclosures: z.array(DisclosureDecision), nextCursor: z.string().nullable() }).meta({ id: 'DisclosurePage' });
