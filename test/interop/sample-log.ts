/**
 * A small audit log made with Silta's own library (@silta/transparency), in the formats of
 * docs/audit-log-format.md: v1 leaves as a log written before leaf v2 holds them, then v2 leaves,
 * checkpoints with the per-student map line signed by a key named after the origin and cosigned by
 * two witnesses, and bundles as `GET /v1/audit/log/bundle` writes them. The interoperability test
 * hands this material to a verifier Silta did not write.
 */
import {
  StreamMap,
  consistencyProof,
  cosignCheckpoint,
  cosignerKeyOf,
  eventLeafHash,
  formatCheckpoint,
  generateSignerKey,
  inclusionProof,
  mapExtension,
  rootOf,
  signNote,
  verifierKeyOf,
  bundleLeaf,
  type AuditLeafEvent,
  type BundleCompleteness,
  type BundleEvent,
} from '@silta/transparency';

export const ORIGIN = 'silta.test/municipality/audit';
/** The two witnesses' key names: the other party's log, and an outside witness. */
export const WITNESSES = ['silta.test/welfare-area/audit', 'witness.test/w1'] as const;
/** Cosignature timestamps: witness i signs at WITNESS_TIME + i. */
const WITNESS_TIME = 1_767_225_600;

/** One event of a bundle (docs/audit-log-format.md, "Bundles"), every field named as the service writes it. */
export type BundleEventV2 = BundleEvent & { readonly leafVersion: 1 | 2; readonly id: string; readonly revision: number; readonly previous: number | null };

/** A `silta-audit-bundle/v2`. */
export interface BundleV2 {
  readonly format: 'silta-audit-bundle/v2';
  readonly origin: string;
  readonly verifierKey: string;
  readonly checkpoint: string;
  readonly events: readonly BundleEventV2[];
  readonly completeness?: BundleCompleteness;
}

/**
 * The log's history, one leaf each, in log order. Strings are printable ASCII and numbers integers:
 * the subset the Go verifier can canonicalise (see its leaf.go). "&", "<" and ">" are in it on
 * purpose, since Go's JSON escapes them unless told not to.
 */
const HISTORY: readonly { student: string; leafVersion: 1 | 2; type: string; data: unknown }[] = [
  { student: 'anna', leafVersion: 1, type: 'DisclosureDecided', data: { outcome: 'granted', purpose: 'support-plan', items: 3 } },
  { student: 'bertil', leafVersion: 1, type: 'DisclosureDecided', data: { outcome: 'refused', reasons: ['no-consent'] } },
  { student: 'anna', leafVersion: 2, type: 'DisclosureExplained', data: { reasons: ['consent', 'law 1287/2013 s. 41'], note: 'a&b <c>' } },
  { student: 'cecilia', leafVersion: 2, type: 'DisclosureDecided', data: { outcome: 'granted', items: 1, review: null, urgent: true } },
  { student: 'bertil', leafVersion: 2, type: 'ReceiptRecorded', data: null },
  { student: 'cecilia', leafVersion: 2, type: 'DisclosureExplained', data: { reasons: [], nested: { depth: [1, [2, { z: 0, a: -7 }]] } } },
  { student: 'daniel', leafVersion: 2, type: 'DisclosureDecided', data: { outcome: 'granted', Zebra: 1, apple: 2 } },
  { student: 'cecilia', leafVersion: 2, type: 'ReviewRequested', data: { by: 'guardian', at: '2026-12-02T10:00:00Z' } },
  { student: 'anna', leafVersion: 2, type: 'ReceiptRecorded', data: { count: 900719925474099 } },
];

/** The audit stream of a student. */
export const streamOf = (student: string) => `audit-${student}`;

/** An event as the log holds it: a bundle event without its hash and proof. */
type LoggedEvent = Omit<BundleEventV2, 'leafHash' | 'proof'>;

