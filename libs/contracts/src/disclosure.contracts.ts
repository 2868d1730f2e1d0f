import { z } from 'zod';
import { DataCategory } from './categories';
import { defineContract } from './contract';
import { Topics } from './topics';

const id = z.string().min(1).max(200);

/** A decision was recorded in a student's audit trail. Carries no released data. */
export const DisclosureDecidedV1 = defineContract({
  type: 'DisclosureDecided',
  schemaVersion: 1,
  topic: Topics.disclosure,
  schema: z.strictObject({
    disclosureId: z.uuid(),
    studentId: id,
    requester: z.strictObject({ sub: id, role: z.string().min(1), org: id }),
    basis: z.enum(['identification', 'necessity', 'consent', 'emergency']),
    outcome: z.enum(['permit', 'partial', 'deny']),
    categories: z.array(
      z.strictObject({ category: DataCategory, outcome: z.enum(['permit', 'deny']), reason: z.string().min(1) }),
    ),
    policyVersion: z.string().min(1),
    decidedAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.studentId,
});

export const disclosureContracts = [DisclosureDecidedV1] as const;
