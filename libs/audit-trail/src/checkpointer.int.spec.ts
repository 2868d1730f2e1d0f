import { randomUUID } from 'node:crypto';
import type { EventStore } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import {
  eventLeafHash,
  generateSignerKey,
  mapRootOf,
  openCheckpoint,
  rootOf,
  verifierKeyOf,
  verifyConsistency,
  verifyInclusion,
  verifyMapProof,
} from '@silta/transparency';
import { eventMetadata } from '@silta/event-store';
import { AuditLog } from './audit-log';
import { CHECKPOINT_STREAM } from './checkpoint';
import { AuditCheckpointer, AuditLogDivergedError } from './checkpointer';
import type { AuditLogSettings } from './settings';
import { AuditTreeLeafEntity, AuditTreeNodeEntity, auditTreeEntities } from './tree.entities';

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const signerKey = generateSignerKey('silta.test/audit');
const settings: AuditLogSettings = {
  origin: 'silta.test/audit',
  signerKey,
  verifierKey: verifierKeyOf(signerKey),
  checkpointIntervalMs: 0,
};

const review = (n: number) => ({
  type: 'EmergencyAccessReviewed' as const,
  disclosureId: randomUUID(),
  reviewer: { sub: `auditor-${n}`, org: 'welfare-area:w' },
  outcome: 'justified',
  reviewedAt: '2026-03-10T09:00:00.000Z',
});

