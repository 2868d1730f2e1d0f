import { createHash, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Topics } from '@silta/contracts';
import type { KafkaMessage } from 'kafkajs';
import { eventually, readTopic, testKafka, type TestDatabase } from '@silta/testing';
import {
  bundleLeaf,
  canonicalJson,
  completenessProblems,
  cosignerKeyOf,
  eventLeafHash,
  mapRootOf,
  openCheckpoint,
  verifierKeyOf,
  verifyConsistency,
  verifyInclusion,
  verifyMapProof,
  type AuditBundle,
} from '@silta/transparency';
import { Client, startSilta, testSecrets, type Answer, type RunningApp, type RunningSilta } from './harness';

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The tamper-evident audit log over HTTP, as an auditor would check it: the three apps as
 * processes on the real Kafka broker and PostgreSQL; every proof checked with the transparency
 * library alone, trusting nothing but the verifier key.
 */
describe('Silta end to end: the verifiable audit log', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const origin = `silta.e2e/${run}`;
  const municipality = `municipality:${id('m')}`;
  const welfareArea = id('w');
  const [school, student, otherStudent, curator] = ['school', 'student', 'student-b', 'curator'].map(id);
  const secrets = testSecrets({ disclosure: origin });
  const databases: Record<string, TestDatabase> = {};
  const apps: Record<string, RunningApp> = {};
  let as: Record<string, Client>;

  let silta: RunningSilta | undefined;

  beforeAll(async () => {
    silta = await startSilta('audit', secrets, { AUDIT_ORIGIN: origin,
        AUDIT_CHECKPOINT_INTERVAL_MS: '0' }, { municipality: id('m') });
    Object.assign(databases, silta.databases);
    Object.assign(apps, silta.apps);
    const s = secrets.JWT_SECRET;
    as = {
      admin: await Client.as(s, id('admin'), 'school_admin', municipality),
      welfareAdmin: await Client.as(s, id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`),
      curator: await Client.as(s, curator, 'curator', `welfare-area:${welfareArea}`),
      auditor: await Client.as(s, id('auditor'), 'auditor', `welfare-area:${welfareArea}`),
      municipalityAuditor: await Client.as(s, id('m-auditor'), 'auditor', municipality),
      strangerAuditor: await Client.as(s, id('other-auditor'), 'auditor', `welfare-area:${id('other-w')}`),
      student: await Client.as(s, student, 'student', municipality),
      anonymous: Client.raw(undefined),
    };
  }, 240_000);

  afterAll(() => silta?.stop(), 60_000);

  const roster = (path: string) => `${apps.roster!.url}${path}`;
  const disclosure = (path: string) => `${apps.disclosure!.url}${path}`;

  function expectOk(answer: Answer, status = [200, 201]): Answer {
    if (!status.includes(answer.status)) throw new Error(`expected ${status.join('/')}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: databases.disclosure!.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const decide = async (studentId: string, body: Record<string, unknown>) =>
    expectOk(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId, purpose: 'student welfare assessment', ...body }));

  it('serves a key, signs checkpoints, and proves inclusion, consistency and an offline bundle', async () => {
    expectOk(await as.admin!.post(roster('/v1/schools'), { schoolId: school, name: 'Testikoulu' }));
    expectOk(await as.admin!.put(roster(`/v1/schools/${school}/service`), { welfareAreaId: welfareArea }));
    for (const studentId of [student, otherStudent]) {
      expectOk(await as.admin!.post(roster('/v1/students'), { studentId, schoolId: school, name: 'Testi Oppilas', birthDate: '2012-05-06', group: '8B' }));
    }
    expectOk(await as.welfareAdmin!.post(roster('/v1/assignments'), { assignmentId: id('a-curator'), professionalId: curator, role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
    await eventually(
      async () =>
        (await query('SELECT 1 FROM dv_schools WHERE school_id = $1 AND served_by IS NOT NULL', [school])).length === 1 &&
        (await query('SELECT 1 FROM dv_assignments WHERE assignment_id = $1', [id('a-curator')])).length === 1 &&
        (await query('SELECT 1 FROM dv_students WHERE student_id IN ($1, $2)', [student, otherStudent])).length === 2,
      60_000,
      () => `disclosure's view did not catch up:\n${apps.disclosure!.output().slice(-3000)}`,
    );

    // the key is public: anyone can fetch it, and it is the public half of the configured signer key
    const key = expectOk(await as.anonymous!.get(disclosure('/v1/audit/log/key'))).body as { verifierKey: string; origin: string };
    expect(key).toEqual({ verifierKey: verifierKeyOf(secrets.AUDIT_SIGNING_KEY), origin, cosignerKey: cosignerKeyOf(secrets.AUDIT_SIGNING_KEY) });
    const trusted = [key.verifierKey];
    const openApi = expectOk(await as.anonymous!.get(disclosure('/openapi.json'))).body;
    // so are consistency proofs (hashes only): the other party's witness fetches them without a token
    for (const path of ['/v1/audit/log/key', '/v1/audit/log/consistency']) {
      expect(openApi.paths[path].get).toMatchObject({ 'x-roles': [] });
      expect(openApi.paths[path].get.security).toBeUndefined();
    }
    for (const [path, method] of [
      ['/v1/audit/log/checkpoints', 'post'],
      ['/v1/audit/log/checkpoints/latest', 'get'],
      ['/v1/audit/log/proof/{eventId}', 'get'],
      ['/v1/audit/log/witness', 'get'],
    ] as const) {
      expect(openApi.paths[path][method]).toMatchObject({ 'x-roles': ['auditor'], summary: expect.any(String) });
    }
    // a bundle also for the data subject, of their own stream
    expect(openApi.paths['/v1/audit/log/bundle'].get).toMatchObject({ 'x-roles': ['auditor', 'student'], summary: expect.any(String) });

    // a few decisions and an explanation, then a checkpoint on demand
    const identification = await decide(student, { categories: ['identification'], basis: 'identification' });
    const denied = await decide(student, { categories: ['absences'], basis: 'consent' });
    await decide(otherStudent, { categories: ['identification'], basis: 'identification' });
    expectOk(await as.curator!.post(disclosure('/v1/disclosures/explain'), { requestId: randomUUID(), studentId: student, categories: ['grades'], basis: 'consent', purpose: 'student welfare assessment' }));

    expect((await as.curator!.post(disclosure('/v1/audit/log/checkpoints'))).status).toBe(403);
    expect((await as.auditor!.get(disclosure('/v1/audit/log/checkpoints/latest'))).status).toBe(404);
    const earlier = expectOk(await as.auditor!.post(disclosure('/v1/audit/log/checkpoints'))).body as { size: number; rootHash: string; note: string; origin: string };
    const earlierOpened = openCheckpoint(earlier.note, trusted, { origin }).checkpoint;
    expect(earlierOpened.size).toBe(4);
    expect(earlier).toMatchObject({ origin, size: 4, rootHash: Buffer.from(earlierOpened.root).toString('base64') });
    expect(expectOk(await as.auditor!.get(disclosure('/v1/audit/log/checkpoints/latest'))).body).toEqual(earlier);

    // every audit event was stored as a v2 leaf with the hash of exactly the payload stored
    const stored = await query<{ event_id: string; stream_id: string; revision: string; type: string; data: string; metadata: string }>(
      "SELECT event_id, stream_id, revision, type, data, metadata FROM silta_events WHERE stream_id LIKE 'audit-%' ORDER BY position",
    );
    expect(stored).toHaveLength(4);
    for (const event of stored) expect(JSON.parse(event.metadata)).toMatchObject({ leafVersion: 2, dataHash: sha256(canonicalJson(JSON.parse(event.data))) });

    // the identification decision is in the checkpoint, as the v2 leaf of its id, stream and revision (the stream's first)
    const proof = expectOk(await as.auditor!.get(disclosure(`/v1/audit/log/proof/${identification.body.disclosureId}`))).body;
    expect(proof).toMatchObject({ leafIndex: 0, treeSize: 4, checkpoint: earlier });
    const [first0] = stored;
    const leaf0 = { v: 2 as const, id: first0!.event_id, stream: first0!.stream_id, revision: Number(first0!.revision), previous: null, type: first0!.type, data: JSON.parse(first0!.data) as unknown };
    expect(proof.leafHash).toBe(hex(eventLeafHash(leaf0)));
    verifyInclusion(fromHex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.proof.map(fromBase64), earlierOpened.root);
    expect((await as.auditor!.get(disclosure(`/v1/audit/log/proof/${randomUUID()}`))).status).toBe(404);

    // the log grows; a later checkpoint is consistent with the earlier one, and older proofs stay valid
    await decide(student, { categories: ['guardian_contacts'], basis: 'identification' });
    await decide(otherStudent, { categories: ['absences'], basis: 'consent' });
    const later = expectOk(await as.auditor!.post(disclosure('/v1/audit/log/checkpoints'))).body as { size: number; note: string };
    const laterOpened = openCheckpoint(later.note, trusted, { origin }).checkpoint;
    expect(laterOpened.size).toBe(6);
    const consistency = expectOk(await as.auditor!.get(disclosure(`/v1/audit/log/consistency?from=${earlier.size}&to=${later.size}`))).body;
    expect(consistency).toMatchObject({ from: 4, to: 6 });
    verifyConsistency(earlierOpened.size, laterOpened.size, earlierOpened.root, laterOpened.root, consistency.proof.map(fromBase64));
    const atEarlier = expectOk(await as.auditor!.get(disclosure(`/v1/audit/log/proof/${denied.body.disclosureId}?size=${earlier.size}`))).body;
    verifyInclusion(fromHex(atEarlier.leafHash), atEarlier.leafIndex, earlier.size, atEarlier.proof.map(fromBase64), earlierOpened.root);
    expect((await as.auditor!.get(disclosure(`/v1/audit/log/consistency?from=${later.size + 1}`))).status).toBe(400);
    // nothing grew: asking again answers the same checkpoint
    expect(expectOk(await as.auditor!.post(disclosure('/v1/audit/log/checkpoints'))).body).toEqual(later);

    // the student's offline bundle: every event checks out with nothing but the key
    const bundle = expectOk(await as.auditor!.get(disclosure(`/v1/audit/log/bundle?studentId=${student}`))).body as AuditBundle;
    expect(bundle.origin).toBe(origin);
    const bundleCheckpoint = openCheckpoint(bundle.checkpoint, trusted, { origin }).checkpoint;
    expect(bundle.events.map((e) => e.type)).toEqual(['DisclosureDecided', 'DisclosureDecided', 'DisclosureExplained', 'DisclosureDecided']);
    for (const event of bundle.events) {
      expect(event).toMatchObject({ streamId: `audit-${student}`, leafVersion: 2 });
      const recomputed = eventLeafHash(bundleLeaf(event));
      expect(hex(recomputed)).toBe(event.leafHash);
      verifyInclusion(recomputed, event.leafIndex, bundleCheckpoint.size, event.proof.map(fromBase64), bundleCheckpoint.root);
    }
    // it holds the student's whole stream, and its map proof says so against the checkpoint's map line
    const { completeness } = bundle;
    expect(completeness).toMatchObject({ stream: `audit-${student}`, entry: { count: 4, latest: bundle.events[3]!.leafIndex } });
    verifyMapProof(mapRootOf(bundleCheckpoint.extensions)!, completeness!.stream, completeness!.entry!, completeness!.proof);
    expect(completenessProblems(bundle.events, completeness!.stream, completeness!.entry)).toEqual([]);
    expect(completenessProblems(bundle.events.slice(1), completeness!.stream, completeness!.entry)).not.toEqual([]);
    // an altered payload no longer verifies
    const [first] = bundle.events;
    const altered = eventLeafHash(bundleLeaf({ ...first!, data: { ...(first!.data as object), decidedAt: '2000-01-01T00:00:00.000Z' } }));
    expect(() => verifyInclusion(altered, first!.leafIndex, bundleCheckpoint.size, first!.proof.map(fromBase64), bundleCheckpoint.root)).toThrow(/does not verify|leads to root/);

    // one disclosure's bundle; the municipality's auditor covers the student too; a stranger does not
    const one = expectOk(await as.auditor!.get(disclosure(`/v1/audit/log/bundle?disclosureId=${identification.body.disclosureId}`))).body;
    expect(one.events).toHaveLength(1);
    expect(one.completeness).toBeUndefined();
    expect(one.events[0].data.disclosureId).toBe(identification.body.disclosureId);
    expect(expectOk(await as.municipalityAuditor!.get(disclosure(`/v1/audit/log/bundle?studentId=${student}`))).body.events).toHaveLength(4);
    // the data subject's own bundle: the whole stream, proven complete; another student's is refused
    const own = expectOk(await as.student!.get(disclosure(`/v1/audit/log/bundle?studentId=${student}`))).body as AuditBundle;
    const ownCheckpoint = openCheckpoint(own.checkpoint, trusted, { origin }).checkpoint;
    verifyMapProof(mapRootOf(ownCheckpoint.extensions)!, own.completeness!.stream, own.completeness!.entry!, own.completeness!.proof);
    expect(completenessProblems(own.events, `audit-${student}`, own.completeness!.entry)).toEqual([]);
    expect((await as.student!.get(disclosure(`/v1/audit/log/bundle?studentId=${otherStudent}`))).status).toBe(403);
    expect((await as.strangerAuditor!.get(disclosure(`/v1/audit/log/bundle?studentId=${student}`))).status).toBe(404);
    expect((await as.auditor!.get(disclosure(`/v1/audit/log/bundle?studentId=${student}&disclosureId=${identification.body.disclosureId}`))).status).toBe(400);

    // both checkpoints travel on Kafka for the other party to keep and countersign
    const kafka = testKafka(`audit-e2e-${run}`);
    const ours = (messages: KafkaMessage[]) => messages.filter((m) => m.key?.toString() === origin);
    const messages = await readTopic(kafka, Topics.disclosure, (all) => ours(all).length >= 2, 60_000);
    const published = ours(messages).map((m) => JSON.parse(m.value!.toString()) as { note: string });
    expect(published.map((p) => p.note)).toEqual([earlier.note, later.note]);
  });
});
