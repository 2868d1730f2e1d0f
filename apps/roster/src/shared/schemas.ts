import { z } from 'zod';
import { ZodPipe } from '@silta/platform';

/**
 * An identifier chosen by the caller (school, student, guardian, record, …). Letters, digits and
 * `_ . : -` only, so it is safe in stream names and URLs.
 */
export const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][\w.:-]*$/, 'use letters, digits and _ . : - only');

/** A calendar day, YYYY-MM-DD. */
export const IsoDate = z.iso.date();

/** A short human-readable text such as a name or a group. */
export const Text = z.string().trim().min(1).max(200);

/** A longer free text such as a note or a reason. */
export const Note = z.string().trim().min(1).max(2000);

/** Validates an id in the path (`@Param('studentId', IdParam)`). */
export const IdParam = new ZodPipe(Id);
