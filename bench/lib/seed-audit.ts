// The verify benchmark's audit log: disclosure's own audit events (DisclosureDecided made by its
// pure decision function under the shipped default policy, DisclosureExplained, DisclosureReceived,
// EmergencyAccessReviewed), on one stream per student, and signed AuditCheckpointSigned events as
// its checkpointer writes them. By default each event carries a v1 leaf (the leafHash metadata of
// logs written before leaf v2); with `leafVersion: 2` the metadata AuditLog.append writes today and
// checkpoints that commit to the per-student map, as the checkpointer signs them.
// Event i is a pure function of i, so the baseline can rebuild the same bytes without the database.
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { MerkleFrontier, StreamMap, eventLeafHash, formatCheckpoint, formatSignerKey, mapExtension, signNote, verifierKeyOf, type AuditLeafEvent } from '@silta/transparency';
import { AUDIT_CHECKPOINT_SIGNED, CHECKPOINT_STREAM, auditEventMetadata, auditPayload, type AuditCheckpoint } from '@silta/audit-trail';
import { auditStreamOf, decide, loadPolicyFile, type AuditEvent, type Basis, type Category, type DecisionInput, type Policy } from '@silta/decision';
import { DEFAULT_POLICY_PATH } from '../../apps/disclosure/src/shared/policy.provider';
import { createEventTable, insertRows, pgClient, prng, seededId, type SeedRow } from './seed-events';

export const BENCH_ORIGIN = 'silta.bench/welfare-area/audit';
/** A signer key for benchmark logs only, derived from a fixed phrase: it guards nothing real. Named after the origin (C2SP). */
export const BENCH_SIGNER_KEY = formatSignerKey(BENCH_ORIGIN, createHash('sha256').update('silta bench audit log v1').digest());
export const BENCH_VERIFIER_KEY = verifierKeyOf(BENCH_SIGNER_KEY);
/** Every HEAVY_EVERY-th event belongs to one student, so `replay` has a long history to re-run (and a bundle 1 % of the log). */
export const HEAVY_STUDENT = 'student-long-history';
const HEAVY_EVERY = 100;
const STUDENTS = 50_000;
const CHECKPOINT_NAMESPACE = '0b6a8f4e-3c1d-4e7a-9f2b-6d5c8a1e7f30';

export interface AuditSeedEvent {
  readonly studentId: string;
  readonly eventId: string;
  readonly type: AuditEvent['type'];
  /** The payload exactly as AuditLog.append hands it to the store (auditPayload). */
  readonly data: unknown;
}

let policy: Policy | undefined;

