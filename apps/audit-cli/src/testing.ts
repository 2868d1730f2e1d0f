/**
 * Builds audit logs in the disclosure service's format for the CLI's tests: audit events with v2
 * leaves (or v1 ones with their leafHash metadata, as older logs hold them) and AuditCheckpointSigned
 * events with signed notes that carry the per-student map line. Plain helpers, no test framework imports.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@silta/event-store';
import { StreamMap, canonicalJsonHash, consistencyProof, eventLeafHash, formatCheckpoint, mapExtension, rootOf, signNote } from '@silta/transparency';
import { AUDIT_STREAM_PREFIX, CHECKPOINT_EVENT_TYPE, CHECKPOINT_STREAM, type AuditCheckpointSigned } from './audit-log';

export const TEST_ORIGIN = 'silta.test/welfare-area/audit';

/** A DisclosureDecided payload as the disclosure service stores it (the fields the CLI reads). */
export function disclosureDecided(studentId: string, n: number, basis = 'consent'): Record<string, unknown> {
  return {
    disclosureId: `d-${studentId}-${n}`,
    requester: { sub: 'p-1', role: 'curator', org: 'welfare-area:demo' },
    input: {
      request: { requestId: `r-${n}`, studentId, categories: ['absences', 'grades'], basis, purpose: 'support' },
      requester: { professionalId: 'p-1', role: 'curator', welfareAreaId: 'demo' },
      snapshot: { assignments: [], consents: [], linkedGuardianIds: [] },
      policy: { version: '1', requireWelfareAccessActivation: false },
      now: `2025-01-0${(n % 9) + 1}T10:00:00.000Z`,
    },
    decision: {
      outcome: 'partial',
      categories: [
        { category: 'absences', outcome: 'permit', reason: 'consent_given' },
        { category: 'grades', outcome: 'deny', reason: 'no_consent' },
      ],
      flags: { supervision: false, review: false },
    },
    decidedAt: `2025-01-0${(n % 9) + 1}T10:00:00.000Z`,
  };
}

/** One party's audit log: leaves in order, appended to a store when one is given. */
export class TestAuditLog {
  readonly leafHashes: Uint8Array[] = [];
  /** The signed checkpoint notes made so far, in order. */
  readonly notes: string[] = [];
  /** Each leaf's stream, in log order: the per-student map at any size. */
  readonly streams: string[] = [];

  constructor(
    private readonly signerKey: string,
    private readonly store?: EventStore,
    readonly origin = TEST_ORIGIN,
  ) {}

  get size(): number {
    return this.leafHashes.length;
  }

  /** Appends an audit event to `audit-<studentId>` with a v2 leaf (docs/audit-log-format.md); answers its id. */
  async record(studentId: string, type: string, data: unknown): Promise<string> {
    const stream = `${AUDIT_STREAM_PREFIX}${studentId}`;
    const id = randomUUID();
    const previous = this.streams.lastIndexOf(stream);
    const revision = this.streams.filter((name) => name === stream).length;
    this.leafHashes.push(eventLeafHash({ v: 2, id, stream, revision, previous: previous < 0 ? null : previous, type, data }));
    this.streams.push(stream);
    await this.store?.appendToStream(stream, [{ id, type, data, metadata: { leafVersion: 2, dataHash: canonicalJsonHash(data ?? null) } }], 'any');
    return id;
  }

  /** Appends an audit event as logs written before leaf v2 hold it: a v1 leaf, its hash in the metadata. */
  async recordV1(studentId: string, type: string, data: unknown): Promise<string> {
    const stream = `${AUDIT_STREAM_PREFIX}${studentId}`;
    const id = randomUUID();
    const hash = eventLeafHash({ type, data });
    this.leafHashes.push(hash);
    this.streams.push(stream);
    await this.store?.appendToStream(stream, [{ id, type, data, metadata: { leafHash: Buffer.from(hash).toString('hex') } }], 'any');
    return id;
  }

  /** The per-student map of the first `size` leaves. */
  mapAt(size: number): StreamMap {
    const map = new StreamMap();
    this.streams.slice(0, size).forEach((stream, index) => map.append(stream, index));
    return map;
  }

  /** An event the audit log must ignore (another stream of the same store). */
  async noise(n: number): Promise<void> {
    await this.store?.appendToStream(`consent-${n}`, [{ id: randomUUID(), type: 'ConsentGranted', data: { n } }], 'any');
  }

  /** Signs a checkpoint at the current size (or `size`) with the map line and stores it, unless `store` is false. */
  async checkpoint(options: { size?: number; signerKey?: string; store?: boolean; mapRoot?: Uint8Array | null } = {}): Promise<string> {
    const size = options.size ?? this.size;
    const root = rootOf(this.leafHashes.slice(0, size));
    // The map line, as the service writes it; `mapRoot` null leaves it out (a checkpoint from before leaf v2).
    const mapRoot = options.mapRoot === undefined ? this.mapAt(size).rootHash() : options.mapRoot;
    const extensions = mapRoot ? [mapExtension(mapRoot)] : [];
    const note = signNote(formatCheckpoint({ origin: this.origin, size, root, extensions }), options.signerKey ?? this.signerKey);
    this.notes.push(note);
    if (options.store !== false) await appendCheckpoint(this.store!, { origin: this.origin, size, rootHash: Buffer.from(root).toString('base64'), note, createdAt: new Date().toISOString() });
    return note;
  }

  consistencyProof(oldSize: number, newSize: number): string[] {
    return consistencyProof(this.leafHashes, oldSize, newSize).map((hash) => Buffer.from(hash).toString('base64'));
  }
}

export async function appendCheckpoint(store: EventStore, data: AuditCheckpointSigned): Promise<void> {
  await store.appendToStream(CHECKPOINT_STREAM, [{ id: randomUUID(), type: CHECKPOINT_EVENT_TYPE, data }], 'any');
}
