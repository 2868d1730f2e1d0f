import { z } from 'zod';
import { DataCategory, WelfareRole } from '@silta/contracts';
import { ConsentIdSchema, ExternalId, IsoDateTime, Purpose } from '../http/schemas';

/** Body of POST /v1/consents; strict, so unknown fields are refused. */
export const GrantConsentRequest = z
  .strictObject({
    /** Omit for a new consent; the grantor's own consent id grants its next version. */
    consentId: ConsentIdSchema.optional(),
    studentId: ExternalId,
    categories: z.array(DataCategory).min(1),
    recipient: z.strictObject({ welfareAreaId: ExternalId, roles: z.array(WelfareRole).min(1).optional() }),
    purpose: Purpose,
    validFrom: IsoDateTime.optional(),
    validUntil: IsoDateTime.optional(),
  })
  .refine((body) => !body.validFrom || !body.validUntil || Date.parse(body.validUntil) > Date.parse(body.validFrom), {
    path: ['validUntil'],
    message: 'must be after validFrom',
  });
export type GrantConsentRequest = z.infer<typeof GrantConsentRequest>;
