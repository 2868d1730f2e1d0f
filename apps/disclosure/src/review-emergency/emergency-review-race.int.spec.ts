import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Topics } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { ensureTopics } from '@silta/messaging';
import { EVENT_STORE, signUserToken } from '@silta/platform';
import { createTestDatabase, quietNestLogger, serviceKafkaEnv, testKafka, type TestDatabase } from '@silta/testing';
import { generateSignerKey } from '@silta/transparency';
import { decide, type DisclosureDecided, type EmergencyAccessReviewed, type DecisionInput, type Policy } from '@silta/decision';
import { AuditLog } from '../shared/audit-log';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { decisionRowOf } from '../shared/decision-row';
import { EmergencyReviewEntity, writeReviewRows } from '../shared/emergency-review.entity';
import { REVIEW_STREAM_PREFIX } from '../shared/review-stream';
import { reviewEventId } from './review-emergency';

// Issue 13 item 6: concurrent reviews of one disclosure by auditors of one organisation. Exactly
// one wins, the others get 409 already_reviewed, and the audit log and the auditor API's rows hold
// that one review; the other organisation still reviews once for itself. Disclosure runs in this
// process on the real PostgreSQL and broker, and is driven over HTTP.

const JWT_SECRET = randomBytes(32).toString('hex');
const MUNICIPALITY = `m${randomUUID().slice(0, 8)}`;
const WELFARE_AREA = `w${randomUUID().slice(0, 8)}`;
const CONCURRENT = 8;

const policy: Policy = {
  id: `municipality:${MUNICIPALITY}/disclosure-policy`,
  version: '1',
  hash: '0'.repeat(64),
  municipality: MUNICIPALITY,
  necessity: { curator: [], psychologist: [], nurse: [], doctor: [] },
  emergency: { categories: ['identification'], windowMinutes: 60 },
  requireWelfareAccessActivation: false,
  consentFrom: 'any_guardian',
  minJustificationLength: 10,
};

/** An emergency decision about `studentId` by a curator of the welfare area, released. */
function emergency(studentId: string): DisclosureDecided {
  const input: DecisionInput = {
    request: { requestId: randomUUID(), studentId, categories: ['identification'], basis: 'emergency', purpose: 'support', justification: 'an urgent welfare concern' },
    requester: { professionalId: 'curator-1', role: 'curator', welfareAreaId: WELFARE_AREA },
    snapshot: {
      student: { schoolId: 'school-1', decidesForSelf: false, welfareAccessActive: true, servedBy: WELFARE_AREA, municipalityId: MUNICIPALITY },
      assignments: [{ assignmentId: 'a-1', professionalId: 'curator-1', role: 'curator', welfareAreaId: WELFARE_AREA, schoolId: 'school-1', validFrom: '2020-01-01', ended: false }],
      consents: [],
      linkedGuardianIds: [],
    },
    policy,
    now: new Date().toISOString(),
  };
  const decided: DisclosureDecided = {
    type: 'DisclosureDecided',
    disclosureId: randomUUID(),
    requester: { sub: 'curator-1', role: 'curator', org: `welfare-area:${WELFARE_AREA}` },
    input,
    decision: decide(input),
    schoolId: 'school-1',
    municipalityId: MUNICIPALITY,
    decidedAt: input.now,
    released: { categories: ['identification'], dataHash: 'a'.repeat(64) },
  };
  expect(decided.decision.flags.review).toBe(true);
  return decided;
}

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

