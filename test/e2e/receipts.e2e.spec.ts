import { createHash, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { KafkaMessage } from 'kafkajs';
import { v5 as uuidv5 } from 'uuid';
import { MessageHeaders, Topics } from '@silta/contracts';
import { createKafka, silentLogger } from '@silta/messaging';
import { eventually, readTopic, testBrokers, type TestDatabase } from '@silta/testing';
import { canonicalJson, eventLeafHash } from '@silta/transparency';
import { Client, startSilta, testSecrets, type Answer, type RunningApp, type RunningSilta } from './harness';

/** disclosure's name-based id namespace (request-disclosure.handler.ts). */
const DISCLOSURE_NAMESPACE = '5d0b3c1e-8f0a-4c8e-9a57-2f1c4b7d9e10';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Receipts over the three apps on the real broker and PostgreSQL: the requesting professional
 * acknowledges what a released disclosure delivered, the auditor's report of missing receipts
 * follows, and the receipt is a leaf of the audit log and a message for the welfare area.
 */
describe('disclosure receipts', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipality = `municipality:${id('m')}`;
  const welfareArea = id('w');
  const [school, student, curator] = ['school', 'student', 'curator'].map(id);
  const secrets = testSecrets();
  const databases: Record<string, TestDatabase> = {};
  const apps: Record<string, RunningApp> = {};
  let as: Record<string, Client>;

  let silta: RunningSilta | undefined;

  beforeAll(async () => {
    silta = await startSilta('receipts', secrets, { CONSISTENCY_WAIT_MS: '10000' });
    Object.assign(databases, silta.databases);
    Object.assign(apps, silta.apps);
    const s = secrets.JWT_SECRET;
    as = {
      admin: await Client.as(s, id('admin'), 'school_admin', municipality),
      welfareAdmin: await Client.as(s, id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`),
      curator: await Client.as(s, curator, 'curator', `welfare-area:${welfareArea}`),
      nurse: await Client.as(s, id('nurse'), 'nurse', `welfare-area:${welfareArea}`),
      auditor: await Client.as(s, id('auditor'), 'auditor', `welfare-area:${welfareArea}`),
    };

    ok(await as.admin!.post(roster('/v1/schools'), { schoolId: school, name: 'Kuittikoulu' }));
    ok(await as.admin!.post(roster('/v1/students'), { studentId: student, schoolId: school, name: 'Kuitti Oppilas', birthDate: '2011-04-03', group: '9A' }));
    ok(await as.welfareAdmin!.post(roster('/v1/assignments'), { assignmentId: id('a-curator'), professionalId: curator, role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
    await eventually(
      async () =>
        (await query('SELECT 1 FROM dv_assignments WHERE assignment_id = $1', [id('a-curator')])).length === 1 &&
        (await query('SELECT 1 FROM dv_students WHERE student_id = $1 AND school_id = $2', [student, school])).length === 1,
      60_000,
      () => `disclosure's view did not catch up:\n${apps.disclosure!.output().slice(-3000)}`,
    );
  }, 240_000);

  afterAll(() => silta?.stop(), 60_000);

  const roster = (path: string) => `${apps.roster!.url}${path}`;
  const disclosure = (path: string) => `${apps.disclosure!.url}${path}`;
  const receipt = (disclosureId: string) => disclosure(`/v1/disclosures/${disclosureId}/receipt`);

  function ok(answer: Answer): Answer {
    if (![200, 201].includes(answer.status)) throw new Error(`expected 200/201, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  async function query<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: databases.disclosure!.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const missing = async () => (ok(await as.auditor!.get(disclosure('/v1/audit/receipts/missing'))).body.disclosures as { disclosureId: string }[]).map((d) => d.disclosureId);

  it('lets the requester acknowledge a released disclosure once, exactly, and records it in the audit log', async () => {
    const released = ok(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['identification'], basis: 'identification', purpose: 'first meeting' }));
    expect(released.body.outcome).toBe('permit');
    const { disclosureId, data, dataHash } = released.body as { disclosureId: string; data: unknown; dataHash: string };
    // the receiver can recompute the hash of what arrived
    expect(dataHash).toBe(sha256Hex(canonicalJson(data)));

    const refused = ok(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['grades'], basis: 'consent', purpose: 'attendance follow-up' }));
    expect(refused.body.outcome).toBe('deny');

    // released and unacknowledged: listed; a denial released nothing and is not
    expect(await missing()).toEqual([disclosureId]);
    expect((await as.curator!.get(disclosure('/v1/audit/receipts/missing'))).status).toBe(403);

    // wrong categories, another professional, an unknown disclosure, a denial: refused, nothing recorded
    const wrong = await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification', 'grades'], dataHash });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('categories_mismatch');
    expect((await as.nurse!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash })).status).toBe(403);
    expect((await as.curator!.post(receipt(randomUUID()), { receivedCategories: ['identification'], dataHash })).status).toBe(404);
    expect((await as.curator!.post(receipt(refused.body.disclosureId), { receivedCategories: ['grades'], dataHash })).status).toBe(409);
    expect((await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash: 'not-a-hash' })).status).toBe(400);

    const acknowledged = ok(await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash }));
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ disclosureId, receivedCategories: ['identification'], dataHash });
    expect(await missing()).toEqual([]);

    const again = await as.curator!.post(receipt(disclosureId), { receivedCategories: ['identification'], dataHash });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_receipted');

    // one receipt in the student's audit log, stored with the leaf hash of exactly what was stored
    const stored = await query<{ id: string; type: string; data: string; metadata: string }>(
      "SELECT event_id AS id, type, data, metadata FROM silta_events WHERE stream_id = $1 AND type = 'DisclosureReceived'",
      [`audit-${student}`],
    );
    expect(stored).toHaveLength(1);
    // its id derives from the disclosure, so a retried receipt could never be written twice
    expect(stored[0]!.id).toBe(uuidv5(`receipt\n${disclosureId}`, DISCLOSURE_NAMESPACE));
    const event = JSON.parse(stored[0]!.data);
    expect(event).toEqual({
      type: 'DisclosureReceived',
      disclosureId,
      studentId: student,
      receiver: { sub: curator, role: 'curator', org: `welfare-area:${welfareArea}` },
      receivedCategories: ['identification'],
      dataHash,
      receivedAt: acknowledged.body.receivedAt,
    });
    expect(JSON.parse(stored[0]!.metadata).leafHash).toBe(hex(eventLeafHash({ type: 'DisclosureReceived', data: event })));

    // the log as a whole still verifies: every audit event's leaf hash matches, and a checkpoint covers the receipt
    const all = await query<{ type: string; data: string; metadata: string }>("SELECT type, data, metadata FROM silta_events WHERE stream_id LIKE 'audit-%' ORDER BY position");
    for (const e of all) expect(JSON.parse(e.metadata).leafHash).toBe(hex(eventLeafHash({ type: e.type, data: JSON.parse(e.data) })));
    const checkpoint = ok(await as.auditor!.post(disclosure('/v1/audit/log/checkpoints'))).body as { size: number };
    expect(checkpoint.size).toBe(all.length);

    // the receipt travels to the welfare area on silta.disclosure.v1, keyed by student
    const kafka = createKafka({ brokers: testBrokers(), clientId: `receipts-e2e-${run}`, logger: silentLogger });
    const receipts = (messages: KafkaMessage[]) =>
      messages.filter((m) => m.key?.toString() === student && m.headers?.[MessageHeaders.eventType]?.toString() === 'DisclosureReceived');
    const messages = await readTopic(kafka, Topics.disclosure, (all) => receipts(all).length >= 1, 60_000);
    expect(JSON.parse(receipts(messages)[0]!.value!.toString())).toEqual({ ...event, type: undefined });
  });
});
