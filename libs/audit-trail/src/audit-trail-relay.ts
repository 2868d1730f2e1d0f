import { AuditCheckpointSignedV1, CheckpointCosignedV1 } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import type { OutgoingMessage } from '@silta/messaging';
import { AUDIT_CHECKPOINT_SIGNED, CHECKPOINT_STREAM, asAuditCheckpoint, type AuditCheckpoint } from './checkpoint';
import { CHECKPOINT_COSIGNED, WITNESSED_STREAM_PREFIX, type CosignedCheckpoint } from './witness';

/**
 * What every party publishes of its audit trail on its own topic: each signed checkpoint of its
 * log (for the other party to witness) and each of the other party's checkpoints it witnessed and
 * cosigned (for the other party to keep). Undefined for every other event.
 */
export function translateAuditTrailEvent(event: RecordedEvent): OutgoingMessage | undefined {
  if (event.streamId === CHECKPOINT_STREAM && event.type === AUDIT_CHECKPOINT_SIGNED) {
    const payload = asAuditCheckpoint(event.data as AuditCheckpoint);
    return { key: AuditCheckpointSignedV1.key(payload), type: AuditCheckpointSignedV1.type, schemaVersion: 1, payload };
  }
  if (event.streamId.startsWith(WITNESSED_STREAM_PREFIX) && event.type === CHECKPOINT_COSIGNED) {
    const { origin, size, rootHash, note, witnessKey, cosignedAt } = event.data as CosignedCheckpoint;
    const payload = { origin, size, rootHash, note, witnessKey, cosignedAt };
    return { key: CheckpointCosignedV1.key(payload), type: CheckpointCosignedV1.type, schemaVersion: 1, payload };
  }
  return undefined;
}
