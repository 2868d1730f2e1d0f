/**
 * `silta-audit export`: writes an offline bundle of one student's (or one disclosure's) audit
 * events with inclusion proofs against the latest checkpoint in the store.
 *
 * Proofs are computed here from the leaf hashes (O(n) time and 32 bytes per leaf of memory, as the
 * transparency library does); a log of millions of leaves would want stored subtree roots instead.
 * The export refuses to write a bundle that would not verify: every leaf is rechecked against its
 * payload and the recomputed root must equal the checkpoint's.
 */
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { inclusionProof, rootOf } from '@silta/transparency';
import { latestCheckpointEvent, readAuditEvents, type AuditCheckpointSigned } from '../audit-log';
import type { AuditBundle, BundleEvent } from '@silta/transparency';
import { openStoredCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';
import { checkedLeafHash } from '../verification/verify';

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

  const leaves: Uint8Array[] = [];
  const selected: Array<{ index: number; event: RecordedEvent; leafHash: Uint8Array }> = [];
  let notYetCheckpointed = 0;
  for await (const event of readAuditEvents(store, { pageSize: options.pageSize })) {
    const index = leaves.length;
    const hash = checkedLeafHash(index, event);
    if (matches(event, options.selection)) {
      if (index < checkpoint.size) selected.push({ index, event, leafHash: hash });
      else notYetCheckpointed += 1;
    }
    if (index < checkpoint.size) leaves.push(hash);
  }
  if (leaves.length < checkpoint.size) {
    throw new AuditFailure('log_truncated', `log truncated: checkpoint at size ${checkpoint.size} but log has ${leaves.length} leaves`);
  }
  if (!Buffer.from(rootOf(leaves)).equals(Buffer.from(checkpoint.root))) {
    throw new AuditFailure(
      'root_mismatch',
      `root mismatch at size ${checkpoint.size}: leaves were changed, deleted or reordered before ${checkpoint.size}; run verify`,
    );
  }
  const events: BundleEvent[] = selected.map(({ index, event, leafHash }) => ({
    leafIndex: index,
    streamId: event.streamId,
    type: event.type,
    data: event.data,
    leafHash: Buffer.from(leafHash).toString('hex'),
    proof: inclusionProof(leaves, index, checkpoint.size).map((hash) => Buffer.from(hash).toString('base64')),
  }));
  return {
    bundle: { origin: checkpoint.origin, verifierKey: options.key ?? '', checkpoint: data.note, events },
    size: checkpoint.size,
    notYetCheckpointed,
  };
}

function matches(event: RecordedEvent, selection: BundleSelection): boolean {
  if ('studentId' in selection) return event.streamId === `audit-${selection.studentId}`;
  return (event.data as { disclosureId?: unknown } | null)?.disclosureId === selection.disclosureId;
}
