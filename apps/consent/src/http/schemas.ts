import { z } from 'zod';

/** An identifier from another service (student, welfare area), as the contracts allow it. */
export const ExternalId = z.string().min(1).max(200);

/** A consent id: it names an event stream, so it is kept to a plain, URL-safe alphabet. */
export const ConsentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be 1–200 letters, digits, ".", "_" or "-", starting with a letter or digit');

/**
 * A student id in a path: it names a confidentiality stream, so it is held to roster's own id
 * alphabet (letters, digits and `_ . : -`), which every student id already satisfies.
 */
export const StudentIdSchema = ExternalId.regex(/^[A-Za-z0-9][\w.:-]*$/, 'must be letters, digits, "_", ".", ":" or "-", starting with a letter or digit');

/** An ISO 8601 date-time with a time zone (Z or an offset). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** A body that may be absent or `{}` and nothing else. */
export const EmptyBody = z.strictObject({}).optional();
export type EmptyBody = z.infer<typeof EmptyBody>;
