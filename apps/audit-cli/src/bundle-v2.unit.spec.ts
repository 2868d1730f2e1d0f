import { SqlEventStore } from '@silta/event-store/sql';
import { cosignCheckpoint, cosignerKeyOf, generateSignerKey, verifierKeyOf, type AuditBundle, type BundleEvent } from '@silta/transparency';
import { exportBundle } from './export-bundle/export-bundle';
import { TEST_ORIGIN, TestAuditLog, disclosureDecided } from './testing';
import { describeBundleEvent, verifyBundle } from './verification/verify-bundle';

const logKey = generateSignerKey(TEST_ORIGIN);
const key = verifierKeyOf(logKey);
const witness = generateSignerKey('witness.example/w1');

/** The verdicts verify-bundle prints: each event's failure, and the completeness claim's. */
function verdicts(bundle: AuditBundle, witnessKeys: string[] = []) {
  const report = verifyBundle(bundle, key, witnessKeys);
  const completeness = report.completeness.claimed ? (report.completeness.failure?.message ?? `complete (${report.completeness.count})`) : 'not claimed';
  return { events: report.results.map((result) => result.failure?.message ?? 'ok'), completeness };
}

describe('verify-bundle on v2 bundles (issue 14): every field shown is under the hash, and a whole student is proven complete', () => {
  let store: SqlEventStore;
  let log: TestAuditLog;
  let bundle: AuditBundle;
  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    log = new TestAuditLog(logKey, store);
    // Student s1's five events among other students' events, then a checkpoint with the map line.
    for (let n = 0; n < 12; n++) await log.record(n % 3 === 0 || n === 11 ? 's1' : `s${2 + (n % 2)}`, 'DisclosureDecided', disclosureDecided('s1', n));
    await log.checkpoint();
    bundle = (await exportBundle(store, { selection: { studentId: 's1' }, key, pageSize: 4 })).bundle;
  });
  afterEach(() => store.close());

  const withEvent = (i: number, change: Partial<BundleEvent>): AuditBundle => ({ ...bundle, events: bundle.events.map((event, j) => (j === i ? { ...event, ...change } : event)) });
  const without = (i: number): AuditBundle => ({ ...bundle, events: bundle.events.filter((_, j) => j !== i) });

  it('proves a whole student complete up to the checkpoint', () => {
    expect(bundle.events).toHaveLength(5);
    expect(verdicts(bundle)).toEqual({ events: ['ok', 'ok', 'ok', 'ok', 'ok'], completeness: 'complete (5)' });
  });

  it('rejects a changed stream, event id, revision or previous leaf: they are under the leaf hash', () => {
    for (const change of [{ streamId: 'audit-s2' }, { id: 'another-id' }, { revision: 7 }, { previous: 1 }]) {
      expect(verdicts(withEvent(2, change)).events[2]).toMatch(/payload does not match its recorded hash/);
    }
  });

  it('rejects as incomplete a bundle with any one event removed: the first, a middle one or the newest', () => {
    expect(verdicts(without(0)).completeness).toMatch(/^incomplete: the log holds 5 events of audit-s1 up to the checkpoint, the bundle 4; .*the first event in the bundle \(leaf 3\) follows leaf 0, which the bundle lacks/);
    expect(verdicts(without(2)).completeness).toMatch(/leaf 9 follows leaf 6, not leaf 3: the events between are missing/);
    expect(verdicts(without(4)).completeness).toMatch(/the stream's newest event up to the checkpoint is leaf 11, the bundle's newest is leaf 9/);
  });

  it("rejects a map proof for another student, or from another checkpoint", async () => {
    const other = (await exportBundle(store, { selection: { studentId: 's2' }, key, pageSize: 4 })).bundle;
    expect(verdicts({ ...bundle, completeness: { ...other.completeness!, stream: 'audit-s1' } }).completeness).toMatch(/^incomplete: map proof for audit-s1 does not verify/);

    // The checkpoint before s1's newest event, with that checkpoint's map proof, against today's checkpoint.
    const before = new TestAuditLog(logKey, undefined);
    for (const [index, stream] of log.streams.slice(0, 11).entries()) before.streams[index] = stream;
    const older = before.mapAt(11);
    const olderProof = { stream: 'audit-s1', entry: older.get('audit-s1')!, proof: older.prove('audit-s1') };
    expect(verdicts({ ...without(4), completeness: olderProof }).completeness).toMatch(/^incomplete: map proof for audit-s1 does not verify: .* not the checkpoint's map root/);
  });

  it('checks any number of witnesses\' tlog-cosignatures, and rejects one over another checkpoint or by another key', async () => {
    const second = generateSignerKey('witness.example/w2');
    const cosigned = { ...bundle, checkpoint: cosignCheckpoint(cosignCheckpoint(bundle.checkpoint, witness), second) };
    expect(verifyBundle(cosigned, key, [cosignerKeyOf(witness), cosignerKeyOf(second)]).cosignatures.map((c) => c.name)).toEqual(['witness.example/w1', 'witness.example/w2']);

    await log.record('s1', 'DisclosureDecided', disclosureDecided('s1', 99));
    const otherNote = cosignCheckpoint(await log.checkpoint(), witness);
    const moved = `${bundle.checkpoint}${otherNote.trimEnd().split('\n').pop()!}\n`;
    expect(() => verifyBundle({ ...bundle, checkpoint: moved }, key, [cosignerKeyOf(witness)])).toThrow(/bundle checkpoint signature by cosigner witness\.example\/w1\+[0-9a-f]{8} does not verify/);
    const byAnother = cosignCheckpoint(bundle.checkpoint, generateSignerKey('witness.example/w1'));
    expect(() => verifyBundle({ ...bundle, checkpoint: byAnother }, key, [cosignerKeyOf(witness)])).toThrow(/has no signatures|unknown key/);
  });

  it('still verifies a log written with v1 leaves, and says their stream is not under the hash', async () => {
    const v1Store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    try {
      const v1 = new TestAuditLog(logKey, v1Store);
      for (let n = 0; n < 4; n++) await v1.recordV1(`s${n % 2}`, 'DisclosureDecided', disclosureDecided(`s${n % 2}`, n));
      await v1.checkpoint({ mapRoot: null });
      const old = (await exportBundle(v1Store, { selection: { studentId: 's0' }, key, pageSize: 10 })).bundle;
      expect(old.completeness).toBeUndefined();
      expect(verdicts(old)).toEqual({ events: ['ok', 'ok'], completeness: 'not claimed' });
      expect(describeBundleEvent(old.events[0]!, 0)).toMatch(/leaf v1: its stream, id and revision are not under the hash/);
    } finally {
      await v1Store.close();
    }
  });
});
