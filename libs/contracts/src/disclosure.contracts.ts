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

/**
 * The disclosure service signed a checkpoint of its audit log: a C2SP signed note over the tree
 * size and RFC 9162 root hash, so the other party can keep it and countersign it.
 */
export const AuditCheckpointSignedV1 = defineContract({
  type: 'AuditCheckpointSigned',
  schemaVersion: 1,
  topic: Topics.disclosure,
  schema: z.strictObject({
    origin: z.string().min(1),
    size: z.number().int().min(0),
    /** Base64 of the 32-byte root hash at `size`. */
    rootHash: z.base64().length(44),
    /** The signed note text: the checkpoint body, a blank line and the signature lines. */
    note: z.string().min(1),
    createdAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.origin,
});

/**
 * The requesting professional acknowledged a released disclosure: which categories arrived and the
 * SHA-256 of the canonical JSON (RFC 8785) of the data received. Recorded in the student's audit log.
 */
export const DisclosureReceivedV1 = defineContract({
  type: 'DisclosureReceived',
  schemaVersion: 1,
  topic: Topics.disclosure,
  schema: z.strictObject({
    disclosureId: z.uuid(),
    studentId: id,
    receiver: z.strictObject({ sub: id, role: z.string().min(1), org: id }),
    receivedCategories: z.array(DataCategory).min(1),
    /** Lowercase hex SHA-256 of the canonical JSON of the `data` received. */
    dataHash: z.string().regex(/^[0-9a-f]{64}$/),
    receivedAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.studentId,
});

export const disclosureContracts = [DisclosureDecidedV1, AuditCheckpointSignedV1, DisclosureReceivedV1] as const;
