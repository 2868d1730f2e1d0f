/**
 * `silta-audit export`: writes an offline bundle of one student's (or one disclosure's) audit
 * events with inclusion proofs against the latest checkpoint in the store; a student's bundle also
 * carries the completeness-map proof that it holds all of the student's events up to that checkpoint.
 *
 * Proofs are computed here from the leaf hashes: every perfect subtree hashed once (about 2n hashes,
 * 64 bytes per leaf), then each proof is O(log² n) lookups, however many events the bundle holds.
 * The export refuses to write a bundle that would not verify: every leaf is rechecked against its
 * payload and the recomputed root must equal the checkpoint's.
 */
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { BUNDLE_FORMAT, HASH_SIZE, PerfectSubtreeLevels, StreamMap, emptyRoot, inclusionProofRanges, mapRootOf, parseCheckpoint } from '@silta/transparency';
import { AUDIT_STREAM_PREFIX, latestCheckpointEvent, readAuditEvents, type AuditCheckpointSigned } from '../audit-log';
import type { AuditBundle, BundleCompleteness, BundleEvent } from '@silta/transparency';
import { openStoredCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';
import { checkedLeafHash } from '../verification/leaf-check';

export type BundleSelection = { readonly studentId: string } | { readonly disclosureId: string };

export interface ExportOptions {
  readonly selection: BundleSelection;
  /** Verifier key: when given, the checkpoint's signature is checked before anything is written. */
  readonly key?: string;
  readonly pageSize: number;
}

export interface ExportResult {
  readonly bundle: AuditBundle;
  /** The size of the checkpoint the proofs are against. */
  readonly size: number;
  /** Selected events appended after the latest checkpoint, left out of the bundle. */
  readonly notYetCheckpointed: number;
}

export async function exportBundle(store: EventStore, options: ExportOptions): Promise<ExportResult> {
  const latest = await latestCheckpointEvent(store);
  if (!latest) throw new AuditFailure('no_checkpoint', 'no signed checkpoint in the store: nothing to prove the events against');
  const data = latest.data as AuditCheckpointSigned;
  const checkpoint = options.key
    ? openStoredCheckpoint(latest, Number(latest.revision) + 1, options.key)
    : { origin: data.origin, size: data.size, root: new Uint8Array(Buffer.from(data.rootHash, 'base64')) };

  // The leaf hashes up to the checkpoint, back to back: 32 bytes a leaf, one buffer.
  const leafHashes = Buffer.alloc(checkpoint.size * HASH_SIZE);
  let leaves = 0;
  const map = new StreamMap();
  const selected: Array<{ index: number; previous: number | null; event: RecordedEvent; leafHash: Uint8Array }> = [];
  let notYetCheckpointed = 0;
  for await (const event of readAuditEvents(store, { pageSize: options.pageSize })) {
    if (leaves >= checkpoint.size) {
      if (matches(event, options.selection)) notYetCheckpointed += 1;
      continue;
    }
    const index = leaves++;
    const previous = map.append(event.streamId, index);
    const hash = checkedLeafHash(index, event, previous);
    if (matches(event, options.selection)) selected.push({ index, previous, event, leafHash: hash });
    leafHashes.set(hash, index * HASH_SIZE);
  }
  if (leaves < checkpoint.size) {
    throw new AuditFailure('log_truncated', `log truncated: checkpoint at size ${checkpoint.size} but log has ${leaves} leaves`);
  }
  // Every perfect subtree hashed once; each proof below is then a few lookups, not a rehash of the tree.
  const tree = new PerfectSubtreeLevels(leafHashes);
  const root = checkpoint.size === 0 ? emptyRoot() : tree.rangeHashes([{ start: 0, end: checkpoint.size }])[0]!;
  if (!Buffer.from(root).equals(Buffer.from(checkpoint.root))) {
    throw new AuditFailure(
      'root_mismatch',
      `root mismatch at size ${checkpoint.size}: leaves were changed, deleted or reordered before ${checkpoint.size}; run verify`,
    );
  }
  const events: BundleEvent[] = selected.map(({ index, previous, event, leafHash }) => ({
    leafIndex: index,
    ...(event.metadata.leafVersion === 2
      ? { leafVersion: 2 as const, id: event.id, revision: Number(event.revision), previous }
      : { leafVersion: 1 as const, id: event.id, revision: Number(event.revision) }),
    streamId: event.streamId,
    type: event.type,
    data: event.data,
    leafHash: Buffer.from(leafHash).toString('hex'),
    proof: tree.rangeHashes(inclusionProofRanges(index, checkpoint.size)).map((hash) => Buffer.from(hash).toString('base64')),
  }));
  const completeness = 'studentId' in options.selection ? completenessOf(`${AUDIT_STREAM_PREFIX}${options.selection.studentId}`, map, data.note) : undefined;
  return {
    bundle: { format: BUNDLE_FORMAT, origin: checkpoint.origin, verifierKey: options.key ?? '', checkpoint: data.note, events, ...(completeness ? { completeness } : {}) },
    size: checkpoint.size,
    notYetCheckpointed,
  };
}

/**
 * The map proof for a whole student's bundle, when the checkpoint carries a map line (checkpoints
 * from before leaf v2 do not) and the map recomputed from the log leads to it.
 */
function completenessOf(stream: string, map: StreamMap, note: string): BundleCompleteness | undefined {
  const mapRoot = mapRootOf(parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).extensions);
  if (!mapRoot) return undefined;
  if (!Buffer.from(map.rootHash()).equals(Buffer.from(mapRoot))) {
    throw new AuditFailure('map_mismatch', `the per-student map recomputed from the log does not match the checkpoint's map line; run verify`);
  }
  return { stream, entry: map.get(stream) ?? null, proof: map.prove(stream) };
}

function matches(event: RecordedEvent, selection: BundleSelection): boolean {
  if ('studentId' in selection) return event.streamId === `audit-${selection.studentId}`;
  return (event.data as { disclosureId?: unknown } | null)?.disclosureId === selection.disclosureId;
}
