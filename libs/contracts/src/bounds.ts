import { z } from 'zod';

/**
 * The bounds every Silta write and every public contract share, in one place: an API that
 * accepts what its own contract refuses dead-letters the event it publishes (issue 10, item 7).
 */

/** Longest identifier, subject or organisation claim, in UTF-16 code units. */
export const MAX_ID_LENGTH = 200;

/** The id alphabet: letters, digits and `_ . : -`, starting with a letter or digit. Ids name streams and URLs. */
export const ID_PATTERN = /^[A-Za-z0-9][\w.:-]*$/;

/** An id chosen by a caller that names a stream or appears in a URL (student, school, consent, request, …). */
export const EntityId = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(ID_PATTERN, 'use 1–200 letters, digits and _ . : - only, starting with a letter or digit');

/**
 * A token subject (`sub`): an identity provider's own string, so not held to the id alphabet, but
 * bounded and printable (no control characters, no lone UTF-16 surrogates).
 */
export const Subject = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters')
  .refine(isWellFormedText, 'must be well-formed UTF-16 (no lone surrogates)');

/** An organisation claim: `municipality:<id>` or `welfare-area:<id>`. */
export const OrganisationClaim = z
  .string()
  .max(MAX_ID_LENGTH)
  .regex(/^(municipality|welfare-area):[A-Za-z0-9][\w.:-]*$/, 'must be municipality:<id> or welfare-area:<id>');

/** Free text carried on a contract (a purpose): bounded and well-formed. */
export const MAX_PURPOSE_LENGTH = 500;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is well-formed UTF-16: no lone surrogate, which JSON canonicalisation and uuid v5 refuse. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
