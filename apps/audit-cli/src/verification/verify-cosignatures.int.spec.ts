import { randomUUID } from 'node:crypto';
import { SqlEventStore } from '@silta/event-store/sql';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import { addSignature, cosignCheckpoint, cosignerKeyOf, generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { run } from '../cli';
import { TEST_ORIGIN, TestAuditLog, disclosureDecided } from '../testing';
import { COSIGNATURE_STREAM } from './verify-cosignatures';

// Each party's key is named after its own log's origin (C2SP); the witness is the other party's log.
const logKey = generateSignerKey(TEST_ORIGIN);
const WITNESS_ORIGIN = 'silta.test/municipality/audit';
const witnessKey = generateSignerKey(WITNESS_ORIGIN);

describe('silta-audit verify --witness-key, against PostgreSQL', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let log: TestAuditLog;
  beforeEach(async () => {
    db = await createTestDatabase('silta_audit_cosign');
    store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 2 });
    log = new TestAuditLog(logKey, store);
    for (let n = 0; n < 4; n++) await log.record(`s${n % 2}`, 'DisclosureDecided', disclosureDecided(`s${n % 2}`, n));
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  /** What the witness service keeps: the log's note with the witness's signature added. */
  const keepCosignature = (note: string, key = witnessKey) =>
    store.appendToStream(COSIGNATURE_STREAM, [{ id: randomUUID(), type: 'AuditCheckpointCosigned', data: { note: addSignature(note, key), witnessKey: verifierKeyOf(key) } }], 'any');

  async function verify(): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const args = ['verify', '--database-url', db.url, '--key', verifierKeyOf(logKey), '--witness-key', verifierKeyOf(witnessKey)];
    const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
    return { code, stdout, stderr };
  }

  it("reports the checkpoints the other party cosigned, with the latest size", async () => {
    await keepCosignature(await log.checkpoint());
    await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 4));
    await keepCosignature(await log.checkpoint());
    const result = await verify();
    expect(result.stderr).not.toContain('FAIL');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ok: 2 checkpoints are cosigned by ${WITNESS_ORIGIN}, the latest at size 5`);
  });

  it('fails when nothing is cosigned, when another key cosigned, and when the cosigned checkpoint is not one the log signed', async () => {
    await log.checkpoint();
    expect((await verify()).stderr).toContain(`FAIL no checkpoint of this log is cosigned by ${WITNESS_ORIGIN}`);

    await keepCosignature(log.notes[0]!, generateSignerKey(WITNESS_ORIGIN));
    let result = await verify();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL cosignature 1 \(stream cosignatures-audit, revision 0\), the witness's signature: .*silta\.test\/municipality\/audit/);

    await db.drop();
    db = await createTestDatabase('silta_audit_cosign');
    await store.close();
    store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 2 });
    log = new TestAuditLog(logKey, store);
    for (let n = 0; n < 4; n++) await log.record('s0', 'DisclosureDecided', disclosureDecided('s0', n));
    await log.checkpoint();
    // a note the log's key signed over a size-3 tree, but never stored as one of its checkpoints
    await keepCosignature(await log.checkpoint({ size: 3, store: false }));
    result = await verify();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL cosignature 1 \(stream cosignatures-audit, revision 0\): cosigns size 3 with root \S+, which is not a checkpoint this log signed/);
  });

  describe('with C2SP tlog-cosignature/v1 witnesses', () => {
    const second = generateSignerKey('witness.example/w2');
    /** What a witness service keeps now: the log's note with the witness's tlog-cosignature, and its cosigner key. */
    const keepTlogCosignature = (note: string, key: string) =>
      store.appendToStream(COSIGNATURE_STREAM, [{ id: randomUUID(), type: 'AuditCheckpointCosigned', data: { note: cosignCheckpoint(note, key), witnessKey: cosignerKeyOf(key) } }], 'any');
    async function verifyWith(witnessKeys: string[]) {
      let stdout = '';
      let stderr = '';
      const args = ['verify', '--database-url', db.url, '--key', verifierKeyOf(logKey), ...witnessKeys.flatMap((key) => ['--witness-key', key])];
      const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
      return { code, stdout, stderr };
    }

    it('checks each of any number of witnesses by its cosigner key', async () => {
      const note = await log.checkpoint();
      await keepTlogCosignature(note, witnessKey);
      await keepTlogCosignature(note, second);
      const result = await verifyWith([cosignerKeyOf(witnessKey), cosignerKeyOf(second)]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`ok: 1 checkpoints are cosigned by ${WITNESS_ORIGIN}, the latest at size 4`);
      expect(result.stdout).toContain('ok: 1 checkpoints are cosigned by witness.example/w2, the latest at size 4');
    });

    it('refuses a cosignature moved from another checkpoint, and one by another key under the witness\'s name', async () => {
      const first = await log.checkpoint();
      await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 9));
      const later = cosignCheckpoint(await log.checkpoint(), witnessKey);
      const moved = `${first}${later.trimEnd().split('\n').pop()!}\n`;
      await store.appendToStream(COSIGNATURE_STREAM, [{ id: randomUUID(), type: 'AuditCheckpointCosigned', data: { note: moved, witnessKey: cosignerKeyOf(witnessKey) } }], 'any');
      let result = await verifyWith([cosignerKeyOf(witnessKey)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/FAIL cosignature 1 \(stream cosignatures-audit, revision 0\), the witness's signature by cosigner .* does not verify/);

      await db.drop();
      db = await createTestDatabase('silta_audit_cosign');
      await store.close();
      store = await SqlEventStore.connect({ type: 'postgres', url: db.url, poolSize: 2 });
      log = new TestAuditLog(logKey, store);
      await log.record('s0', 'DisclosureDecided', disclosureDecided('s0', 0));
      await keepTlogCosignature(await log.checkpoint(), generateSignerKey(WITNESS_ORIGIN));
      result = await verifyWith([cosignerKeyOf(witnessKey)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/FAIL .*cosignature.* unknown key/);
    });
  });
});