/** The i-th audit event of the benchmark log. */
export function auditEventAt(i: number): AuditSeedEvent {
  policy ??= loadPolicyFile(DEFAULT_POLICY_PATH);
  const random = prng(i + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const studentId = i % HEAVY_EVERY === 0 ? HEAVY_STUDENT : `student-${Math.floor(random() * STUDENTS)}`;
  const at = new Date(Date.UTC(2025, 0, 1) + i * 30_000).toISOString();
  const role = pick(['curator', 'psychologist', 'nurse', 'doctor'] as const);
  const professionalId = `professional-${Math.floor(random() * 2_000)}`;
  const requester = { sub: professionalId, role, org: 'welfare-area:bench' };
  const schoolId = `school-${Math.floor(random() * 200)}`;
  const guardians = [`guardian-${studentId}-1`, `guardian-${studentId}-2`];
  const eventId = seededId(7, i);
  const kind = random();

  if (kind < 0.05) {
    const event = { type: 'DisclosureReceived', disclosureId: seededId(8, i), studentId, receiver: requester, receivedCategories: ['identification', 'absences'], dataHash: createHash('sha256').update(String(i)).digest('hex'), receivedAt: at } as const;
    return { studentId, eventId, type: event.type, data: roundTrip(event) };
  }
  if (kind < 0.07) {
    const event = { type: 'EmergencyAccessReviewed', disclosureId: seededId(8, i), reviewer: { sub: 'auditor-1', org: 'welfare-area:bench' }, outcome: pick(['justified', 'unjustified'] as const), note: 'reviewed against the case notes', reviewedAt: at } as const;
    return { studentId, eventId, type: event.type, data: roundTrip(event) };
  }
  const basis = pick<Basis>(['identification', 'identification', 'consent', 'consent', 'necessity', 'emergency']);
  const categories: readonly Category[] =
    basis === 'identification' ? ['identification', 'guardian_contacts'] : pick<readonly Category[]>([['absences', 'grades'], ['absences'], ['support_needs', 'learning_progress', 'absences'], ['lesson_markings', 'grades', 'detentions']]);
  const input: DecisionInput = {
    request: {
      requestId: `request-${i}`,
      studentId,
      categories,
      basis,
      purpose: 'student welfare support meeting',
      ...(basis === 'necessity' || basis === 'emergency' ? { caseId: `case-${i % 10_000}`, justification: 'The pupil has been absent for weeks and the family asked for help.' } : {}),
    },
    requester: { professionalId, role, welfareAreaId: 'bench' },
    snapshot: {
      student: { schoolId, decidesForSelf: random() < 0.1, welfareAccessActive: random() < 0.9, enrolledAt: '2024-08-10T08:00:00.000Z', servedBy: 'bench', municipalityId: 'bench' },
      assignments: [
        { assignmentId: `assignment-${professionalId}`, professionalId, role, welfareAreaId: 'bench', schoolId: random() < 0.85 ? schoolId : 'school-elsewhere', validFrom: '2024-08-01', ended: false },
      ],
      consents:
        random() < 0.6
          ? [
              {
                consentId: seededId(9, i),
                version: 1,
                grantedBy: { kind: 'guardian', id: guardians[0]! },
                categories: ['absences', 'grades', 'learning_progress'],
                welfareAreaId: 'bench',
                roles: [role],
                status: pick(['active', 'active', 'paused', 'withdrawn'] as const),
                validFrom: '2024-09-01T00:00:00.000Z',
                grantedAt: '2024-09-01T00:00:00.000Z',
                purpose: 'student welfare support meeting',
              },
            ]
          : [],
      linkedGuardianIds: guardians,
      guardianLinkedAt: { [guardians[0]!]: '2024-08-10T08:00:00.000Z', [guardians[1]!]: '2024-08-10T08:00:00.000Z' },
    },
    policy,
    now: at,
  };
  const decision = decide(input);
  if (kind < 0.15) {
    const event = { type: 'DisclosureExplained', explanationId: seededId(8, i), requester, input, decision, decidedAt: at } as const;
    return { studentId, eventId, type: event.type, data: roundTrip(event) };
  }
  const event = { type: 'DisclosureDecided', disclosureId: eventId, requester, input, decision, schoolId, municipalityId: 'municipality-bench', decidedAt: at } as const;
  return { studentId, eventId, type: event.type, data: roundTrip(event) };
}

/** AuditLog.append's own shaping of the payload: what the product hashes and the store holds. */
function roundTrip(event: AuditEvent): unknown {
  return auditPayload(event);
}

/** An event of the benchmark log with the leaf the log hashes for it. */
export interface SeededLeaf {
  /** The leaf index: the event's place in the log. */
  readonly index: number;
  readonly event: AuditSeedEvent;
  readonly stream: string;
  readonly revision: number;
  readonly leaf: AuditLeafEvent;
}

/**
 * The first `count` events of the log in log order, each with its leaf in `leafVersion`. A v2 leaf's
 * revision and previous leaf index follow from the events before it, so they are settled here, in
 * order, as the checkpointer settles them; `map` (the per-student map) receives every v2 leaf.
 */
export function* auditLeaves(count: number, leafVersion: 1 | 2, map = new StreamMap()): Generator<SeededLeaf> {
  const revisions = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const event = auditEventAt(i);
    const stream = auditStreamOf(event.studentId);
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    const leaf: AuditLeafEvent =
      leafVersion === 1
        ? { type: event.type, data: event.data }
        : { v: 2, id: event.eventId, stream, revision, previous: map.append(stream, i), type: event.type, data: event.data };
    yield { index: i, event, stream, revision, leaf };
  }
}

