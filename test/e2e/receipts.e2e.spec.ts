import { createHash, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { KafkaMessage } from 'kafkajs';
import { AuditCheckpointSignedV1, MessageHeaders, Topics } from '@silta/contracts';
import { eventually, readTopic, testKafka, type TestDatabase } from '@silta/testing';
import { canonicalJson, cosignerKeyOf, formatCheckpoint, generateSignerKey, openCheckpoint, openCosignatures, signNote, verifierKeyOf } from '@silta/transparency';
import { Client, audit, startSilta, testSecrets, type Answer, type RunningApp, type RunningSilta } from './harness';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface Checkpoint {
  origin: string;
  size: number;
  rootHash: string;
  note: string;
}

/**
 * The two parties' logs on the real broker and PostgreSQL: the municipality's apps and the welfare
 * area's receipts service, each with its own database and signing key. The requesting professional
 * acknowledges a released disclosure on the welfare area's log; the receipt is published back and
 * recorded on the municipality's log under the same id; each party witnesses and cosigns the
 * other's checkpoints, and raises an alarm for a forged or forked one.
 */
describe('receipts on the welfare area\'s own log, and the two parties witnessing each other', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipality = `municipality:${id('m')}`;
  const welfareArea = id('w');
  const [school, student, curator] = ['school', 'student', 'curator'].map(id);
  const secrets = testSecrets({ disclosure: `silta.e2e/${run}/municipality` });
  const databases: Record<string, TestDatabase> = {};
  const apps: Record<string, RunningApp> = {};
  let as: Record<string, Client>;
  let silta: RunningSilta | undefined;

  beforeAll(async () => {
    silta = await startSilta('receipts', secrets, { CONSISTENCY_WAIT_MS: '10000' }, { receipts: true, municipality: id('m') });
    Object.assign(databases, silta.databases);
    Object.assign(apps, silta.apps);
    const s = secrets.JWT_SECRET;
    as = {
      admin: await Client.as(s, id('admin'), 'school_admin', municipality),
      welfareAdmin: await Client.as(s, id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`),
      curator: await Client.as(s, curator, 'curator', `welfare-area:${welfareArea}`),
      nurse: await Client.as(s, id('nurse'), 'nurse', `welfare-area:${welfareArea}`),
      auditor: await Client.as(s, id('auditor'), 'auditor', `welfare-area:${welfareArea}`),
      municipalityAuditor: await Client.as(s, id('m-auditor'), 'auditor', municipality),
    };

    ok(await as.admin!.post(roster('/v1/schools'), { schoolId: school, name: 'Kuittikoulu' }));
    ok(await as.admin!.put(roster(`/v1/schools/${school}/service`), { welfareAreaId: welfareArea }));
    ok(await as.admin!.post(roster('/v1/students'), { studentId: student, schoolId: school, name: 'Kuitti Oppilas', birthDate: '2011-04-03', group: '9A' }));
    ok(await as.welfareAdmin!.post(roster('/v1/assignments'), { assignmentId: id('a-curator'), professionalId: curator, role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
    await eventually(
      async () =>
        (await query('disclosure', 'SELECT 1 FROM dv_schools WHERE school_id = $1 AND served_by IS NOT NULL', [school])).length === 1 &&
        (await query('disclosure', 'SELECT 1 FROM dv_assignments WHERE assignment_id = $1', [id('a-curator')])).length === 1 &&
        (await query('disclosure', 'SELECT 1 FROM dv_students WHERE student_id = $1 AND school_id = $2', [student, school])).length === 1,
      60_000,
      () => `disclosure's view did not catch up:\n${apps.disclosure!.output().slice(-3000)}`,
    );
  }, 240_000);

  afterAll(() => silta?.stop(), 60_000);

  const roster = (path: string) => `${apps.roster!.url}${path}`;
  const disclosure = (path: string) => `${apps.disclosure!.url}${path}`;
  const receipts = (path: string) => `${apps.receipts!.url}${path}`;
  const receipt = (disclosureId: string) => receipts(`/v1/disclosures/${disclosureId}/receipt`);

  function ok(answer: Answer): Answer {
    if (![200, 201].includes(answer.status)) throw new Error(`expected 200/201, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  async function query<T = unknown>(party: 'disclosure' | 'receipts', sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: databases[party]!.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const ids = (answer: Answer) => (ok(answer).body.disclosures as { disclosureId: string }[]).map((d) => d.disclosureId);

  it("records the requester's receipt on the welfare area's log, once, and the municipality records the same receipt on its own", async () => {
    const released = ok(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['identification'], basis: 'identification', purpose: 'first meeting' }));
    expect(released.body.outcome).toBe('permit');
    const { disclosureId, data, dataHash } = released.body as { disclosureId: string; data: unknown; dataHash: string };
    // the receiver can recompute the hash of what arrived
    expect(dataHash).toBe(sha256Hex(canonicalJson(data)));
    const refused = ok(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['grades'], basis: 'consent', purpose: 'attendance follow-up' }));
    expect(refused.body.outcome).toBe('deny');

    // the welfare area learns of the release from the municipality's topic; until then a receipt is refused as unknown
    await eventually(async () => (await as.curator!.post(receipt(randomUUID()), { receivedCategories: ['identification'], dataHash })).status === 404 &&
      (await query('receipts', 'SELECT 1 FROM released_disclosures WHERE disclosure_id = $1', [disclosureId])).length === 1, 60_000,
      () => `receipts did not learn of the release:\n${apps.receipts!.output().slice(-3000)}`);
    // both parties list it as released and unacknowledged; the denial released nothing and is listed by neither
    expect(ids(await as.auditor!.get(receipts('/v1/receipts/missing')))).toEqual([disclosureId]);
    expect(ids(await as.auditor!.get(disclosure('/v1/audit/receipts/missing')))).toEqual([disclosureId]);
    expect((await as.curator!.get(receipts('/v1/receipts/missing'))).status).toBe(403);

    // wrong categories, another professional, an unknown or denied disclosure, a malformed hash: refused, nothing recorded
    const wrong = await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification', 'grades'], dataHash });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('categories_mismatch');
    expect((await as.nurse!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash })).status).toBe(403);
    expect((await as.curator!.post(receipt(refused.body.disclosureId), { receivedCategories: ['grades'], dataHash })).body.code).toBe('disclosure_not_known');
    expect((await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash: 'not-a-hash' })).status).toBe(400);
    expect(await query('receipts', "SELECT 1 FROM silta_events WHERE type = 'DisclosureReceived'")).toHaveLength(0);

    const acknowledged = ok(await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash }));
    expect(acknowledged.body).toMatchObject({ disclosureId, receivedCategories: ['identification'], dataHash });
    const again = await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_receipted');
    expect(ids(await as.auditor!.get(receipts('/v1/receipts/missing')))).toEqual([]);

    // one receipt on the welfare area's log, with the leaf hash of exactly what was stored
    const onReceiverLog = await query<{ id: string; data: string; metadata: string }>(
      'receipts',
      "SELECT event_id AS id, data, metadata FROM silta_events WHERE stream_id = $1 AND type = 'DisclosureReceived'",
      [`audit-${student}`],
    );
    expect(onReceiverLog).toHaveLength(1);
    const event = JSON.parse(onReceiverLog[0]!.data);
    expect(event).toEqual({
      type: 'DisclosureReceived',
      disclosureId,
      studentId: student,
      receiver: { sub: curator, role: 'curator', org: `welfare-area:${welfareArea}` },
      receivedCategories: ['identification'],
      dataHash,
      receivedAt: acknowledged.body.receivedAt,
    });
    expect(JSON.parse(onReceiverLog[0]!.metadata)).toMatchObject({ leafVersion: 2, dataHash: sha256Hex(canonicalJson(event)) });

    // the welfare area's own checkpoint covers it, signed with the welfare area's key
    const receiverKey = ok(await Client.raw(undefined).get(receipts('/v1/audit/log/key'))).body as { verifierKey: string; origin: string };
    expect(receiverKey.verifierKey).toBe(verifierKeyOf(secrets.RECEIPTS_AUDIT_SIGNING_KEY));
    const receiverCheckpoint = ok(await as.auditor!.post(receipts('/v1/audit/log/checkpoints'))).body as Checkpoint;
    expect(receiverCheckpoint.size).toBe(1);
    const proof = ok(await as.auditor!.get(receipts(`/v1/audit/log/proof/${acknowledged.body.audit.eventId}`))).body as { leafIndex: number };
    expect(proof.leafIndex).toBe(0);
    expect(openCheckpoint(receiverCheckpoint.note, [receiverKey.verifierKey]).checkpoint.size).toBe(1);

    // published back on silta.receipts.v1, keyed by student ...
    const kafka = testKafka(`receipts-e2e-${run}`);
    const receiptsOf = (messages: KafkaMessage[]) =>
      messages.filter((m) => m.key?.toString() === student && m.headers?.[MessageHeaders.eventType]?.toString() === 'DisclosureReceived');
    const messages = await readTopic(kafka, Topics.receipts, (all) => receiptsOf(all).length >= 1, 60_000);
    expect(JSON.parse(receiptsOf(messages)[0]!.value!.toString())).toEqual({ ...event, type: undefined });

    // ... and recorded on the municipality's log under the same event id, where its report clears too
    await eventually(async () => ids(await as.auditor!.get(disclosure('/v1/audit/receipts/missing'))).length === 0, 60_000,
      () => `disclosure did not record the receipt:\n${apps.disclosure!.output().slice(-3000)}`);
    const onMunicipalityLog = await query<{ id: string; data: string }>('disclosure', "SELECT event_id AS id, data FROM silta_events WHERE type = 'DisclosureReceived'");
    expect(onMunicipalityLog.map((row) => row.id)).toEqual([onReceiverLog[0]!.id]);
    expect(JSON.parse(onMunicipalityLog[0]!.data)).toEqual(event);
  }, 180_000);

  it("cosigns each other's checkpoints after checking consistency, and raises an alarm for a forged or forked one", async () => {
    const municipalityKey = verifierKeyOf(secrets.AUDIT_SIGNING_KEY);
    const receiverKey = verifierKeyOf(secrets.RECEIPTS_AUDIT_SIGNING_KEY);
    // two checkpoints of the municipality's log, the second after more decisions: the witness checks the second against the first
    const first = ok(await as.municipalityAuditor!.post(disclosure('/v1/audit/log/checkpoints'))).body as Checkpoint;
    await eventually(async () => (ok(await as.municipalityAuditor!.get(disclosure('/v1/audit/log/witness'))).body.ownCosignedByPeer?.size ?? -1) === first.size, 60_000,
      () => `receipts did not cosign size ${first.size}:\n${apps.receipts!.output().slice(-3000)}`);
    ok(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['identification'], basis: 'identification', purpose: 'follow-up' }));
    const second = ok(await as.municipalityAuditor!.post(disclosure('/v1/audit/log/checkpoints'))).body as Checkpoint;
    expect(second.size).toBeGreaterThan(first.size);
    await eventually(async () => (ok(await as.municipalityAuditor!.get(disclosure('/v1/audit/log/witness'))).body.ownCosignedByPeer?.size ?? -1) === second.size, 60_000,
      () => `receipts did not cosign size ${second.size}:\n${apps.receipts!.output().slice(-3000)}`);
    const witnessed = ok(await as.municipalityAuditor!.get(disclosure('/v1/audit/log/witness'))).body;
    expect(witnessed.peer).toEqual({ origin: expect.stringMatching(/welfare-area-receipts$/), verifierKey: receiverKey, url: apps.receipts!.url });
    expect(witnessed.alarms).toEqual([]);
    // the kept note carries both parties' signatures over the municipality's checkpoint
    const cosignedNote = witnessed.ownCosignedByPeer.note as string;
    expect(openCheckpoint(cosignedNote, [municipalityKey]).checkpoint.size).toBe(second.size);
    // the welfare area's witness cosigned it with a C2SP tlog-cosignature/v1, under its cosigner key (GET /v1/audit/log/key)
    const receiverCosigner = (ok(await Client.raw(undefined).get(receipts('/v1/audit/log/key'))).body as { cosignerKey: string }).cosignerKey;
    expect(receiverCosigner).toBe(cosignerKeyOf(receiverKey));
    expect(openCosignatures(cosignedNote, [receiverCosigner]).map((c) => c.name)).toEqual([receiverKey.split('+')[0]]);

    // and the other way round: the municipality witnesses the welfare area's log
    const receiverCheckpoint = ok(await as.auditor!.post(receipts('/v1/audit/log/checkpoints'))).body as Checkpoint;
    await eventually(async () => (ok(await as.auditor!.get(receipts('/v1/audit/log/witness'))).body.ownCosignedByPeer?.size ?? -1) === receiverCheckpoint.size, 60_000,
      () => `disclosure did not cosign the receipts log:\n${apps.disclosure!.output().slice(-3000)}`);

    // a checkpoint of the municipality's log signed by another key, and one signed by the right key over a forked log
    const origin = first.origin;
    const forged = signNote(formatCheckpoint({ origin, size: second.size + 1, root: new Uint8Array(32).fill(1) }), generateSignerKey('intruder'));
    const forkRoot = new Uint8Array(32).fill(2);
    const forked = signNote(formatCheckpoint({ origin, size: second.size, root: forkRoot }), secrets.AUDIT_SIGNING_KEY);
    // a forger on the municipality's topic: the test's `admin` (no service may write another's topic)
    const producer = testKafka(`receipts-e2e-forger-${run}`).producer();
    await producer.connect();
    const publish = (size: number, rootHash: string, note: string) => {
      const payload = { origin, size, rootHash, note, createdAt: new Date().toISOString() };
      return producer.send({
        topic: Topics.disclosure,
        messages: [{
          key: AuditCheckpointSignedV1.key(payload),
          value: JSON.stringify(payload),
          headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: AuditCheckpointSignedV1.type, [MessageHeaders.schemaVersion]: '1' },
        }],
      });
    };
    await publish(second.size + 1, Buffer.alloc(32, 1).toString('base64'), forged);
    await publish(second.size, Buffer.from(forkRoot).toString('base64'), forked);
    await producer.disconnect();
    await eventually(async () => (ok(await as.auditor!.get(receipts('/v1/audit/log/witness'))).body.alarms as unknown[]).length === 2, 60_000,
      () => `receipts raised no alarms:\n${apps.receipts!.output().slice(-3000)}`);
    const alarms = ok(await as.auditor!.get(receipts('/v1/audit/log/witness'))).body.alarms as { size: number; reason: string }[];
    expect(alarms[0]!.reason).toMatch(/does not verify with the peer's key/);
    expect(alarms[1]).toMatchObject({ size: second.size, reason: expect.stringMatching(/a second root at size \d+: the log forked/) });
    // neither was cosigned: the latest the welfare area witnessed is still the real checkpoint
    const cosigned = await query<{ data: string }>('receipts', "SELECT data FROM silta_events WHERE stream_id LIKE 'witnessed-%' ORDER BY position");
    expect(cosigned.map((row) => JSON.parse(row.data).rootHash)).toEqual([first.rootHash, second.rootHash]);

    // an auditor verifies each party's log and the other party's cosignatures of it with the CLI
    const municipalityLog = await audit(['verify', '--key', municipalityKey, '--witness-key', cosignerKeyOf(receiverKey)], { DATABASE_URL: databases.disclosure!.url });
    expect({ code: municipalityLog.code, err: municipalityLog.stderr }).toMatchObject({ code: 0 });
    expect(municipalityLog.stdout).toContain(`checkpoints are cosigned by ${receiverKey.split('+')[0]}, the latest at size ${second.size}`);
    const welfareAreaLog = await audit(['verify', '--key', receiverKey, '--witness-key', cosignerKeyOf(municipalityKey)], { DATABASE_URL: databases.receipts!.url });
    expect({ code: welfareAreaLog.code, err: welfareAreaLog.stderr }).toMatchObject({ code: 0 });
    expect(welfareAreaLog.stdout).toContain(`ok: 1 checkpoints are cosigned by ${municipalityKey.split('+')[0]}, the latest at size ${receiverCheckpoint.size}`);
  }, 180_000);
});
