import { z } from 'zod';
import { DataCategory } from './categories';
import { defineContract } from './contract';
import { WelfareRole } from './roster.contracts';
import { Topics } from './topics';

const id = z.string().min(1).max(200);
const isoDateTime = z.iso.datetime({ offset: true });

export const ConsentGrantedV1 = defineContract({
  type: 'ConsentGranted',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: z.strictObject({
    consentId: id,
    version: z.number().int().positive(),
    studentId: id,
    grantedBy: z.strictObject({ kind: z.enum(['guardian', 'student']), id }),
    categories: z.array(DataCategory).min(1),
    recipient: z.strictObject({ welfareAreaId: id, roles: z.array(WelfareRole).min(1).optional() }),
    purpose: z.string().min(1).max(500),
    validFrom: isoDateTime,
    validUntil: isoDateTime.optional(),
    grantedAt: isoDateTime,
  }),
  key: (p) => p.studentId,
});

const consentChange = z.strictObject({
  consentId: id,
  version: z.number().int().positive(),
  studentId: id,
  at: isoDateTime,
});

export const ConsentWithdrawnV1 = defineContract({
  type: 'ConsentWithdrawn',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: consentChange,
  key: (p) => p.studentId,
});

export const ConsentPausedV1 = defineContract({
  type: 'ConsentPaused',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: consentChange,
  key: (p) => p.studentId,
});

export const ConsentResumedV1 = defineContract({
  type: 'ConsentResumed',
  schemaVersion: 1,
  topic: Topics.consent,
  schema: consentChange,
  key: (p) => p.studentId,
});

export const consentContracts = [ConsentGrantedV1, ConsentWithdrawnV1, ConsentPausedV1, ConsentResumedV1] as const;
