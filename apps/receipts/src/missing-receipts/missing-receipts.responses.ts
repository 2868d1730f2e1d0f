import { z } from 'zod';
import { DataCategory } from '@silta/contracts';

/** One page of disclosures released to the caller's welfare area without a receipt; the last page's nextCursor is null. */
export const MissingReceiptsAnswer = z
  .strictObject({
    nextCursor: z.string().nullable(),
    disclosures: z.array(
      z.strictObject({
        disclosureId: z.string(),
        studentId: z.string(),
        requester: z.strictObject({ sub: z.string(), role: z.string(), org: z.string() }),
        released: z.array(DataCategory),
        decidedAt: z.iso.datetime({ offset: true }),
      }),
    ),
  })
  .meta({ id: 'MissingReceiptsAnswer' });