describe('concurrent emergency reviews by one organisation', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let store: EventStore;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('silta_review_race');
    const origin = `silta.int/${randomUUID().slice(0, 8)}/municipality`;
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      ...serviceKafkaEnv('disclosure'),
      KAFKA_GROUP_SUFFIX: `.${randomUUID().slice(0, 8)}`,
      JWT_SECRET,
      INTERNAL_TOKEN_SECRET: randomBytes(32).toString('hex'),
      AUDIT_SIGNING_KEY: generateSignerKey(origin),
      AUDIT_ORIGIN: origin,
      // Checkpoints only on demand: nothing of this test's log goes on the shared topic.
      AUDIT_CHECKPOINT_INTERVAL_MS: '0',
      PORT: '0',
    });
    for (const name of ['EVENTSTORE_CONNECTION_STRING', 'JWT_JWKS_URL', 'TRUSTED_ISSUERS', 'PEER_AUDIT_KEY', 'PEER_AUDIT_URL', 'PEER_AUDIT_ORIGIN']) delete process.env[name];
    await ensureTopics(testKafka('review-race-int-test'), Object.values(Topics));

    const { DisclosureModule } = await import('../disclosure.module');
    app = await NestFactory.create(DisclosureModule, { logger: quietNestLogger() });
    await app.listen(0);
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    store = app.get<EventStore>(EVENT_STORE);
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** A disclosure's row, as its request wrote it. (Its audit event is left out: the relay would publish it on the shared topic.) */
  async function emergencyOf(studentId: string): Promise<string> {
    const decided = emergency(studentId);
    await dataSource.manager.insert(DecisionRecordEntity, decisionRowOf(decided, '0'));
    return decided.disclosureId;
  }

  const auditorOf = (org: string, n: number) => signUserToken({ sub: `auditor-${n}`, role: 'auditor', org }, { secret: JWT_SECRET, issuer: 'silta-local', audience: 'silta' });

  async function call(method: 'GET' | 'POST', path: string, bearer: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, contentType: (response.headers.get('content-type') ?? '').split(';')[0]!, body: (await response.json()) as Record<string, unknown> };
  }

  /** `count` auditors of `org` review the disclosure at once, each with their own outcome. */
  async function race(disclosureId: string, org: string, count: number) {
    const tokens = await Promise.all(Array.from({ length: count }, (_, n) => auditorOf(org, n)));
    const outcomes = tokens.map((_, n) => (n % 2 === 0 ? 'justified' : 'unjustified'));
    const answers = await Promise.all(tokens.map((token, n) => call('POST', `/v1/audit/emergency-reviews/${disclosureId}`, token, { outcome: outcomes[n], note: `by auditor ${n}` })));
    const winners = answers.flatMap((answer, n) => (answer.status === 200 ? [{ answer, sub: `auditor-${n}`, outcome: outcomes[n] }] : []));
    return { answers, winners };
  }

  /** What the log and the auditor API's rows hold about the organisation's reviews of the disclosure. */
  async function recorded(disclosureId: string, org: string) {
    const reviews = (await store.readAll()).filter((e) => e.type === 'EmergencyAccessReviewed' && (e.data as EmergencyAccessReviewed).disclosureId === disclosureId && (e.data as EmergencyAccessReviewed).reviewer.org === org);
    return {
      audit: reviews.filter((e) => e.streamId.startsWith('audit-')).map((e) => e.data as EmergencyAccessReviewed),
      decidingStream: reviews.filter((e) => e.streamId.startsWith(REVIEW_STREAM_PREFIX)),
      rows: await dataSource.manager.findBy(EmergencyReviewEntity, { disclosureId, reviewerOrg: org }),
    };
  }

  it('lets exactly one auditor of the organisation through; the others get 409, and the log and the rows hold that one review', async () => {
    const studentId = `student-${randomUUID().slice(0, 8)}`;
    const disclosureId = await emergencyOf(studentId);
    const municipality = `municipality:${MUNICIPALITY}`;

    const { answers, winners } = await race(disclosureId, municipality, CONCURRENT);

    expect(winners).toHaveLength(1);
    const [{ answer: won, sub, outcome }] = winners as [(typeof winners)[number]];
    expect(won.body).toEqual({ disclosureId, outcome, reviewedAs: 'controller', reviewedAt: expect.any(String) });
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.map((a) => [a.status, a.contentType, a.body.code])).toEqual(Array(CONCURRENT - 1).fill([409, 'application/problem+json', 'already_reviewed']));
    for (const answer of refused) expect(answer.body.detail).toContain(`(${sub})`);

    const { audit, decidingStream, rows } = await recorded(disclosureId, municipality);
    expect(decidingStream).toHaveLength(1);
    expect(audit).toEqual([{ type: 'EmergencyAccessReviewed', disclosureId, reviewer: { sub, org: municipality }, reviewedAs: 'controller', outcome, note: expect.any(String), reviewedAt: won.body.reviewedAt }]);
    expect(rows).toEqual([{ disclosureId, reviewerOrg: municipality, reviewedAs: 'controller', outcome, reviewedAt: won.body.reviewedAt, reviewedBy: sub }]);
    expect(decidingStream[0]!.data).toEqual(audit[0]);

    // The queue agrees: reviewed for the municipality, still unreviewed for the welfare area.
    const queue = async (org: string, status: string) =>
      ((await call('GET', `/v1/audit/emergency-reviews?status=${status}`, await auditorOf(org, 0))).body.disclosures as Array<{ disclosureId: string }>).map((d) => d.disclosureId);
    expect(await queue(municipality, 'reviewed')).toContain(disclosureId);
    expect(await queue(`welfare-area:${WELFARE_AREA}`, 'unreviewed')).toContain(disclosureId);

    // The welfare area still reviews once, for itself, under the same race.
    const area = `welfare-area:${WELFARE_AREA}`;
    const second = await race(disclosureId, area, 4);
    expect(second.winners).toHaveLength(1);
    expect(second.winners[0]!.answer.body.reviewedAs).toBe('recipient');
    expect(second.answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([409, 'already_reviewed']));
    const ofArea = await recorded(disclosureId, area);
    expect([ofArea.audit.length, ofArea.decidingStream.length, ofArea.rows.length]).toEqual([1, 1, 1]);
    expect(ofArea.rows[0]!.reviewedBy).toBe(second.winners[0]!.sub);
    expect((await recorded(disclosureId, municipality)).rows).toEqual(rows);
  });

  it('answers 409 to a repeat of a review recorded before reviews had their own stream, and writes nothing', async () => {
    const studentId = `student-${randomUUID().slice(0, 8)}`;
    const disclosureId = await emergencyOf(studentId);
    const municipality = `municipality:${MUNICIPALITY}`;
    const earlier: EmergencyAccessReviewed = {
      type: 'EmergencyAccessReviewed',
      disclosureId,
      reviewer: { sub: 'auditor-before', org: municipality },
      reviewedAs: 'controller',
      outcome: 'justified',
      reviewedAt: '2026-03-10T10:00:00.000Z',
    };
    // As the code before this recorded it: the audit event and the row, no review stream.
    await new AuditLog(store).append(studentId, reviewEventId(disclosureId, municipality), earlier);
    await writeReviewRows(dataSource.manager, [earlier]);
    const before = (await store.readAll()).length;

    const again = await call('POST', `/v1/audit/emergency-reviews/${disclosureId}`, await auditorOf(municipality, 1), { outcome: 'unjustified' });

    expect([again.status, again.body.code]).toEqual([409, 'already_reviewed']);
    expect(again.body.detail).toContain('auditor-before');
    expect((await store.readAll()).length).toBe(before);
    expect((await recorded(disclosureId, municipality)).rows).toEqual([expect.objectContaining({ reviewedBy: 'auditor-before', outcome: 'justified' })]);
  });
});
