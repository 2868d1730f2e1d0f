import { z } from 'zod';
import { DataCategory } from '@silta/contracts';
import { BASES } from '@silta/decision';
import { Instant } from '../shared/decision-view.responses';

/** A page of the log of who received a student's data, oldest first; the last page's nextCursor is null. */
export const ReadDisclosureLogAnswer = z
  .strictObject({
    studentId: z.string(),
    entries: z.array(
      z.strictObject({
        disclosureId: z.string(),
        decidedAt: Instant,
        recipient: z.strictObject({ role: z.string(), organisation: z.string(), professionalId: z.string() }),
        basis: z.enum(BASES),
        purpose: z.string(),
        outcome: z.enum(['permit', 'partial', 'deny']),
        released: z.array(DataCategory),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ReadDisclosureLogAnswer' });
