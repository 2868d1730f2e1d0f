import { Client } from 'pg';
import { SqlEventStore } from '@silta/event-store/sql';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import { canonicalJson, eventLeafHash, generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { run, type CliDeps } from '../cli';
import { TEST_ORIGIN, TestAuditLog, disclosureDecided } from '../testing';
import { openStore } from './open-store';

const signerKey = generateSignerKey(TEST_ORIGIN);
const key = verifierKeyOf(signerKey);

/**
 * verify reads a PostgreSQL store's table directly and hashes canonical payload text as stored
 * (postgres-leaves.ts); every verdict and message must be the one the event-store port gives.
 */
describe('silta-audit verify reading PostgreSQL directly', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let sql: Client;

  async function verify(deps: CliDeps, extra: string[] = []) {
    let stdout = '';
    let stderr = '';
    const code = await run(['verify', '--database-url', db.url, '--key', key, '--page-size', '3', ...extra], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} }, deps);
    return { code, stdout, stderr };
  }

  /** What verify says before it reads the log again with every payload parsed (only the direct read hashes payloads as stored). */
  const REREAD = /^the root at size \d+ does not match over payloads hashed as stored; reading the log again with every payload shown canonical or parsed\n/m;

  /** Both read paths, which must agree but for the direct read's note that it read again; returns the direct one's outcome. */
  async function verifyBothWays(extra: string[] = []) {
    const direct = await verify({ openStore }, extra);
    expect({ ...direct, stderr: direct.stderr.replace(REREAD, '') }).toEqual(await verify({}, extra));
    return direct;
  }

  const leafPosition = async (i: number) =>
    (await sql.query(`SELECT position FROM silta_events WHERE stream_id LIKE 'audit-%' ORDER BY position OFFSET $1 LIMIT 1`, [i])).rows[0].position as string;

  /** 8 leaves, payloads stored as AuditLog.append stores them (canonical) unless `legacy`. */
  async function buildLog(shape: (data: Record<string, unknown>) => unknown): Promise<void> {
    const log = new TestAuditLog(signerKey, store);
    for (let i = 0; i < 8; i++) {
      await log.record(`s${i % 3}`, 'DisclosureDecided', shape(disclosureDecided(`s${i % 3}`, i)));
      if (i === 2) await store.appendToStream('consent-1', [{ id: `noise-${i}`, type: 'ConsentGranted', data: { n: i } }], 'any');
      if (i === 3 || i === 6) await log.checkpoint();
    }
  }
  const canonical = (data: Record<string, unknown>) => JSON.parse(canonicalJson(data)) as unknown;

  beforeEach(async () => {
    db = await createTestDatabase('silta_audit_direct');
    store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 2 });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterEach(async () => {
    await sql.end();
    await store.close();
    await db.drop();
  });

  it('passes a clean log, with canonical payloads and with payloads stored before they were canonical', async () => {
    await buildLog(canonical);
    const { rows } = await sql.query(`SELECT data FROM silta_events WHERE stream_id LIKE 'audit-%'`);
    expect(rows.every((row: { data: string }) => canonicalJson(JSON.parse(row.data)) === row.data)).toBe(true);
    const result = await verifyBothWays();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: 8 leaves match their recorded hashes; 2 checkpoints/);
    expect(result.stdout).toContain('1 newer leaves are not yet under a checkpoint');
    expect(result.stderr).not.toMatch(REREAD);

    // Stored otherwise than canonical (indented; integer-like member names, which JSON.stringify
    // writes in numeric order): hashed as stored, the root at 7 does not match, and the second
    // reading, which parses such payloads, verifies the log.
    await sql.query(`UPDATE silta_events SET data = $1 WHERE position = $2`, [JSON.stringify(disclosureDecided('s1', 4), null, 1), await leafPosition(4)]);
    const indented = await verifyBothWays();
    expect(indented.code).toBe(0);
    expect(indented.stderr).toMatch(/^the root at size 7 does not match over payloads hashed as stored/);
  });

  it('verifies a v2 payload that JSON.stringify cannot write canonically, reading the log a second time', async () => {
    await buildLog((data) => ({ ...data, 10: 'ten', 9: 'nine' }));
    const { rows } = await sql.query(`SELECT data FROM silta_events WHERE stream_id LIKE 'audit-%' LIMIT 1`);
    expect(rows[0].data).toMatch(/^\{"9":"nine","10":"ten",/);
    const result = await verifyBothWays();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(REREAD);
  });

  it('names the same leaf for a changed payload, and the same checkpoint for a rehashed one', async () => {
    await buildLog(canonical);
    const position = await leafPosition(5);
    await sql.query(`UPDATE silta_events SET data = replace(data, '"partial"', '"permit"') WHERE position = $1`, [position]);
    const changed = await verifyBothWays();
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/FAIL leaf 5 \(stream audit-s2, revision 1\): payload does not match its recorded hash/);

    const { rows } = await sql.query(`SELECT data FROM silta_events WHERE position = $1`, [position]);
    const hash = Buffer.from(eventLeafHash({ type: 'DisclosureDecided', data: JSON.parse(rows[0].data) })).toString('hex');
    await sql.query(`UPDATE silta_events SET metadata = $2 WHERE position = $1`, [position, JSON.stringify({ leafHash: hash })]);
    const rehashed = await verifyBothWays();
    expect(rehashed.code).toBe(1);
    expect(rehashed.stderr).toContain('FAIL root mismatch at size 7');
  });

  it('refuses a reordered payload rehashed over its own text, in the unsigned tail', async () => {
    await buildLog(canonical);
    const position = await leafPosition(7);
    const reordered = JSON.stringify({ zz: 1, ...disclosureDecided('s1', 7) });
    const { createHash } = await import('node:crypto');
    const overText = createHash('sha256').update(`\u0000{"data":${reordered},"type":"DisclosureDecided"}`).digest('hex');
    await sql.query(`UPDATE silta_events SET data = $2, metadata = $3 WHERE position = $1`, [position, reordered, JSON.stringify({ leafHash: overText })]);
    const result = await verifyBothWays();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL leaf 7 .*payload does not match its recorded hash/);
  });

  /**
   * The direct read hashes leaves in worker threads, batches in flight on several at once
   * (parallel-leaves.ts): a long log of v1 and v2 leaves over many small batches.
   */
  describe('in worker threads', () => {
    const workers = ['--workers', '2', '--page-size', '4'];

    async function buildLongLog(): Promise<void> {
      const log = new TestAuditLog(signerKey, store);
      for (let i = 0; i < 40; i++) {
        const data = canonical(disclosureDecided(`s${i % 7}`, i));
        if (i % 3 === 0) await log.recordV1(`s${i % 7}`, 'DisclosureDecided', data);
        else await log.record(`s${i % 7}`, 'DisclosureDecided', data);
        if (i % 9 === 4) await log.noise(i);
        if (i % 10 === 9) await log.checkpoint();
      }
    }

    it('folds their batches in log order', async () => {
      await buildLongLog();
      const result = await verifyBothWays(workers);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ok: 40 leaves match their recorded hashes; 4 checkpoints/);
      expect(result.stderr).not.toMatch(REREAD);
      expect((await verify({ openStore }, ['--workers', '1', '--page-size', '1'])).code).toBe(0);
    });

    it('names a changed leaf in the middle of a batch as the port does', async () => {
      await buildLongLog();
      // Leaf 21 is v1: its worker compares it with its recorded hash; with 4 rows a batch, it is
      // neither the first nor the last of its batch.
      await sql.query(`UPDATE silta_events SET data = replace(data, '"consent"', '"necessity"') WHERE position = $1`, [await leafPosition(21)]);
      const changed = await verifyBothWays(workers);
      expect(changed.code).toBe(1);
      expect(changed.stderr).toMatch(/^FAIL leaf 21 \(stream audit-s0, revision 3\): payload does not match its recorded hash \(recorded [0-9a-f]{64}, recomputed [0-9a-f]{64}\)\n$/);

      await sql.query(`UPDATE silta_events SET metadata = '{}' WHERE position = $1`, [await leafPosition(15)]);
      const unrecorded = await verifyBothWays(workers);
      expect(unrecorded.code).toBe(1);
      expect(unrecorded.stderr).toMatch(/^FAIL leaf 15 \(stream audit-s1, revision 2\): has no recorded leafHash/);
    });
  });

  it('catches deleted, swapped and truncated leaves alike', async () => {
    await buildLog(canonical);
    await sql.query(`DELETE FROM silta_events WHERE position = $1`, [await leafPosition(1)]);
    const deleted = await verifyBothWays();
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('FAIL root mismatch at size 4');

    await sql.query(`DELETE FROM silta_events WHERE stream_id LIKE 'audit-%' AND position >= $1`, [await leafPosition(4)]);
    const truncated = await verifyBothWays();
    expect(truncated.code).toBe(1);
  });
});
