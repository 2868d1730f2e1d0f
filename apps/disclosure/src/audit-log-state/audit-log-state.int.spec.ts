import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AUDIT_CHECKPOINT_COSIGNED, COSIGNATURE_STREAM, WITNESS_ALARM, WITNESS_ALARM_STREAM } from '@silta/audit-trail';
import { ConsumerAlarmEntity } from '@silta/messaging';
import { CATCH_UP_MS, seedStudent, startDisclosure, type DisclosureIntFixture } from '../testing/disclosure-int-fixture';
import { requestAsCurator } from '../testing/decision-path';

// GET /v1/audit/log/state against real PostgreSQL: the latest checkpoint, its cosignatures and the
// open alarms in one answer, for the auditor of the municipality whose log it is (the default
// policy's `demo`) and no one else. The witness's writes are made here as the witness makes them
// (the peer's cosignature, an alarm), since this spec runs no peer.

describe("GET /v1/audit/log/state: the municipality's auditor sees the log's checkpoint, cosignatures and alarms", () => {
  let disclosure: DisclosureIntFixture;
  let auditor: string;
  const state = async (bearer: string) => disclosure.call('GET', '/v1/audit/log/state', bearer);

  beforeAll(async () => {
    disclosure = await startDisclosure('audit-log-state');
    auditor = await disclosure.token('auditor', 'auditor-demo', 'municipality:demo');
    const world = await seedStudent(disclosure);
    const decided = await requestAsCurator(disclosure, world, { requestId: randomUUID(), categories: ['identification'], basis: 'identification', purpose: 'first meeting' });
    expect(decided.status).toBe(200);
  }, CATCH_UP_MS + 60_000);

  afterAll(() => disclosure?.close());

  it('answers the log without a checkpoint before one is signed, then the signed one with its cosignature', async () => {
    const before = await state(auditor);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ logSize: expect.any(Number), cosignatures: [], lastCosigned: null });
    expect((before.body.logSize as number) > 0).toBe(true);

    const signed = await disclosure.call('POST', '/v1/audit/log/checkpoints', auditor);
    expect(signed.status).toBe(200);
    const checkpoint = signed.body as { origin: string; size: number; rootHash: string; note: string; createdAt: string };
    const witnessKey = 'silta.int/welfare-area+0a1b2c3d+AAAA';
    const cosigned = { origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash, note: checkpoint.note, witnessKey, cosignedAt: new Date().toISOString() };
    await disclosure.store.appendToStream(COSIGNATURE_STREAM, [{ id: randomUUID(), type: AUDIT_CHECKPOINT_COSIGNED, data: cosigned, metadata: {} }], 'any');

    const after = await state(auditor);
    expect(after.body).toMatchObject({
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      checkpoint: checkpoint.note,
      checkpointedAt: checkpoint.createdAt,
      cosignatures: [{ witness: 'silta.int/welfare-area', witnessKey, size: checkpoint.size, cosignedAt: cosigned.cosignedAt }],
      lastCosigned: { witness: 'silta.int/welfare-area', size: checkpoint.size },
      alarms: [],
    });
  });

  it("lists the witness's alarms and the view's open consumer alarms, and no resolved one", async () => {
    const raisedAt = new Date().toISOString();
    const alarm = { origin: 'silta.int/welfare-area', size: 7, rootHash: 'AAAA', note: 'forked note', reason: 'inconsistent with the checkpoint of size 5', raisedAt };
    await disclosure.store.appendToStream(WITNESS_ALARM_STREAM, [{ id: randomUUID(), type: WITNESS_ALARM, data: alarm, metadata: {} }], 'any');
    const alarms = disclosure.app.get(DataSource).getRepository(ConsumerAlarmEntity);
    const row = { consumer: 'disclosure-view', topic: 'silta.roster.v1', partition: 0, messageKey: null, eventType: 'AssignmentEnded', eventId: null, reason: 'invalid payload', raisedAt: new Date() };
    await alarms.insert({ ...row, offset: '41', resolvedAt: null });
    await alarms.insert({ ...row, offset: '42', resolvedAt: new Date() });

    const answer = await state(auditor);
    expect(answer.body.alarms).toEqual([
      { kind: 'witness', origin: alarm.origin, size: 7, reason: alarm.reason, raisedAt },
      { kind: 'consumer', consumer: 'disclosure-view', topic: 'silta.roster.v1', eventType: 'AssignmentEnded', reason: 'invalid payload', raisedAt: row.raisedAt.toISOString() },
    ]);
  });

  it("refuses another municipality's auditor, a welfare area's auditor and other roles, writing nothing", async () => {
    const before = (await disclosure.store.readAll()).length;
    const other = await state(await disclosure.token('auditor', 'auditor-other', 'municipality:other'));
    expect(other).toMatchObject({ status: 403, body: { code: 'other_organisation' } });
    expect(JSON.stringify(other.body)).not.toContain('rootHash');
    expect(await state(await disclosure.token('auditor', 'auditor-demo', 'welfare-area:demo'))).toMatchObject({ status: 403, body: { code: 'other_organisation' } });
    expect(await state(await disclosure.token('curator', 'curator-1', 'welfare-area:demo'))).toMatchObject({ status: 403, body: { code: 'forbidden_role' } });
    expect(await state(await disclosure.token('guardian', 'guardian-1'))).toMatchObject({ status: 403, body: { code: 'forbidden_role' } });
    expect((await disclosure.store.readAll()).length).toBe(before);
  });
});
