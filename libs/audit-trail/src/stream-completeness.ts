import { Refusal } from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { mapRootOf, openCheckpoint, verifyMapProof, type StreamEntry } from '@silta/transparency';
import { AuditLogQueries, guard } from './audit-log-queries';
import type { AuditCheckpoint } from './checkpoint';
import type { AuditLeaf } from './checkpointer';

/** One way an audit stream falls short of what a checkpoint's completeness map commits to. */
export type StreamGap =
  /** The map commits to `committed` leaves of the stream up to the checkpoint; the store holds `found`. */
  | { readonly kind: 'count'; readonly committed: number; readonly found: number }
  /** The event's leaf does not follow the one before it in the stream (its `previous`, order or the map's `latest`). */
  | { readonly kind: 'chain'; readonly eventId: string; readonly leafIndex: number }
  /** The stream holds an event the audit log never took as a leaf of this stream. */
  | { readonly kind: 'not_in_log'; readonly eventId: string }
  /** The checkpoint was signed before logs carried the completeness map: it commits to no count. */
  | { readonly kind: 'no_map' };

/** An audit stream measured against the signed checkpoint that covers its newest event. */
export interface StreamCompleteness {
  readonly stream: string;
  readonly checkpoint: AuditCheckpoint;
  /** The checkpoint's map entry for the stream, its proof checked against the signed map line; undefined when the map holds none of its leaves. */
  readonly entry: StreamEntry | undefined;
  /** The stream's events that the checkpoint covers, in stream order. */
  readonly covered: readonly RecordedEvent[];
  /** How many of the stream's events came after the checkpoint. */
  readonly notYetCheckpointed: number;
  /** Empty when the covered events are exactly what the map commits to: as many, each chained to the one before, the last at `latest`. */
  readonly gaps: readonly StreamGap[];
}

/**
 * Reads an audit stream and checks it against the latest signed checkpoint covering its newest
 * event (signing one when none does, as bundles do), through that checkpoint's completeness map:
 * the entry's proof must hold against the signed map line, and the stream's events up to the
 * checkpoint must be exactly `entry.count` leaves chained by their `previous` (docs/audit-log-format.md).
 * A stream with no events is checked too: the map must then hold no entry for it.
 */
export function streamCompleteness(log: AuditLogQueries, store: EventStore, stream: string): Promise<StreamCompleteness> {
  return guard(async () => {
    const events = await store.readStream(stream);
    const leaves = await Promise.all(events.map((event) => log.checkpointer.leafOf(event.id)));
    const inLog = (leaf: AuditLeaf | undefined): leaf is AuditLeaf => leaf !== undefined && leaf.streamId === stream;
    const newest = Math.max(-1, ...leaves.filter(inLog).map((leaf) => leaf.index));
    const checkpoint = await log.covering(newest);
    const { entry, mapped } = await provenEntry(log, stream, checkpoint);
    const gaps: StreamGap[] = mapped ? [] : [{ kind: 'no_map' }];
    const covered: Array<{ event: RecordedEvent; leaf: AuditLeaf }> = [];
    let notYetCheckpointed = 0;
    events.forEach((event, i) => {
      const leaf = leaves[i];
      if (!inLog(leaf)) gaps.push({ kind: 'not_in_log', eventId: event.id });
      else if (leaf.index >= checkpoint.size) notYetCheckpointed += 1;
      else covered.push({ event, leaf });
    });
    if (mapped) gaps.push(...chainGaps(covered, entry));
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

/**
 * Where the covered events differ from the map entry: their number, and their chain (each leaf
 * after the one before; a v2 leaf's `previous` naming it, or null for the stream's first; the
 * last at `latest`). A v1 leaf binds no `previous`, so only its order is checked.
 */
function chainGaps(covered: ReadonlyArray<{ event: RecordedEvent; leaf: AuditLeaf }>, entry: StreamEntry | undefined): StreamGap[] {
  const gaps: StreamGap[] = [];
  const committed = entry?.count ?? 0;
  if (covered.length !== committed) gaps.push({ kind: 'count', committed, found: covered.length });
  let before: number | null = null;
  for (const { event, leaf } of covered) {
    const outOfOrder = before !== null && leaf.index <= before;
    if (outOfOrder || (leaf.version === 2 && leaf.previous !== before)) gaps.push({ kind: 'chain', eventId: event.id, leafIndex: leaf.index });
    before = leaf.index;
  }
  const last = covered[covered.length - 1];
  if (last && entry && last.leaf.index !== entry.latest && !gaps.some((gap) => gap.kind === 'chain' && gap.eventId === last.event.id)) {
    gaps.push({ kind: 'chain', eventId: last.event.id, leafIndex: last.leaf.index });
  }
  return gaps;
}
