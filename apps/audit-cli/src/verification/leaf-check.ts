/**
 * How verify checks one stored audit event and gets its leaf hash, the same wherever it runs: on
 * the main thread for a store read through the event-store port, in a worker thread for a
 * PostgreSQL table read directly (parallel-leaves.ts). A failure is thrown as the AuditFailure that
 * names the leaf, so both paths give the same verdicts and messages.
 */
import { eventLeafHash } from '@silta/transparency';
import { describeLeaf } from '../audit-log';
import { AuditFailure } from '../failures';
import { fastEventLeafHash, splicedV2LeafHash, storedTextLeafHash, type LeafPlace } from './leaf-hash';
import type { StoredAuditEvent } from './postgres-leaves';

/** How a pass hashes payloads read as text: spliced in as stored (v2), or each shown canonical or parsed first. */
export type PayloadReading = 'as-stored' | 'exact';

/**
 * The leaf hash of `event` at leaf `index` as a verify pass reading payloads `payloads` takes it;
 * `spliced` when a v2 payload was hashed as stored, not shown canonical (only a signed root
 * recomputed over it vouches for it: see verify.ts).
 */
export function leafHashAsRead(index: number, event: StoredAuditEvent, previous: number | null, payloads: PayloadReading): { hash: Uint8Array; spliced: boolean } {
  if (payloads === 'as-stored' && event.dataText !== undefined && event.metadata.leafVersion === 2) {
    const hash = splicedV2LeafHash(event.type, event.dataText, placeOf(event, previous));
    if (hash) return { hash, spliced: true };
  }
  return { hash: checkedLeafHash(index, event, previous), spliced: false };
}

/** Leaves as a verify pass folds them: checked and hashed, in log order. */
export interface LeafBatch {
  /** Each leaf's stream. */
  readonly streams: readonly string[];
  /** 32 bytes a leaf, for the leaves before `failure.at` (all of them when none failed). */
  readonly hashes: Uint8Array;
  /** Whether a v2 payload among them was hashed as stored (leafHashAsRead). */
  readonly spliced: boolean;
  /** The first leaf that does not verify, and why. */
  readonly failure?: { readonly at: number; readonly error: AuditFailure };
}

/** Leaves read through the event-store port, checked on this thread, one batch a leaf. */
export async function* leavesOnThisThread(
  events: AsyncIterable<StoredAuditEvent>,
  firstLeaf: number,
  previousLeaves: PreviousLeaves,
  payloads: PayloadReading,
): AsyncGenerator<LeafBatch> {
  let index = firstLeaf;
  for await (const event of events) {
    const previous = previousLeaves.next(event.streamId, index);
    try {
      const { hash, spliced } = leafHashAsRead(index, event, previous, payloads);
      yield { streams: [event.streamId], hashes: hash, spliced };
    } catch (error) {
      if (!(error instanceof AuditFailure)) throw error;
      yield { streams: [event.streamId], hashes: new Uint8Array(0), spliced: false, failure: { at: 0, error } };
    }
    index += 1;
  }
}

/** The previous leaf index of each stream, as the log is read in order (a v2 leaf hashes it). */
export class PreviousLeaves {
  private readonly latest = new Map<string, number>();

  /** Records leaf `index` of `stream`; answers the stream's leaf before it (null for its first). */
  next(stream: string, index: number): number | null {
    const previous = this.latest.get(stream);
    this.latest.set(stream, index);
    return previous ?? null;
  }
}

/**
 * The leaf hash of a stored audit event, in the leaf version its metadata names; `previous` is the
 * leaf index of the stream's previous event (a v2 leaf hashes it).
 *
 * A v1 leaf is recomputed from type and data and compared with the hash recorded at append. A
 * payload read as text is first hashed as stored: AuditLog.append stores canonical JSON text, and
 * when the text is shown canonical (isCanonicalJsonText) it is the leaf's `data` byte for byte, so a
 * match is the exact path's verdict. Anything else (a log written before payloads were stored
 * canonically, integer-like member names, a tampered row) is parsed and takes the exact path, so
 * every verdict and message is the one the port-based read gives.
 *
 * A v2 leaf's hash cannot be recorded at append (its `previous` is settled by the log's order): it
 * is computed the same way, a changed payload shows as a root that no longer matches, and
 * changedPayload then names the leaf by the payload hash recorded at append.
 */
export function checkedLeafHash(index: number, event: StoredAuditEvent, previous: number | null = null): Uint8Array {
  if (event.metadata.leafVersion === 2) return v2LeafHash(index, event, previous);
  const recorded = event.metadata.leafHash;
  if (typeof recorded !== 'string' || !/^[0-9a-f]{64}$/.test(recorded)) {
    throw new AuditFailure('missing_leaf_hash', `${describeLeaf(index, event)}: has no recorded leafHash (64 lower-case hex digits) and is not a v2 leaf`);
  }
  let data: unknown;
  if (event.dataText !== undefined) {
    const asStored = storedTextLeafHash(event.type, event.dataText);
    if (asStored === recorded) return new Uint8Array(Buffer.from(asStored, 'hex'));
    data = JSON.parse(event.dataText) as unknown;
  } else {
    data = event.data;
  }
  let actual: Uint8Array;
  try {
    actual = fastEventLeafHash({ type: event.type, data });
  } catch (error) {
    throw new AuditFailure('leaf_hash_mismatch', `${describeLeaf(index, event)}: payload cannot be hashed: ${(error as Error).message}`);
  }
  const actualHex = Buffer.from(actual).toString('hex');
  if (actualHex !== recorded) {
    throw new AuditFailure(
      'leaf_hash_mismatch',
      `${describeLeaf(index, event)}: payload does not match its recorded hash (recorded ${recorded}, recomputed ${actualHex})`,
    );
  }
  return actual;
}


/** A v2 leaf's fields besides type and data. */
function placeOf(event: StoredAuditEvent, previous: number | null): LeafPlace {
  return { id: event.id, stream: event.streamId, revision: Number(event.revision), previous };
}

function v2LeafHash(index: number, event: StoredAuditEvent, previous: number | null): Uint8Array {
  const place = placeOf(event, previous);
  if (event.dataText !== undefined) {
    const asStored = storedTextLeafHash(event.type, event.dataText, place);
    if (asStored !== undefined) return new Uint8Array(Buffer.from(asStored, 'hex'));
  }
  try {
    const data = event.dataText !== undefined ? (JSON.parse(event.dataText) as unknown) : event.data;
    return eventLeafHash({ v: 2, ...place, type: event.type, data });
  } catch (error) {
    throw new AuditFailure('leaf_hash_mismatch', `${describeLeaf(index, event)}: payload cannot be hashed: ${(error as Error).message}`);
  }
}

