import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { EventStore, ReadAllOptions } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';
import type { AuditBundle } from '@silta/transparency';
import { run, type CliDeps } from './cli';
import { TEST_ORIGIN, TestAuditLog, disclosureDecided } from './testing';

const signerKey = generateSignerKey(TEST_ORIGIN);
const key = verifierKeyOf(signerKey);
const otherSignerKey = generateSignerKey(TEST_ORIGIN);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe('silta-audit against PostgreSQL', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let sql: Client;
  let log: TestAuditLog;
  let dir: string;

  /** Runs the CLI as a function against this test's database. */
  async function cli(args: string[], deps: CliDeps = {}): Promise<Ran> {
    let stdout = '';
    let stderr = '';
    const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} }, deps);
    return { code, stdout, stderr };
  }
  const verify = (...extra: string[]) => cli(['verify', '--database-url', db.url, '--key', key, ...extra]);

  /** Leaf i's row: stream and revision, in log order. */
  async function leafRow(i: number): Promise<{ position: string; stream_id: string; revision: string }> {
    const { rows } = await sql.query(`SELECT position, stream_id, revision FROM silta_events WHERE stream_id LIKE 'audit-%' ORDER BY position`);
    return rows[i];
  }

  /**
   * 10 leaves over three students, with other streams' events in between and checkpoints at
   * sizes 4, 8 and 10 (stream checkpoints-audit revisions 0, 1, 2).
   */
  async function buildLog(): Promise<void> {
    await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 0));
    await log.noise(1);
    await log.record('s2', 'DisclosureDecided', disclosureDecided('s2', 1));
    await log.record('s1', 'DisclosureExplained', { explanationId: 'e-1', ...disclosureDecided('s1', 2) });
    await log.record('s3', 'DisclosureDecided', disclosureDecided('s3', 3, 'identification'));
    await log.checkpoint();
    await log.record('s1', 'EmergencyAccessReviewed', {
      disclosureId: 'd-s1-0',
      reviewer: { sub: 'a-1', org: 'welfare-area:demo' },
      outcome: 'justified',
      reviewedAt: '2025-01-05T09:00:00.000Z',
    });
    await log.record('s2', 'DisclosureDecided', disclosureDecided('s2', 5));
    await log.noise(2);
    await log.record('s3', 'DisclosureDecided', disclosureDecided('s3', 6));
    await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 7));
    await log.checkpoint();
    await log.record('s2', 'DisclosureDecided', disclosureDecided('s2', 8));
    await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 9));
    await log.checkpoint();
  }

  beforeEach(async () => {
    db = await createTestDatabase('silta_audit_cli');
    store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 2 });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    log = new TestAuditLog(signerKey, store);
    dir = mkdtempSync(join(tmpdir(), 'silta-audit-'));
    await buildLog();
  });

  afterEach(async () => {
    await store.close();
    await sql.end();
    await db.drop();
  });

  describe('verify', () => {
    it('passes a clean log and summarises what it checked', async () => {
      const result = await verify();
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ok: 10 leaves match their recorded hashes; 3 checkpoints signed by silta\.test\/welfare-area\/audit .* at size 10, root /);
    });

    it('names the leaf whose payload was changed', async () => {
      const row = await leafRow(6);
      await sql.query(`UPDATE silta_events SET data = replace(data, '"partial"', '"permit"') WHERE position = $1`, [row.position]);
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`FAIL leaf 6 (stream ${row.stream_id}, revision ${row.revision}): payload does not match its recorded hash`);
    });

    it('catches a changed payload whose recorded hash was rewritten too, at the next checkpoint', async () => {
      const row = await leafRow(6);
      const { rows } = await sql.query(`SELECT type, data FROM silta_events WHERE position = $1`, [row.position]);
      const data = JSON.parse(rows[0].data);
      data.decision.outcome = 'permit';
      const { eventLeafHash } = await import('@silta/transparency');
      const hash = Buffer.from(eventLeafHash({ type: rows[0].type, data })).toString('hex');
      await sql.query(`UPDATE silta_events SET data = $2, metadata = $3 WHERE position = $1`, [row.position, JSON.stringify(data), JSON.stringify({ leafHash: hash })]);
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL root mismatch at size 8: leaves were changed, deleted or reordered before 8');
      expect(result.stderr).toContain('the log still matches the checkpoint at size 4, so the divergence is among leaves 4..7');
    });

    it('catches a deleted event', async () => {
      await sql.query(`DELETE FROM silta_events WHERE position = $1`, [(await leafRow(5)).position]);
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL root mismatch at size 8: leaves were changed, deleted or reordered before 8');
      expect(result.stderr).toContain('checkpoint 2 (stream checkpoints-audit, revision 1)');
    });

    it('catches two events swapped with their recorded hashes', async () => {
      const [a, b] = [await leafRow(1), await leafRow(2)];
      await sql.query(
        `UPDATE silta_events e SET type = o.type, data = o.data, metadata = o.metadata
           FROM silta_events o WHERE (e.position, o.position) IN (($1::bigint, $2::bigint), ($2::bigint, $1::bigint))`,
        [a.position, b.position],
      );
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL root mismatch at size 4: leaves were changed, deleted or reordered before 4');
      expect(result.stderr).toContain('the divergence is among leaves 0..3');
    });

    it('catches two payloads swapped under their rows, at the first of them', async () => {
      const [a, b] = [await leafRow(1), await leafRow(2)];
      await sql.query(
        `UPDATE silta_events e SET type = o.type, data = o.data
           FROM silta_events o WHERE (e.position, o.position) IN (($1::bigint, $2::bigint), ($2::bigint, $1::bigint))`,
        [a.position, b.position],
      );
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`FAIL leaf 1 (stream ${a.stream_id}, revision ${a.revision}): payload does not match its recorded hash`);
    });

    it('catches a truncated tail', async () => {
      await sql.query(`DELETE FROM silta_events WHERE position >= $1 AND stream_id LIKE 'audit-%'`, [(await leafRow(8)).position]);
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL log truncated: checkpoint at size 10 but log has 8 leaves (checkpoint 3 (stream checkpoints-audit, revision 2))');
    });

    it('catches a tail truncated together with its checkpoints, given the checkpoint the other party kept', async () => {
      const kept = join(dir, 'kept.note');
      writeFileSync(kept, log.notes[2]!);
      await sql.query(`DELETE FROM silta_events WHERE position >= $1 AND stream_id LIKE 'audit-%'`, [(await leafRow(8)).position]);
      await sql.query(`DELETE FROM silta_events WHERE stream_id = 'checkpoints-audit' AND revision = 2`);
      expect((await verify()).code).toBe(0);
      const result = await verify('--checkpoint', kept);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`FAIL log truncated: checkpoint at size 10 but log has 8 leaves (held checkpoint ${kept})`);
    });

    it('rejects a checkpoint swapped for one signed by another key', async () => {
      const forged = await new TestAuditLog(otherSignerKey).checkpoint({ store: false });
      await sql.query(
        `UPDATE silta_events SET data = $1 WHERE stream_id = 'checkpoints-audit' AND revision = 1`,
        [JSON.stringify({ origin: log.origin, size: 0, rootHash: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', note: forged, createdAt: new Date().toISOString() })],
      );
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^FAIL checkpoint 2 \(stream checkpoints-audit, revision 1\): checkpoint signature by unknown key silta\.test\/welfare-area\/audit\+[0-9a-f]{8}\n$/);
    });

    it('rejects a checkpoint whose recorded root disagrees with its signed note', async () => {
      await sql.query(
        `UPDATE silta_events SET data = jsonb_set(data::jsonb, '{size}', '5')::text WHERE stream_id = 'checkpoints-audit' AND revision = 0`,
      );
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL checkpoint 1 (stream checkpoints-audit, revision 0): its recorded origin, size or rootHash');
    });

    it('rejects checkpoints from two forked logs: the store holds one fork, the other party kept the other', async () => {
      // A second store whose log shares the first 4 leaves with this one, then diverges.
      const forkDb = await createTestDatabase('silta_audit_fork');
      const forkStore = await SqlEventStore.connect({ type: 'postgres', url: forkDb.url, poolSize: 2 });
      try {
        const fork = new TestAuditLog(signerKey, forkStore);
        for (let i = 0; i < 4; i++) await fork.record('s9', 'DisclosureDecided', disclosureDecided('s9', i));
        const ours = new TestAuditLog(signerKey);
        for (let i = 0; i < 4; i++) await ours.record('s9', 'DisclosureDecided', disclosureDecided('s9', i));
        for (let i = 4; i < 7; i++) await ours.record('s9', 'DisclosureDecided', disclosureDecided('s9', i, 'necessity'));
        const keptNote = join(dir, 'kept.note');
        writeFileSync(keptNote, await ours.checkpoint({ store: false }));
        await fork.checkpoint();
        for (let i = 4; i < 9; i++) await fork.record('s9', 'DisclosureDecided', disclosureDecided('s9', i, 'emergency'));
        await fork.checkpoint();

        const result = await cli(['verify', '--database-url', forkDb.url, '--key', key, '--checkpoint', keptNote]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`FAIL root mismatch at size 7: leaves were changed, deleted or reordered before 7 (held checkpoint ${keptNote}; the log still matches the checkpoint at size 4, so the divergence is among leaves 4..6)`);

        // And offline: no proof can make the kept checkpoint a prefix of the fork's newer one.
        const newNote = join(dir, 'new.note');
        writeFileSync(newNote, fork.notes[1]!);
        const proof = join(dir, 'proof.json');
        writeFileSync(proof, JSON.stringify(fork.consistencyProof(7, 9)));
        const offline = await cli(['verify-consistency', '--key', key, '--old', keptNote, '--new', newNote, '--proof', proof]);
        expect(offline.code).toBe(1);
        expect(offline.stderr).toContain(`FAIL held checkpoint ${keptNote} (size 7) is not a prefix of held checkpoint ${newNote} (size 9): consistency proof between 7 and 9 does not verify`);

        // While the fork's own checkpoints are consistent with each other.
        const oldNote = join(dir, 'old.note');
        writeFileSync(oldNote, fork.notes[0]!);
        writeFileSync(proof, JSON.stringify({ proof: fork.consistencyProof(4, 9) }));
        const honest = await cli(['verify-consistency', '--key', key, '--old', oldNote, '--new', newNote, '--proof', proof]);
        expect(honest).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: the checkpoint at size 4 is a prefix of the checkpoint at size 9') });
      } finally {
        await forkStore.close();
        await forkDb.drop();
      }
    });

    it('rejects checkpoints of two forks in the same store: the older cannot be a prefix of the log the newer signs', async () => {
      const forked = new TestAuditLog(signerKey, store);
      // The operator rewrites leaf 9 (hash included) and signs the rewritten log at size 10 again.
      const row = await leafRow(9);
      const { eventLeafHash } = await import('@silta/transparency');
      const data = disclosureDecided('s1', 99);
      const hash = Buffer.from(eventLeafHash({ type: 'DisclosureDecided', data })).toString('hex');
      await sql.query(`UPDATE silta_events SET data = $2, metadata = $3 WHERE position = $1`, [row.position, JSON.stringify(data), JSON.stringify({ leafHash: hash })]);
      forked.leafHashes.push(...log.leafHashes.slice(0, 9), eventLeafHash({ type: 'DisclosureDecided', data }));
      await forked.checkpoint();
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL root mismatch at size 10: leaves were changed, deleted or reordered before 10 (checkpoint 3');
      expect(result.stderr).toContain('divergence is among leaves 8..9');
    });

    it('reads the log in pages of the given size, never all at once', async () => {
      const calls: ReadAllOptions[] = [];
      const counting = (inner: EventStore): EventStore =>
        Object.assign(Object.create(inner) as EventStore, {
          readAll: (options?: ReadAllOptions) => (calls.push(options ?? {}), inner.readAll(options)),
        });
      const { rows } = await sql.query(`SELECT count(*)::int AS n FROM silta_events`);
      const total: number = rows[0].n; // 10 leaves, 2 other events, 3 checkpoints
      const result = await cli(['verify', '--database-url', db.url, '--key', key, '--page-size', '4'], {
        openStore: async (source) => counting(await SqlEventStore.connect({ type: 'postgres', url: (source as { url: string }).url })),
      });
      expect(result.code).toBe(0);
      expect(calls.every((options) => options.maxCount === 4)).toBe(true);
      expect(calls.length).toBe(Math.floor(total / 4) + 1);
    });

    it('shows progress on stderr as it goes', async () => {
      const result = await verify('--progress-every', '4');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        "verified 4 leaves (40% of the latest checkpoint's 10)\nverified 8 leaves (80% of the latest checkpoint's 10)\n",
      );
    });

    it('fails a log with no checkpoint, and refuses a malformed key as a usage error', async () => {
      await sql.query(`DELETE FROM silta_events WHERE stream_id = 'checkpoints-audit'`);
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL no signed checkpoint in the store: the 10 leaves match their recorded hashes');
      const bad = await cli(['verify', '--database-url', db.url, '--key', 'silta-test+00000000+AQ==']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--key: malformed key');
    });

    it('runs as `npm run audit -- verify`', async () => {
      const result = await promisify(execFile)('npm', ['run', '--silent', 'audit', '--', 'verify', '--database-url', db.url, '--key', key], {
        cwd: join(__dirname, '..', '..', '..'),
      });
      expect(result.stdout).toMatch(/^ok: 10 leaves match their recorded hashes/);
      const tampered = await sql.query(`UPDATE silta_events SET data = replace(data, 'support', 'sport') WHERE position = $1`, [(await leafRow(0)).position]);
      expect(tampered.rowCount).toBe(1);
      const failed = await promisify(execFile)('npm', ['run', '--silent', 'audit', '--', 'verify', '--database-url', db.url, '--key', key], {
        cwd: join(__dirname, '..', '..', '..'),
      }).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('FAIL leaf 0 (stream audit-s1, revision 0): payload does not match') });
    });
  });

  describe('export and verify-bundle', () => {
    const noStore: CliDeps = { openStore: () => Promise.reject(new Error('verify-bundle must not open a store')) };

    async function exported(...selection: string[]): Promise<{ file: string; bundle: AuditBundle; stderr: string }> {
      const file = join(dir, 'bundle.json');
      const result = await cli(['export', ...selection, '--out', file, '--database-url', db.url, '--key', key]);
      expect(result.code).toBe(0);
      return { file, bundle: JSON.parse(readFileSync(file, 'utf8')), stderr: result.stderr };
    }

    it("exports a student's events with proofs that verify offline", async () => {
      await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 10)); // after the latest checkpoint
      const { file, bundle, stderr } = await exported('--student', 's1');
      expect(stderr).toBe('note: 1 matching event came after the latest checkpoint (size 10) and is not in the bundle\n');
      expect(bundle.events.map((e) => e.leafIndex)).toEqual([0, 2, 4, 7, 9]);
      expect(bundle).toMatchObject({ origin: log.origin, verifierKey: key });
      const result = await cli(['verify-bundle', file, '--key', key], noStore);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('ok   event 0 (leaf 0, stream audit-s1, DisclosureDecided)');
      expect(result.stdout).toContain('ok: all 5 events are in the log at size 10');
    });

    it('exports one disclosure: its decision and its review', async () => {
      const { file, bundle } = await exported('--disclosure', 'd-s1-0');
      expect(bundle.events.map((e) => [e.leafIndex, e.type])).toEqual([
        [0, 'DisclosureDecided'],
        [4, 'EmergencyAccessReviewed'],
      ]);
      expect((await cli(['verify-bundle', file, '--key', key], noStore)).code).toBe(0);
    });

    it('names the event whose proof is for a different leaf', async () => {
      const { file, bundle } = await exported('--student', 's1');
      const events = bundle.events.map((e, i) => (i === 1 ? { ...e, proof: bundle.events[2]!.proof } : e));
      writeFileSync(file, JSON.stringify({ ...bundle, events }));
      const result = await cli(['verify-bundle', file, '--key', key], noStore);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('ok   event 0 (leaf 0');
      expect(result.stdout).toContain('FAIL event 1 (leaf 2, stream audit-s1, DisclosureExplained): not in the log at checkpoint size 10: inclusion proof for leaf 2 in tree of size 10 does not verify');
      expect(result.stderr).toContain('FAIL 1 of 5 events do not verify; first: event 1 (leaf 2');
    });

    it('names an event moved to another leaf index, and one whose payload was edited', async () => {
      const { file, bundle } = await exported('--student', 's1');
      const events = bundle.events.map((e, i) =>
        i === 0 ? { ...e, leafIndex: 1 } : i === 3 ? { ...e, data: { ...(e.data as object), decidedAt: '2024-01-01T00:00:00.000Z' } } : e,
      );
      writeFileSync(file, JSON.stringify({ ...bundle, events }));
      const result = await cli(['verify-bundle', file, '--key', key], noStore);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('FAIL event 0 (leaf 1, stream audit-s1, DisclosureDecided): not in the log at checkpoint size 10');
      expect(result.stdout).toContain('FAIL event 3 (leaf 7, stream audit-s1, DisclosureDecided): payload does not match its recorded hash');
    });

    it('rejects a bundle whose checkpoint another key signed, whatever verifier key the bundle names', async () => {
      const { file, bundle } = await exported('--student', 's1');
      const forged = new TestAuditLog(otherSignerKey);
      forged.leafHashes.push(...log.leafHashes);
      const note = await forged.checkpoint({ store: false });
      writeFileSync(file, JSON.stringify({ ...bundle, checkpoint: note, verifierKey: verifierKeyOf(otherSignerKey) }));
      const result = await cli(['verify-bundle', file, '--key', key], noStore);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^FAIL bundle checkpoint: checkpoint signature by unknown key silta\.test\/welfare-area\/audit\+[0-9a-f]{8}\n$/);
    });

    it('refuses to export from a tampered log', async () => {
      await sql.query(`DELETE FROM silta_events WHERE position = $1`, [(await leafRow(3)).position]);
      const result = await cli(['export', '--student', 's1', '--out', join(dir, 'b.json'), '--database-url', db.url, '--key', key]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('FAIL log truncated: checkpoint at size 10 but log has 9 leaves');
    });
  });

  describe('replay', () => {
    it("lists the student's history in order and flags a decision that replays differently", async () => {
      // A stand-in for the disclosure domain's decide(upcast(event).input): permits identification only.
      const replayDecision: CliDeps['replayDecision'] = (stored) => {
        const { input, decision } = stored as { input: { request: { basis: string } }; decision: unknown };
        return { recorded: decision, replayed: input.request.basis === 'identification' ? { outcome: 'permit' } : decision };
      };
      const table = await cli(['replay', '--student', 's3', '--database-url', db.url], { replayDecision });
      expect(table.code).toBe(1);
      expect(table.stdout.split('\n')[0]).toMatch(/^time\s+type\s+requester\s+basis\s+outcome\s+categories\s+replay$/);
      expect(table.stdout).toMatch(/DisclosureDecided\s+curator welfare-area:demo\s+identification\s+partial\s+absences:permit\(consent_given\) grades:deny\(no_consent\)\s+DIFFERS/);
      expect(table.stderr).toContain('FAIL 1 recorded decisions differ when replayed');

      const csv = await cli(['replay', '--student', 's1', '--format', 'csv', '--database-url', db.url], { replayDecision });
      expect(csv.code).toBe(0);
      const lines = csv.stdout.trimEnd().split('\r\n');
      expect(lines[0]).toBe('time,type,requester,basis,outcome,categories,replay');
      expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([
        'DisclosureDecided',
        'DisclosureExplained',
        'EmergencyAccessReviewed',
        'DisclosureDecided',
        'DisclosureDecided',
      ]);

      const json = await cli(['replay', '--student', 's1', '--format', 'json', '--database-url', db.url]);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)[2]).toMatchObject({ type: 'EmergencyAccessReviewed', requester: 'reviewer welfare-area:demo', outcome: 'justified', replay: 'not re-run' });
    });

    it("replays one professional's or one period's events across students, receipts named by their receiver", async () => {
      await log.record('s2', 'DisclosureReceived', {
        disclosureId: 'd-s2-8',
        studentId: 's2',
        receiver: { sub: 'p-2', role: 'curator', org: 'welfare-area:demo' },
        receivedCategories: ['absences'],
        dataHash: 'ab'.repeat(32),
        receivedAt: '2025-01-09T11:00:00.000Z',
      });
      await log.record('s3', 'DisclosureDecided', { ...disclosureDecided('s3', 10), requester: { sub: 'p-2', role: 'psychologist', org: 'welfare-area:demo' } });

      const mine = await cli(['replay', '--professional', 'p-2', '--format', 'json', '--database-url', db.url]);
      expect(mine.code).toBe(0);
      expect(JSON.parse(mine.stdout)).toEqual([
        expect.objectContaining({ type: 'DisclosureReceived', requester: 'receiver curator welfare-area:demo', outcome: 'received', categories: 'absences:received', time: '2025-01-09T11:00:00.000Z' }),
        expect.objectContaining({ type: 'DisclosureDecided', requester: 'psychologist welfare-area:demo', time: '2025-01-02T10:00:00.000Z' }),
      ]);

      const period = await cli(['replay', '--from', '2025-01-09', '--to', '2025-01-10', '--format', 'csv', '--page-size', '3', '--progress-every', '5', '--database-url', db.url]);
      expect(period.code).toBe(0);
      // 12 audit events read over the whole log: progress after the 5th and the 10th
      expect(period.stderr.match(/read \d+ audit events, \d+ selected/g)).toEqual(['read 5 audit events, 0 selected', 'read 10 audit events, 1 selected']);
      expect(period.stdout.trimEnd().split('\r\n').slice(1).map((line) => line.split(',').slice(0, 2).join(' '))).toEqual([
        '2025-01-09T10:00:00.000Z DisclosureDecided',
        '2025-01-09T11:00:00.000Z DisclosureReceived',
      ]);

      const both = await cli(['replay', '--professional', 'p-1', '--from', '2025-01-08', '--format', 'json', '--database-url', db.url]);
      expect(JSON.parse(both.stdout).map((row: { time: string }) => row.time)).toEqual(['2025-01-08T10:00:00.000Z', '2025-01-09T10:00:00.000Z']);

      const none = await cli(['replay', '--format', 'json', '--database-url', db.url]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('replay needs at least one of --student');
      const badDate = await cli(['replay', '--from', 'yesterday', '--database-url', db.url]);
      expect(badDate.code).toBe(2);
      expect(badDate.stderr).toContain('--from must be an ISO 8601 date, got "yesterday"');
    });
  });
});
