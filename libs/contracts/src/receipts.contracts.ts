import { z } from 'zod';
import { DataCategory } from './categories';
import { defineContract } from './contract';
import { AuditCheckpointSignedV1, CheckpointCosignedV1 } from './disclosure.contracts';
import { Topics } from './topics';

const id = z.string().min(1).max(200);

/**
 * The welfare area recorded, on its own audit log, that its professional received a released
 * disclosure: which categories arrived and the SHA-256 of the canonical JSON (RFC 8785) of the
 * data received. Disclosure records the same receipt on the municipality's log.
 */
export const DisclosureReceivedV1 = defineContract({
  type: 'DisclosureReceived',
  schemaVersion: 1,
  topic: Topics.receipts,
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

/**
 * silta.receipts.v1, the welfare area's topic: its receipts, the signed checkpoints of its own
 * audit log (same contract as disclosure's) and its cosignatures of disclosure's checkpoints.
 */
export const receiptsContracts = [DisclosureReceivedV1, AuditCheckpointSignedV1, CheckpointCosignedV1] as const;
