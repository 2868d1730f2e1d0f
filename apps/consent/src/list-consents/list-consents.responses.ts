import { z } from 'zod';
import { DataCategory, WelfareRole } from '@silta/contracts';
import { Instant, Party } from '../http/answers.responses';

/** A student's consents as a guardian or the student sees them; `expired` once validUntil has passed. */
export const ListConsentsAnswer = z
  .strictObject({
    studentId: z.string(),
    consents: z.array(
      z.strictObject({
        consentId: z.string(),
        version: z.number().int().positive(),
        status: z.enum(['active', 'paused', 'withdrawn', 'expired']),
        grantedBy: Party,
        categories: z.array(DataCategory),
        recipient: z.strictObject({ welfareAreaId: z.string(), roles: z.array(WelfareRole).optional() }),
        purpose: z.string(),
        validFrom: Instant,
        validUntil: Instant.optional(),
        grantedAt: Instant,
        changedAt: Instant,
      }),
    ),
  })
  .meta({ id: 'ListConsentsAnswer' });
