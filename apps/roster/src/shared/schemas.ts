import { z } from 'zod';
import { EntityId, isWellFormedText } from '@silta/contracts';
import { ZodPipe } from '@silta/platform';

/**
 * An identifier chosen by the caller (school, student, guardian, record, …): the contracts' id
 * alphabet and length, so it is safe in stream names and URLs and every contract accepts it.
 */
export const Id = EntityId;

/** A calendar day, YYYY-MM-DD. */
export const IsoDate = z.iso.date();

/** A short human-readable text such as a name or a group. */
export const Text = z.string().trim().min(1).max(200).refine(isWellFormedText, 'must be well-formed UTF-16 (no lone surrogates)');

/** A longer free text such as a note or a reason. */
export const Note = z.string().trim().min(1).max(2000).refine(isWellFormedText, 'must be well-formed UTF-16 (no lone surrogates)');

/** Validates an id in the path (`@Param('studentId', IdParam)`). */
export const IdParam = new ZodPipe(Id);