/** The sample log: its events, keys, and the material a bundle or a witness would carry. */
export class SampleLog {
  readonly logSigner = generateSignerKey(ORIGIN);
  readonly logKey = verifierKeyOf(this.logSigner);
  readonly witnessSigners = WITNESSES.map((name) => generateSignerKey(name));
  readonly cosignerKeys = this.witnessSigners.map(cosignerKeyOf);
  readonly events: readonly LoggedEvent[] = loggedEvents();
  private readonly leafHashes = this.events.map((event) => eventLeafHash(leafOf(event)));

  get size(): number {
    return this.events.length;
  }

  /** The map of the first `size` leaves: each stream's (latest leaf index, count). */
  mapAt(size: number): StreamMap {
    const map = new StreamMap();
    this.events.slice(0, size).forEach((event) => map.append(event.streamId, event.leafIndex));
    return map;
  }

  /** The checkpoint body (origin, size, root, map line) of the first `size` leaves. */
  checkpointBody(size: number): string {
    const root = rootOf(this.leafHashes.slice(0, size));
    return formatCheckpoint({ origin: ORIGIN, size, root, extensions: [mapExtension(this.mapAt(size).rootHash())] });
  }

  /** The checkpoint at `size`, signed by the log's key (or `signer`) and cosigned by both witnesses. */
  checkpoint(size: number, signer = this.logSigner): string {
    const signed = signNote(this.checkpointBody(size), signer);
    return this.witnessSigners.reduce((note, witness, i) => cosignCheckpoint(note, witness, WITNESS_TIME + i), signed);
  }

  /** A student's bundle against the checkpoint at `size`, with the completeness proof when asked. */
  bundle(student: string, size: number, options: { complete?: boolean } = {}): BundleV2 {
    const stream = streamOf(student);
    const events = this.events.filter((event) => event.streamId === stream && event.leafIndex < size).map((event) => this.bundleEvent(event, size));
    const bundle: BundleV2 = { format: 'silta-audit-bundle/v2', origin: ORIGIN, verifierKey: this.logKey, checkpoint: this.checkpoint(size), events };
    return options.complete ? { ...bundle, completeness: this.completeness(stream, size) } : bundle;
  }

  /** The map's entry for `stream` at `size` and its proof. */
  completeness(stream: string, size: number): BundleCompleteness {
    const map = this.mapAt(size);
    return { stream, entry: map.get(stream) ?? null, proof: map.prove(stream) };
  }

  /** RFC 9162 inclusion proof of leaf `index` in the tree of `size`, base64. */
  inclusionProof(index: number, size: number): string[] {
    return inclusionProof(this.leafHashes, index, size).map(base64);
  }

  /** RFC 9162 consistency proof between sizes, base64. */
  consistencyProof(oldSize: number, newSize: number): string[] {
    return consistencyProof(this.leafHashes, oldSize, newSize).map(base64);
  }

  private bundleEvent(event: LoggedEvent, size: number): BundleEventV2 {
    const leafHash = Buffer.from(this.leafHashes[event.leafIndex]!).toString('hex');
    return { ...event, leafHash, proof: this.inclusionProof(event.leafIndex, size) };
  }
}

/** HISTORY as logged: ids, per-stream revisions, and `previous` as the log's order assigns it. */
function loggedEvents(): LoggedEvent[] {
  const latest = new StreamMap();
  return HISTORY.map(({ student, leafVersion, type, data }, leafIndex) => {
    const streamId = streamOf(student);
    const revision = latest.get(streamId)?.count ?? 0;
    const previous = latest.append(streamId, leafIndex);
    const id = `00000000-0000-4000-8000-${String(leafIndex).padStart(12, '0')}`;
    return { leafIndex, leafVersion, id, streamId, revision, previous: leafVersion === 2 ? previous : null, type, data };
  });
}

function leafOf(event: LoggedEvent): AuditLeafEvent {
  return bundleLeaf({ ...event, leafHash: '', proof: [] });
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
