import { z } from 'zod';
import { EntityId, MAX_ID_LENGTH } from '@silta/contracts';
import { canonicalJson } from '@silta/transparency';
import { BASES, CATEGORIES } from '@silta/decision';

/** What a professional asks: the body of a disclosure request and of an explanation alike. */
export const RequestDisclosureBody = z.strictObject({
  requestId: z.string().min(1).max(MAX_ID_LENGTH),
  /** Names the student's audit stream, so it is held to the id alphabet. */
  studentId: EntityId,
  categories: z
    .array(z.enum(CATEGORIES))
    .min(1)
    .refine((c) => new Set(c).size === c.length, 'categories must not repeat'),
  basis: z.enum(BASES),
  purpose: z.string().min(1).max(500),
  caseId: z.string().min(1).max(200).optional(),
  justification: z.string().min(1).max(4000).optional(),
  /**
   * A necessity request marked urgent (the curator's route for assessing urgency): reviewed like
   * emergency access. Only with basis necessity; the policy names who may (by default curators).
   */
  urgent: z.boolean().optional(),
  /** The newest position token the caller knows (from a consent or roster write). */
  consistentWith: z.string().min(1).max(500).optional(),
}).refine((body) => body.urgent !== true || body.basis === 'necessity', { path: ['urgent'], message: 'only a necessity request may be marked urgent' });
export type RequestDisclosureBody = z.infer<typeof RequestDisclosureBody>;

/**
 * Whether a repeated requestId asks exactly what the recorded request asked (the consistency token
 * aside): the same requestId with any other body is a conflict, for decisions and explanations alike.
 */
export function sameRequest(recorded: unknown, body: RequestDisclosureBody): boolean {
  const { consistentWith: _token, ...asked } = body;
  return canonicalJson(recorded) === canonicalJson(JSON.parse(JSON.stringify(asked)) as unknown);
}
