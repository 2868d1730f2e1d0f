import { Refusal } from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { completenessProblems, mapRootOf, openCheckpoint, verifyMapProof, type StreamEntry } from '@silta/transparency';
import { AuditLogQueries, guard } from './audit-log-queries';
import type { AuditCheckpoint } from './checkpoint';
import type { AuditLeaf } from './checkpointer';

/** An audit stream measured against the latest signed checkpoint. */
export interface StreamCompleteness {
  readonly stream: string;
  /** The latest signed checkpoint; undefined while the log has none. */
  readonly checkpoint: AuditCheckpoint | undefined;
  /** The checkpoint's map entry for the stream, its proof checked against the signed map line; undefined when the map holds none of its leaves. */
  readonly entry: StreamEntry | undefined;
  /** The stream's events that the checkpoint covers, in stream order. */
  readonly covered: readonly RecordedEvent[];
  /** How many of the stream's events came after the checkpoint. */
  readonly notYetCheckpointed: number;
  /**
   * What keeps the covered events from being exactly what the map commits to (as many, each chained
   * to the one before, the last at `latest`), each named; empty when nothing does. The rule is the
   * one verify-bundle applies to a bundle (completenessProblems).
   */
  readonly gaps: readonly string[];
}

/**
 * Reads an audit stream and checks it against the latest signed checkpoint through that
 * checkpoint's completeness map: the entry's proof must hold against the signed map line, and the
 * stream's events up to the checkpoint must be exactly `entry.count` leaves chained by their
 * `previous` (docs/audit-log-format.md); events after it are counted as not yet checkpointed.
 * It signs nothing: a read must not write (nor let any reader force a signing past the rate limit
 * on POST /v1/audit/log/checkpoints); the checkpointer signs periodically and at shutdown.
 * A stream with no events is checked too: the map must then hold no entry for it.
 */
export function streamCompleteness(log: AuditLogQueries, store: EventStore, stream: string): Promise<StreamCompleteness> {
  return guard(async () => {
    const events = await store.readStream(stream);
    const checkpoint = await log.checkpointer.latest();
    if (!checkpoint) {
      return { stream, checkpoint, entry: undefined, covered: [], notYetCheckpointed: events.length, gaps: ['no checkpoint has been signed yet'] };
    }
    const leaves = await Promise.all(events.map((event) => log.checkpointer.leafOf(event.id)));
    const inLog = (leaf: AuditLeaf | undefined): leaf is AuditLeaf => leaf !== undefined && leaf.streamId === stream;
    const { entry, mapped } = await provenEntry(log, stream, checkpoint);
    const gaps: string[] = mapped ? [] : [`checkpoint ${checkpoint.size} was signed before logs carried the per-student map: it commits to no count`];
    const covered: Array<{ event: RecordedEvent; leaf: AuditLeaf }> = [];
    let notYetCheckpointed = 0;
    events.forEach((event, i) => {
      const leaf = leaves[i];
      if (!inLog(leaf)) gaps.push(`event ${event.id} of ${stream} is not a leaf of the audit log`);
      else if (leaf.index >= checkpoint.size) notYetCheckpointed += 1;
      else covered.push({ event, leaf });
    });
    if (mapped) gaps.push(...completenessProblems(covered.map(({ event, leaf }) => placeOf(event, leaf)), stream, entry ?? null));
    return { stream, checkpoint, entry, covered: covered.map(({ event }) => event), notYetCheckpointed, gaps };
  });
}

/** The checkpoint's map entry for the stream, its proof checked against the map line of the signed note. */
async function provenEntry(log: AuditLogQueries, stream: string, checkpoint: AuditCheckpoint): Promise<{ entry: StreamEntry | undefined; mapped: boolean }> {
  const { origin, verifierKey } = log.identity();
  const mapRoot = mapRootOf(openCheckpoint(checkpoint.note, [verifierKey], { origin }).checkpoint.extensions);
  if (!mapRoot) return { entry: undefined, mapped: false };
  const { entry, proof } = await log.checkpointer.mapProof(stream, checkpoint.size);
  try {
    verifyMapProof(mapRoot, stream, entry, proof);
  } catch (error) {
    // The map this log answers from is not the one it signed: nothing about the stream can be proven.
    throw new Refusal('corrupted', 'audit_log_diverged', `the completeness map entry of ${stream} does not match checkpoint ${checkpoint.size}: ${(error as Error).message}`);
  }
  return { entry, mapped: true };
}

/** What the chain rule reads of a covered event: its leaf's place and, for a v2 leaf, its previous. */
function placeOf(event: RecordedEvent, leaf: AuditLeaf): Parameters<typeof completenessProblems>[0][number] {
  return { leafIndex: leaf.index, leafVersion: leaf.version === 2 ? 2 : 1, previous: leaf.previous, revision: Number(event.revision), streamId: leaf.streamId };
}
