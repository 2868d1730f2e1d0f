/**
 * Opening checkpoints, wherever they come from: a stored `AuditCheckpointSigned` event, a note
 * held by the other party (a witness copy), or a bundle. The signed note is the only authority;
 * copies of its fields next to it must agree with it.
 */
import { readFileSync } from 'node:fs';
import type { RecordedEvent } from '@silta/event-store';
import { TransparencyError, openCheckpoint, type Checkpoint } from '@silta/transparency';
import { CHECKPOINT_EVENT_TYPE, CHECKPOINT_STREAM, type AuditCheckpointSigned } from './audit-log';
import { AuditFailure } from './failures';

/** A checkpoint whose signature checked out, with how reports name it. */
export interface VerifiedCheckpoint extends Checkpoint {
  /** e.g. `checkpoint 3 (stream checkpoints-audit, revision 2)` or `held checkpoint cp.txt`. */
  readonly label: string;
  readonly verifiedBy: readonly string[];
}

/** Opens a signed note with the verifier key; failures name `label`. */
export function openSignedCheckpoint(note: unknown, key: string, label: string, origin?: string): VerifiedCheckpoint {
  if (typeof note !== 'string') throw new AuditFailure('checkpoint_invalid', `${label}: has no signed note text`);
  try {
    const opened = openCheckpoint(note, [key], origin === undefined ? {} : { origin });
    return { ...opened.checkpoint, label, verifiedBy: opened.verifiedBy };
  } catch (error) {
    if (error instanceof TransparencyError) throw new AuditFailure('checkpoint_invalid', `${label}: ${error.message}`);
    throw error;
  }
}

/** Opens the checkpoint event at `ordinal` (1-based) of the checkpoint stream. */
export function openStoredCheckpoint(event: RecordedEvent, ordinal: number, key: string, origin?: string): VerifiedCheckpoint {
  const label = `checkpoint ${ordinal} (stream ${CHECKPOINT_STREAM}, revision ${event.revision})`;
  if (event.type !== CHECKPOINT_EVENT_TYPE) {
    throw new AuditFailure('checkpoint_invalid', `${label}: is a ${event.type}, not an ${CHECKPOINT_EVENT_TYPE}`);
  }
  const data = (event.data ?? {}) as Partial<AuditCheckpointSigned>;
  const checkpoint = openSignedCheckpoint(data.note, key, label, origin);
  const root = Buffer.from(checkpoint.root).toString('base64');
  if (data.size !== checkpoint.size || data.rootHash !== root || data.origin !== checkpoint.origin) {
    throw new AuditFailure(
      'checkpoint_invalid',
      `${label}: its recorded origin, size or rootHash (${String(data.origin)}, ${String(data.size)}, ${String(data.rootHash)}) ` +
        `do not match its signed note (${checkpoint.origin}, ${checkpoint.size}, ${root})`,
    );
  }
  return checkpoint;
}

/** Reads and opens a checkpoint note held in a file (for example the other party's copy). */
export function openCheckpointFile(file: string, key: string, origin?: string): VerifiedCheckpoint {
  return openSignedCheckpoint(readFileSync(file, 'utf8'), key, `held checkpoint ${file}`, origin);
}