describe('AuditCheckpointer', () => {
  let store: EventStore;
  let database: DataSource;
  let log: AuditLog;
  let checkpointer: AuditCheckpointer;
  /** Another instance (or this one after a restart): same event store, same tree tables. */
  const instance = () => new AuditCheckpointer(store, settings, database);
  let db: TestDatabase;
  beforeEach(async () => {
    // As a service runs it: the event store and the tree tables in one PostgreSQL database.
    db = await createTestDatabase('silta_checkpointer');
    store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 4 });
    database = await new DataSource({ type: 'postgres', url: db.url, entities: auditTreeEntities, synchronize: true }).initialize();
    log = new AuditLog(store);
    checkpointer = instance();
  });
  afterEach(async () => {
    await store.close();
    await database.destroy();
    await db.drop();
  });

  async function appendReviews(count: number, student = 's-1'): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
      const id = randomUUID();
      await log.append(student, id, review(n));
      ids.push(id);
    }
    return ids;
  }

  /** The leaf hashes of the audit events in the store, straight from docs/audit-log-format.md. */
  const leafHashesInStore = async () => {
    const latest = new Map<string, number>();
    return (await store.readAll())
      .filter((e) => e.streamId.startsWith('audit-'))
      .map((e, index) => {
        const previous = latest.get(e.streamId) ?? null;
        latest.set(e.streamId, index);
        if (e.metadata.leafVersion !== 2) return eventLeafHash({ type: e.type, data: e.data });
        return eventLeafHash({ v: 2, id: e.id, stream: e.streamId, revision: Number(e.revision), previous, type: e.type, data: e.data });
      });
  };
  /** An event as logs written before leaf v2 hold it: its v1 leaf hash in the metadata. */
  const v1Event = (data: { type: string }, storedData: unknown = data) => ({
    id: randomUUID(),
    type: data.type,
    data: storedData,
    metadata: { ...eventMetadata(), leafHash: Buffer.from(eventLeafHash({ type: data.type, data })).toString('hex') },
  });

  it('signs a checkpoint over the audit streams only, in log order, that opens with the verifier key', async () => {
    await appendReviews(2, 's-1');
    await store.appendToStream('other-stream', [{ id: randomUUID(), type: 'Unrelated', data: {} }], 'any');
    await appendReviews(3, 's-2');

    const checkpoint = (await checkpointer.checkpoint())!;
    const opened = openCheckpoint(checkpoint.note, [settings.verifierKey], { origin: settings.origin });
    expect(opened.checkpoint.size).toBe(5);
    expect(checkpoint.size).toBe(5);
    expect(Buffer.from(opened.checkpoint.root).toString('base64')).toBe(checkpoint.rootHash);
    expect(opened.checkpoint.root).toEqual(rootOf(await leafHashesInStore()));

    const [stored] = await store.readStream(CHECKPOINT_STREAM);
    expect(stored!.type).toBe('AuditCheckpointSigned');
    expect(stored!.data).toEqual(checkpoint);
  });

  it('signs only when the log grew, and a later checkpoint is consistent with the earlier', async () => {
    const first = await appendReviews(3);
    const earlier = (await checkpointer.checkpoint({ onlyIfGrown: true }))!;
    expect(await checkpointer.checkpoint({ onlyIfGrown: true })).toEqual(earlier);
    expect(await store.readStream(CHECKPOINT_STREAM)).toHaveLength(1);

    await appendReviews(4);
    const later = (await checkpointer.checkpoint({ onlyIfGrown: true }))!;
    expect(later.size).toBe(7);
    expect(await store.readStream(CHECKPOINT_STREAM)).toHaveLength(2);

    const proof = await checkpointer.consistencyProof(earlier.size, later.size);
    verifyConsistency(earlier.size, later.size, fromBase64(earlier.rootHash), fromBase64(later.rootHash), proof);

    const leaf = (await checkpointer.leafOf(first[1]!))!;
    expect(leaf.index).toBe(1);
    verifyInclusion(leaf.hash, leaf.index, later.size, await checkpointer.inclusionProof(leaf.index, later.size), fromBase64(later.rootHash));
  });

  it('does not sign the empty log on its timer, but does on demand', async () => {
    expect(await checkpointer.checkpoint({ onlyIfGrown: true })).toBeUndefined();
    const empty = (await checkpointer.checkpoint())!;
    expect(empty.size).toBe(0);
    expect(openCheckpoint(empty.note, [settings.verifierKey]).checkpoint.size).toBe(0);
  });

  it('lets instances run side by side: one checkpoint event per size, found again by a fresh instance', async () => {
    await appendReviews(2);
    const [a, b] = await Promise.all([checkpointer.checkpoint(), instance().checkpoint()]);
    expect(b!.note).toBe(a!.note);
    expect(await store.readStream(CHECKPOINT_STREAM)).toHaveLength(1);
    const fresh = instance();
    expect(await fresh.latest()).toEqual((await store.readStream(CHECKPOINT_STREAM))[0]!.data);
    expect(await fresh.checkpoint()).toEqual(await fresh.latest());
    expect(await store.readStream(CHECKPOINT_STREAM)).toHaveLength(1);
  });

  it('refuses to sign over a v2 event whose payload was changed after it was appended, naming the leaf', async () => {
    await appendReviews(2);
    const [event] = await store.readStream('audit-s-1', { fromRevision: 1n, maxCount: 1 });
    // What someone with write access to the store does: the payload changed, the row otherwise intact.
    await database.query(`UPDATE silta_events SET data = $1 WHERE event_id = $2`, [JSON.stringify({ ...(event!.data as object), outcome: 'unjustified' }), event!.id]);
    await expect(checkpointer.checkpoint()).rejects.toThrow(/audit log leaf 1 .* in audit-s-1 .* stores data hash [0-9a-f]{64} but its content gives data hash/);
    await expect(store.readStream(CHECKPOINT_STREAM)).resolves.toEqual([]);
  });

  it('refuses to sign over an event whose stored leaf hash does not match its data, naming the leaf', async () => {
    await appendReviews(2);
    const data = review(9);
    const altered = { ...data, outcome: 'unjustified' };
    await store.appendToStream('audit-s-1', [v1Event(data, altered)], 'any');
    await expect(checkpointer.checkpoint()).rejects.toThrow(AuditLogDivergedError);
    await expect(checkpointer.checkpoint()).rejects.toThrow(/audit log leaf 2 .* in audit-s-1/);
    await expect(store.readStream(CHECKPOINT_STREAM)).resolves.toEqual([]);
  });

  it('keeps the tree in the database: a restarted instance reads only new events and proves from stored subtrees', async () => {
    const ids = await appendReviews(37);
    const before = (await checkpointer.checkpoint())!;
    expect(await database.manager.count(AuditTreeLeafEntity)).toBe(37);
    // 37 leaves hold 37 + 18 + 9 + 4 + 2 + 1 perfect subtrees.
    expect(await database.manager.count(AuditTreeNodeEntity)).toBe(71);

    await appendReviews(4);
    const restarted = instance();
    const reads: Array<bigint | undefined> = [];
    const readAll = store.readAll.bind(store);
    jest.spyOn(store, 'readAll').mockImplementation((options) => (reads.push(options?.after), readAll(options)));
    const after = (await restarted.checkpoint())!;
    expect(after.size).toBe(41);
    // From where the tree stopped (after the first checkpoint event; then its own new checkpoint): never from the start.
    const [firstCheckpoint] = await store.readStream(CHECKPOINT_STREAM);
    expect(reads[0]).toBe(firstCheckpoint!.position);
    expect(reads.filter((after) => after === undefined || after < firstCheckpoint!.position)).toEqual([]);

    const leaf = (await restarted.leafOf(ids[20]!))!;
    expect(leaf.index).toBe(20);
    const hashes = await leafHashesInStore();
    expect(leaf.hash).toEqual(hashes[20]);
    verifyInclusion(leaf.hash, 20, after.size, await restarted.inclusionProof(20, after.size), fromBase64(after.rootHash));
    verifyConsistency(before.size, after.size, fromBase64(before.rootHash), fromBase64(after.rootHash), await restarted.consistencyProof(before.size, after.size));
    expect(after.rootHash).toBe(Buffer.from(rootOf(hashes)).toString('base64'));
  });

  it('serves proofs and the latest checkpoint without writing when nothing is new: they work on a read-only connection', async () => {
    const ids = await appendReviews(5);
    const earlier = (await checkpointer.checkpoint())!;
    await appendReviews(2);
    const signed = (await checkpointer.checkpoint())!;
    // A database that refuses every write and every row lock, as a read replica or a read-only role would.
    const readOnly = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: auditTreeEntities,
      extra: { options: '-c default_transaction_read_only=on' },
    }).initialize();
    try {
      await expect(readOnly.query('INSERT INTO audit_tree_leaves VALUES (999, $1, $2)', ['x', 'y'])).rejects.toThrow(/read-only transaction/);
      const reader = new AuditCheckpointer(store, settings, readOnly);
      expect(await reader.latest()).toEqual(signed);
      expect(await reader.checkpoint({ onlyIfGrown: true })).toEqual(signed);
      expect(await reader.checkpointAt(earlier.size)).toEqual(earlier);
      expect(await reader.size()).toBe(7);
      const leaf = (await reader.leafOf(ids[3]!))!;
      verifyInclusion(leaf.hash, leaf.index, signed.size, await reader.inclusionProof(leaf.index, signed.size), fromBase64(signed.rootHash));
      const proof = await reader.consistencyProof(earlier.size, signed.size);
      verifyConsistency(earlier.size, signed.size, fromBase64(earlier.rootHash), fromBase64(signed.rootHash), proof);
    } finally {
      await readOnly.destroy();
    }
  });

  it('does not keep readers waiting while another instance holds the tree to add a page', async () => {
    await appendReviews(3);
    const signed = (await checkpointer.checkpoint())!;
    const writer = database.createQueryRunner();
    await writer.connect();
    await writer.startTransaction();
    try {
      // What an instance adding a page holds until it commits.
      await writer.query('SELECT * FROM audit_tree_head FOR UPDATE');
      const reader = instance();
      const answered = Promise.all([reader.latest(), reader.consistencyProof(1, 3), reader.inclusionProof(0, 3)]).then(([latest]) => latest);
      const waited = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 2000).unref());
      expect(await Promise.race([answered, waited])).toEqual(signed);
    } finally {
      await writer.rollbackTransaction();
      await writer.release();
    }
  });

  it('still adds what is new to the tree when a reader asks', async () => {
    await appendReviews(2);
    await checkpointer.checkpoint();
    await appendReviews(1);
    expect(await instance().size()).toBe(3);
    expect(await database.manager.count(AuditTreeLeafEntity)).toBe(3);
  });

  it('chains each student\'s v2 leaves and commits every checkpoint to the per-student map', async () => {
    await appendReviews(2, 's-1');
    await appendReviews(3, 's-2');
    const [third] = await appendReviews(1, 's-1');
    const checkpoint = (await checkpointer.checkpoint())!;
    expect(checkpoint.rootHash).toBe(Buffer.from(rootOf(await leafHashesInStore())).toString('base64'));
    const leaf = (await checkpointer.leafOf(third!))!;
    expect(leaf).toMatchObject({ index: 5, version: 2, previous: 1 });

    const mapRoot = mapRootOf(openCheckpoint(checkpoint.note, [settings.verifierKey]).checkpoint.extensions)!;
    const s1 = await instance().mapProof('audit-s-1', checkpoint.size);
    expect(s1.entry).toEqual({ latest: 5, count: 3 });
    verifyMapProof(mapRoot, 'audit-s-1', s1.entry, s1.proof);
    const s2 = await checkpointer.mapProof('audit-s-2', checkpoint.size);
    expect(s2.entry).toEqual({ latest: 4, count: 3 });
    verifyMapProof(mapRoot, 'audit-s-2', s2.entry, s2.proof);
    expect(() => verifyMapProof(mapRoot, 'audit-s-1', s2.entry, s2.proof)).toThrow(/does not verify/);
    const nobody = await checkpointer.mapProof('audit-nobody', checkpoint.size);
    expect(nobody.entry).toBeUndefined();
    verifyMapProof(mapRoot, 'audit-nobody', undefined, nobody.proof);
  });

  it('verifies a log whose older events have v1 leaves and newer ones v2', async () => {
    await store.appendToStream('audit-s-1', [v1Event(review(1)), v1Event(review(2))], 'any');
    await appendReviews(2, 's-1');
    const checkpoint = (await checkpointer.checkpoint())!;
    const hashes = await leafHashesInStore();
    expect(checkpoint.rootHash).toBe(Buffer.from(rootOf(hashes)).toString('base64'));
    expect(hashes[0]).toEqual(eventLeafHash({ type: 'EmergencyAccessReviewed', data: (await store.readAll())[0]!.data }));
    expect((await checkpointer.mapProof('audit-s-1', checkpoint.size)).entry).toEqual({ latest: 3, count: 4 });
  });

  it('signs a checkpoint when the service shuts down after the log grew, and none when it did not', async () => {
    await appendReviews(3);
    await checkpointer.beforeApplicationShutdown();
    expect((await store.readStream(CHECKPOINT_STREAM)).map((event) => (event.data as { size: number }).size)).toEqual([3]);
    await instance().beforeApplicationShutdown();
    expect(await store.readStream(CHECKPOINT_STREAM)).toHaveLength(1);
  });

  it('refuses a proof for a tree larger than the log', async () => {
    await appendReviews(3);
    await expect(checkpointer.inclusionProof(0, 4)).rejects.toThrow('tree size 4 is beyond the audit log (3 leaves)');
  });
});
