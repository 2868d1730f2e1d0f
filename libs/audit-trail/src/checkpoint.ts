/** The stream that holds the party's signed checkpoints of its audit log. */
export const CHECKPOINT_STREAM = 'checkpoints-audit';

/** The type of a checkpoint event in CHECKPOINT_STREAM. */
export const AUDIT_CHECKPOINT_SIGNED = 'AuditCheckpointSigned';

/**
 * A signed checkpoint of the audit log: the data of an AuditCheckpointSigned event, the API's
 * answer and the AuditCheckpointSignedV1 payload alike. `note` is the C2SP signed note whose body
 * is formatCheckpoint({ origin, size, root }); `rootHash` is that root in base64.
 */
export interface AuditCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly note: string;
  readonly createdAt: string;
}

/** Just the checkpoint's own fields, whatever else an object carries. */
export function asAuditCheckpoint(data: AuditCheckpoint): AuditCheckpoint {
  const { origin, size, rootHash, note, createdAt } = data;
  return { origin, size, rootHash, note, createdAt };
}
