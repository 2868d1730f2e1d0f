/**
 * Builds audit logs in the disclosure service's format for the CLI's tests: audit events with
 * their leafHash metadata and AuditCheckpointSigned events with signed notes. Plain helpers, no
 * test framework imports.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@silta/event-store';
import { consistencyProof, eventLeafHash, formatCheckpoint, rootOf, signNote } from '@silta/transparency';
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

  constructor(
    private readonly signerKey: string,
    private readonly store?: EventStore,
    readonly origin = TEST_ORIGIN,
  ) {}

  get size(): number {
    return this.leafHashes.length;
  }

  /** Appends an audit event to `audit-<studentId>` with its leafHash metadata. */
  async record(studentId: string, type: string, data: unknown): Promise<void> {
    const hash = eventLeafHash({ type, data });
    this.leafHashes.push(hash);
    await this.store?.appendToStream(
      `${AUDIT_STREAM_PREFIX}${studentId}`,
      [{ id: randomUUID(), type, data, metadata: { leafHash: Buffer.from(hash).toString('hex') } }],
      'any',
    );
  }

  /** An event the audit log must ignore (another stream of the same store). */
  async noise(n: number): Promise<void> {
    await this.store?.appendToStream(`consent-${n}`, [{ id: randomUUID(), type: 'ConsentGranted', data: { n } }], 'any');
  }

  /** Signs a checkpoint at the current size (or `size`) and stores it, unless `store` is false. */
  async checkpoint(options: { size?: number; signerKey?: string; store?: boolean } = {}): Promise<string> {
    const size = options.size ?? this.size;
    const root = rootOf(this.leafHashes.slice(0, size));
    const note = signNote(formatCheckpoint({ origin: this.origin, size, root }), options.signerKey ?? this.signerKey);
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
