import { z } from 'zod';
import { CapacityField, EntityId, MAX_PURPOSE_LENGTH, isWellFormedText } from '@silta/contracts';

// The bounds come from the contracts (one source): an API that accepts what its own contract
// refuses dead-letters the event it publishes (issue 10, item 7).

/** An identifier from another service (student, welfare area): the contracts' id alphabet and length. */
export const ExternalId = EntityId;

/** A consent id: it names an event stream, so it is held to the contracts' id alphabet. */
export const ConsentIdSchema = EntityId;

/** A student id in a path: it names a confidentiality stream, so it is held to the id alphabet. */
export const StudentIdSchema = EntityId;

/** A capacity field in a path: one of the contracts' fields, so an unknown one is a 400 naming it. */
export const CapacityFieldSchema = CapacityField;

/** Free text published on a contract (a consent's purpose): bounded as the contract bounds it, well-formed. */
export const Purpose = z.string().trim().min(1).max(MAX_PURPOSE_LENGTH).refine(isWellFormedText, 'must be well-formed UTF-16 (no lone surrogates)');

/** An ISO 8601 date-time with a time zone (Z or an offset). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** A body that may be absent or `{}` and nothing else. */
export const EmptyBody = z.strictObject({}).optional();
export type EmptyBody = z.infer<typeof EmptyBody>;
