import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AuditCheckpointer, AuditLog, auditTreeEntities } from '@silta/audit-trail';
import type { EventStore } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { run, type CliDeps } from '../cli';
import { TEST_ORIGIN, disclosureDecided } from '../testing';

const signerKey = generateSignerKey(TEST_ORIGIN);
const settings = { origin: TEST_ORIGIN, signerKey, verifierKey: verifierKeyOf(signerKey), checkpointIntervalMs: 0 };

/** A stand-in for disclosure's decide(upcast(event).input): identification decisions replay differently. */
const replayDecision: CliDeps['replayDecision'] = (stored) => {
  const { input, decision } = stored as { input: { request: { basis: string } }; decision: unknown };
  return { recorded: decision, replayed: input.request.basis === 'identification' ? { outcome: 'permit' } : decision };
};

const PERIOD = ['--from', '2025-01-09', '--to', '2025-01-10'];
/** Selections whose rows must be the same through the index and by scanning the whole log. */
const SELECTIONS = [
  [...PERIOD],
  [...PERIOD, '--format', 'json'],
  [...PERIOD, '--format', 'csv'],
  ['--from', '2025-01-09T12:00:00Z', '--format', 'json'],
  ['--to', '2025-01-09T12:00:00.001Z', '--format', 'csv'],
  ['--professional', 'p-2', '--from', '2025-01-01', '--to', '2026-01-01', '--format', 'json'],
];

/** Where a test's log lives, as the disclosure service keeps it: the event store and the tree's tables. */
interface ServiceDatabases {
  readonly store: EventStore;
  readonly tree: DataSource;
  /** The CLI's store options for this log. */
  readonly storeArgs: string[];
}

/**
 * The disclosure service's audit log: events appended through AuditLog, the tree (and so the time
 * index) built by the real AuditCheckpointer, then more events the tree has not read yet. Own times
 * are out of log order, some in forms other than toISOString's, one event has none (recordedAt counts).
 */
async function buildLog({ store, tree }: ServiceDatabases): Promise<void> {
  const log = new AuditLog<{ readonly type: string; readonly [field: string]: unknown }>(store);
  const decided = (student: string, n: number, decidedAt: string, basis = 'consent') =>
    log.append(student, randomUUID(), { ...disclosureDecided(student, n, basis), type: 'DisclosureDecided', decidedAt });
  const noise = (n: number) => store.appendToStream(`consent-${n}`, [{ id: randomUUID(), type: 'ConsentGranted', data: { n } }], 'any');

  await decided('s1', 0, '2025-01-09T10:00:00.000Z', 'identification');
  await noise(1);
  for (let n = 1; n <= 10; n++) await decided(`s${n}`, n, `2025-01-02T0${n % 10}:00:00.000Z`);
  await log.append('s3', randomUUID(), { type: 'EmergencyAccessReviewed', disclosureId: 'd-s3-1', reviewer: { sub: 'a-1', org: 'welfare-area:demo' }, outcome: 'justified', reviewedAt: '2025-01-09T23:59:59.999Z' });
  await decided('s1', 11, '2025-01-10T00:00:00.000Z');
  await log.append('s2', randomUUID(), { type: 'DisclosureReceived', disclosureId: 'd-s2-1', receiver: { sub: 'p-2', role: 'curator', org: 'welfare-area:demo' }, receivedCategories: ['absences'], receivedAt: '2025-01-09T00:00:00.000Z' });
  await log.append('s4', randomUUID(), { type: 'DisclosureExplained', disclosureId: 'd-s4-1', explanationId: 'e-1' });
  await decided('s1', 12, '2025-01-09T23:30:00-02:00'); // 2025-01-10T01:30Z: out, though its text is in the period
  await decided('s5', 13, '2025-01-10T01:00:00+02:00'); // 2025-01-09T23:00Z: in, though its text is not
  await decided('s5', 14, '2025-01-09T12:00:00Z');
  expect(await new AuditCheckpointer(store, settings, tree).size()).toBe(18);

  await decided('s2', 15, '2025-01-09T15:00:00.000Z', 'identification');
  await noise(2);
  await decided('s3', 16, '2025-01-11T09:00:00.000Z');
}

