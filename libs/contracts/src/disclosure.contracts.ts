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
 * A party signed a checkpoint of its audit log: a C2SP signed note over the tree size and RFC 9162
 * root hash, so the other party can keep it and cosign it. Disclosure publishes its own on
 * silta.disclosure.v1; receipts publishes the welfare area's on silta.receipts.v1.
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
 * A party witnessed the other party's signed checkpoint: it verified the signature, checked that
 * the log is consistent with the last checkpoint it witnessed (an RFC 9162 consistency proof), and
 * added its own signature to the note. Published by the witness on its own topic (disclosure
 * witnesses receipts' log on silta.disclosure.v1, receipts witnesses disclosure's on
 * silta.receipts.v1), so the log's owner can keep the cosigned note.
 */
export const CheckpointCosignedV1 = defineContract({
  type: 'CheckpointCosigned',
  schemaVersion: 1,
  topic: Topics.disclosure,
  schema: z.strictObject({
    /** The witnessed log's origin. */
    origin: z.string().min(1),
    size: z.number().int().min(0),
    rootHash: z.base64().length(44),
    /** The log's signed note with the witness's signature added. */
    note: z.string().min(1),
    /** The witness's verifier key (`<name>+<hash>+<base64>`). */
    witnessKey: z.string().min(1),
    cosignedAt: z.iso.datetime({ offset: true }),
  }),
  key: (p) => p.origin,
});

export const disclosureContracts = [DisclosureDecidedV1, AuditCheckpointSignedV1, CheckpointCosignedV1] as const;