export interface AuditSeedReport {
  readonly leaves: number;
  readonly checkpoints: number;
  readonly heavyStudentEvents: number;
  readonly bytes: number;
}

export interface AuditSeedOptions {
  /** 1 (default): leaves as logs written before leaf v2 hold them. 2: as AuditLog.append and the checkpointer write them today. */
  readonly leafVersion?: 1 | 2;
  readonly onProgress?: (done: number) => void;
}

/** The number of events of HEAVY_STUDENT among the first `leaves` events of the log. */
export function heavyStudentEvents(leaves: number): number {
  return Math.ceil(leaves / HEAVY_EVERY);
}

/**
 * Writes `leaves` audit events into the empty database at `url`, with a signed checkpoint after
 * every `checkpointEvery` leaves and one at the end, interleaved in log order as the checkpointer
 * writes them (v2: each checkpoint commits to the per-student map in its extension line). Inserts
 * overlap with generating the next chunk. `options` may also be the progress callback alone (a v1 log).
 */
export async function seedAuditLog(url: string, leaves: number, checkpointEvery: number, options: AuditSeedOptions | AuditSeedOptions['onProgress'] = {}): Promise<AuditSeedReport> {
  const { leafVersion = 1, onProgress } = typeof options === 'function' ? { onProgress: options } : options;
  await createEventTable(url);
  const client = await pgClient(url);
  const frontier = new MerkleFrontier();
  const map = new StreamMap();
  let rows: SeedRow[] = [];
  let pending: Promise<void> = Promise.resolve();
  let checkpoints = 0;
  let bytes = 0;
  const flush = async () => {
    const batch = rows;
    rows = [];
    await pending;
    pending = insertRows(client, batch);
  };
  const checkpoint = () => {
    const size = frontier.size;
    const root = frontier.root();
    const extensions = leafVersion === 2 ? [mapExtension(map.rootHash())] : [];
    const data: AuditCheckpoint = {
      origin: BENCH_ORIGIN,
      size,
      rootHash: Buffer.from(root).toString('base64'),
      note: signNote(formatCheckpoint({ origin: BENCH_ORIGIN, size, root, extensions }), BENCH_SIGNER_KEY),
      createdAt: new Date(Date.UTC(2025, 0, 1) + size * 30_000).toISOString(),
    };
    rows.push({
      streamId: CHECKPOINT_STREAM,
      revision: checkpoints,
      eventId: uuidv5(`checkpoint\n${BENCH_ORIGIN}\n${size}`, CHECKPOINT_NAMESPACE),
      type: AUDIT_CHECKPOINT_SIGNED,
      data: JSON.stringify(data),
      metadata: JSON.stringify({ schemaVersion: 1 }),
      recordedAt: data.createdAt,
    });
    checkpoints += 1;
  };
  try {
    for (const { index, event, stream, revision, leaf } of auditLeaves(leaves, leafVersion, map)) {
      const hash = eventLeafHash(leaf);
      frontier.append(hash);
      const data = JSON.stringify(event.data);
      bytes += data.length;
      rows.push({
        streamId: stream,
        revision,
        eventId: event.eventId,
        type: event.type,
        data,
        // v1: the leafHash recorded at append (SqlEventStore adds schemaVersion 1 to every event's
        // metadata); v2: what AuditLog.append records, as the hash depends on the log's order.
        metadata: JSON.stringify(leafVersion === 1 ? { schemaVersion: 1, leafHash: Buffer.from(hash).toString('hex') } : auditEventMetadata(event.data)),
        recordedAt: new Date(Date.UTC(2025, 0, 1) + index * 30_000).toISOString(),
      });
      if (frontier.size % checkpointEvery === 0 || frontier.size === leaves) checkpoint();
      if (rows.length >= 2_000) {
        await flush();
        onProgress?.(frontier.size);
      }
    }
    await flush();
    await pending;
  } finally {
    await client.end();
  }
  return { leaves, checkpoints, heavyStudentEvents: heavyStudentEvents(leaves), bytes };
}