describe('silta-audit replay of a period through the audit tree', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'silta-replay-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function replay(storeArgs: string[], args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await run(['replay', ...storeArgs, '--page-size', '2', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} }, { replayDecision });
    return { code, stdout, stderr };
  }

  /** Every selection, first through the index; then `hideIndex`, and the same through the scan. */
  async function expectSameAsScan(storeArgs: string[], hideIndex: () => Promise<void>, scanNote: string): Promise<void> {
    const indexed = [];
    for (const selection of SELECTIONS) indexed.push(await replay(storeArgs, selection));
    for (const result of indexed) expect(result.stderr).toContain("note: the period is read through the audit tree's time index (18 leaves; later events from the log)");
    await hideIndex();
    for (const [i, selection] of SELECTIONS.entries()) {
      const scanned = await replay(storeArgs, selection);
      expect(scanned.stderr).toContain(scanNote);
      expect({ selection, code: indexed[i]!.code, stdout: indexed[i]!.stdout }).toEqual({ selection, code: scanned.code, stdout: scanned.stdout });
    }
  }

  describe('on PostgreSQL, the tree in the event store\'s database', () => {
    let db: TestDatabase;
    let databases: ServiceDatabases;
    beforeEach(async () => {
      db = await createTestDatabase('silta_replay_index');
      const store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 2 });
      const tree = await new DataSource({ type: 'postgres', url: db.url, entities: auditTreeEntities, synchronize: true }).initialize();
      databases = { store, tree, storeArgs: ['--database-url', db.url] };
      await buildLog(databases);
    });
    afterEach(async () => {
      await databases.store.close();
      await databases.tree.destroy();
      await db.drop();
    });

    it("selects the period's events by their own time, the indexed ones and those after the tree's head, in log order", async () => {
      const result = await replay(databases.storeArgs, [...PERIOD, '--format', 'csv', '--progress-every', '1']);
      expect(result.stdout.trimEnd().split('\r\n').slice(1).map((line) => line.split(',').slice(0, 2).join(' '))).toEqual([
        '2025-01-09T10:00:00.000Z DisclosureDecided',
        '2025-01-09T23:59:59.999Z EmergencyAccessReviewed',
        '2025-01-09T00:00:00.000Z DisclosureReceived',
        '2025-01-10T01:00:00+02:00 DisclosureDecided',
        '2025-01-09T12:00:00Z DisclosureDecided',
        '2025-01-09T15:00:00.000Z DisclosureDecided',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL 2 recorded decisions differ when replayed');
      // Read: the 3 indexed leaves whose time text is in the period and the 3 whose text needs a wider
      // look, then the 2 audit events after the head; not the 10 decisions of 2 January nor the rest.
      expect(result.stderr.match(/read \d+ audit events/g)?.at(-1)).toBe('read 8 audit events');
    });

    it('gives the same rows as scanning the whole log', async () => {
      await expectSameAsScan(
        databases.storeArgs,
        () => databases.tree.query('ALTER TABLE audit_tree_leaves RENAME COLUMN event_time TO event_time_hidden'),
        'note: no time index (the database has no audit tree with event times (audit_tree_leaves.event_time)); the whole log is scanned',
      );
    });

    it('scans when leaves from before the index have no time, with the same rows', async () => {
      const indexed = await replay(databases.storeArgs, PERIOD);
      await databases.tree.query('UPDATE audit_tree_leaves SET event_time = NULL WHERE leaf_index = 0');
      const scanned = await replay(databases.storeArgs, PERIOD);
      expect(scanned.stderr).toContain('note: no time index (leaves added before the index have no event time); the whole log is scanned');
      expect(scanned.stdout).toBe(indexed.stdout);
    });

    it('stops, naming the leaf, when the index names an event the store does not hold there', async () => {
      await databases.tree.query(`DELETE FROM silta_events WHERE data LIKE '%"decidedAt":"2025-01-09T12:00:00Z"%'`);
      const result = await replay(databases.storeArgs, PERIOD);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/the audit tree's time index names event [0-9a-f-]{36} for leaf 17 but the store has no event at its position; run silta-audit verify/);
    });
  });

  it('on SQLite, reads the tree from the service\'s read.db beside events.db, with the same rows as the scan', async () => {
    const sqlite = (file: string): DataSourceOptions => ({ type: 'better-sqlite3', database: join(dir, file) });
    const store = await SqlEventStore.connect(sqlite('events.db'));
    const tree = await new DataSource({ ...sqlite('read.db'), entities: auditTreeEntities, synchronize: true }).initialize();
    try {
      await buildLog({ store, tree, storeArgs: [] });
    } finally {
      await tree.destroy();
      await store.close();
    }
    await expectSameAsScan(['--sqlite', join(dir, 'events.db')], async () => renameSync(join(dir, 'read.db'), join(dir, 'read.db.hidden')), `note: no time index (no read.db beside ${join(dir, 'events.db')}); the whole log is scanned`);
  });
});
