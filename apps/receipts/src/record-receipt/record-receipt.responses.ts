import { z } from 'zod';
import { DataCategory } from '@silta/contracts';

/** What acknowledging a disclosure answers: the receipt as recorded, and where it is on the welfare area's audit log. */
export const RecordReceiptAnswer = z
  .strictObject({
    disclosureId: z.string(),
    receivedCategories: z.array(DataCategory),
    /** Lowercase hex SHA-256 of the canonical JSON of the data as the requester got it. */
    dataHash: z.string().regex(/^[0-9a-f]{64}$/),
    receivedAt: z.iso.datetime({ offset: true }),
    audit: z.strictObject({ stream: z.string(), eventId: z.uuid(), position: z.string() }),
  })
  .meta({ id: 'RecordReceiptAnswer' });
