import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { ContractRegistry, MessageHeaders, Topics, consentContracts, decodePositionToken } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import type { Role } from '@silta/platform';
import { readTopic, uniqueName, type StandInRoster } from '@silta/testing';
import { RosterView } from './roster-view/roster-view.reader';
import { rosterEvents, rosterMessage, standings, startConsent, type Answer, type ConsentIntFixture } from './testing/consent-int-fixture';

// The consent service against real PostgreSQL (event store and read models) and the real broker:
// roster events go in on silta.roster.v1, consents come out on silta.consent.v1. Roster's standing
// of a student (the birth date consent reads on grant, resume and a guardian's list) comes from a
// stand-in roster on a local port, which one test takes down for a while to see consent with roster
// down. Each test enrols the students it writes for, so none depends on another's leftovers.

const consentRegistry = new ContractRegistry(consentContracts);

// Unique per run, so the shared topics' earlier messages never match. Students A, B and C are
// read by the tests but written for only where no test's assertion depends on what was written.
const ids = {
  studentA: uniqueName('student-a'),
  studentB: uniqueName('student-b'), // nobody assesses them
  studentC: uniqueName('student-c'), // roster flags them as deciding for themselves
  guardianA1: uniqueName('guardian-a1'),
  guardianA2: uniqueName('guardian-a2'), // linked, then unlinked
  guardianA3: uniqueName('guardian-a3'),
  guardianC1: uniqueName('guardian-c1'),
  outsider: uniqueName('guardian-x'), // linked to nobody
  school: uniqueName('school'),
  welfareArea: uniqueName('welfare-area'),
};

let consent: ConsentIntFixture;

const token = (role: Role, sub: string, org?: string) => consent.token(role, sub, org);
const guardian = (id: string) => token('guardian', id);
const student = (id: string) => token('student', id);
const call = (method: 'GET' | 'POST' | 'PUT', path: string, bearer: string | undefined, body?: unknown) => consent.call(method, path, bearer, body);

function grantBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    studentId: ids.studentA,
    categories: ['absences', 'grades'],
    recipient: { welfareAreaId: ids.welfareArea, roles: ['curator'] },
    purpose: 'follow-up of absences with the school curator',
    ...overrides,
  };
}

function expectProblem(answer: Answer, status: number, code?: string): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code: code ?? answer.body.code });
  expect(answer.contentType).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ status, type: expect.stringContaining('/problems/'), detail: expect.any(String) });
}

async function storedCount(): Promise<number> {
  return (await consent.store.readAll()).length;
}

/** A minor of the test's own at the school, and the two fresh guardians linked to them. */
async function minorWithGuardians(): Promise<[studentId: string, firstGuardian: string, secondGuardian: string]> {
  const { studentId, guardianIds } = await consent.enrol(ids.school, { guardians: 2, standing: standings.minor });
  return [studentId, guardianIds[0]!, guardianIds[1]!];
}

describe('consent service (PostgreSQL, Kafka)', () => {
  let app: INestApplication;
  let baseUrl: string;
  let store: EventStore;
  let kafka: Kafka;
  let roster: StandInRoster;

  beforeAll(async () => {
    consent = await startConsent('int');
    ({ app, baseUrl, store, kafka, roster } = consent);
    // Roster's standing: the students are minors.
    for (const studentId of [ids.studentA, ids.studentB, ids.studentC]) roster.standings.set(studentId, standings.minor);

    const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T08:00:00.000Z`;
    const relinkOfA2 = rosterMessage('GuardianLinked', { studentId: ids.studentA, guardianId: ids.guardianA2, linkedAt: at(2) });
    await consent.feedRoster(
      rosterEvents.enrolled(ids.studentA, ids.school),
      rosterEvents.guardianLinked(ids.studentA, ids.guardianA1),
      rosterEvents.guardianLinked(ids.studentA, ids.guardianA3),
      relinkOfA2,
      rosterMessage('GuardianUnlinked', { studentId: ids.studentA, guardianId: ids.guardianA2, unlinkedAt: at(5) }),
      // A redelivery of the link, and a link older than the unlink: neither may revive it.
      relinkOfA2,
      rosterMessage('GuardianLinked', { studentId: ids.studentA, guardianId: ids.guardianA2, linkedAt: at(3) }),
      rosterEvents.enrolled(ids.studentB, ids.school),
      rosterMessage('StudentCapacityRecorded', { studentId: ids.studentB, decidesForSelf: false, recordedAt: at(2) }),
      rosterEvents.enrolled(ids.studentC, ids.school),
      rosterEvents.guardianLinked(ids.studentC, ids.guardianC1),
      rosterMessage('StudentCapacityRecorded', { studentId: ids.studentC, decidesForSelf: true, recordedAt: at(2) }),
      // The curator and psychologist who declare visibility below are assigned to the students' school, which their welfare area serves.
      rosterEvents.schoolServed(ids.school, ids.welfareArea),
      ...(['curator', 'psychologist'] as const).map((role) => rosterEvents.assigned(`p-${role}`, role, ids.welfareArea, ids.school, uniqueName(`a-${role}`))),
    );
  });

  afterAll(() => consent?.close());

  /** Grants a consent for the student as the guardian, then its second version (absences only); answers its id. */
  async function secondVersion(studentId: string, grantor: string): Promise<string> {
    const bearer = await guardian(grantor);
    const first = await call('POST', '/v1/consents', bearer, grantBody({ studentId }));
    expect(first.status).toBe(201);
    const consentId = first.body.consentId as string;
    expect(await call('POST', '/v1/consents', bearer, grantBody({ studentId, consentId, categories: ['absences'] }))).toMatchObject({ status: 201, body: { version: 2 } });
    return consentId;
  }

  /** The curator judges the student to decide social-welfare matters, the psychologist health-care ones. */
  async function decidesForSelfInBothFields(studentId: string): Promise<void> {
    // Capacity is the professionals' per-field judgement, not roster's flag: both are assigned to the student's school.
    for (const [role, field] of [['curator', 'social_welfare'], ['psychologist', 'health_care']] as const) {
      const assessed = await call('PUT', `/v1/students/${studentId}/capacity/${field}`, await token(role, `p-${role}`, `welfare-area:${ids.welfareArea}`), {
        decidesForSelf: true,
        assessedOn: new Date().toISOString().slice(0, 10),
      });
      expect(assessed).toMatchObject({ status: 200, body: { field, decidesForSelf: true } });
    }
  }

  it('projects roster events idempotently and in order of their own time', async () => {
    const view = app.get(RosterView);
    const a = await view.snapshot(ids.studentA);
    expect([...a.linkedGuardianIds].sort()).toEqual([ids.guardianA1, ids.guardianA3].sort());
    expect(await view.snapshot(ids.studentB)).toMatchObject({ linkedGuardianIds: [] });
    expect(await view.snapshot(ids.studentC)).toMatchObject({ linkedGuardianIds: [ids.guardianC1] });
  });

  it('lets a linked guardian grant a consent and answers with a position token naming the stored event', async () => {
    const answer = await call('POST', '/v1/consents', await guardian(ids.guardianA1), grantBody());
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ consentId: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1, positionToken: expect.any(String) });
    const consentId = answer.body.consentId as string;

    const events = await store.readStream(`consent-${consentId}`);
    expect(events.map((e) => e.type)).toEqual(['ConsentGranted']);
    expect(events[0]!.data).toMatchObject({ studentId: ids.studentA, version: 1, grantedBy: { kind: 'guardian', id: ids.guardianA1 } });
    expect(decodePositionToken(answer.body.positionToken as string)).toEqual({ service: 'consent', eventId: events[0]!.id });
  });

  it('records on each event the request id it came under and who asked (the event metadata convention)', async () => {
    // A student of this test's own, so no other test's counts change.
    const [pupil, mother, father] = [uniqueName('student-m'), uniqueName('guardian-m1'), uniqueName('guardian-m2')];
    roster.standings.set(pupil, { birthDate: '2015-05-06', educationForm: 'basic_education', inCompulsoryEducation: true });
    await consent.feedRoster(rosterEvents.enrolled(pupil, ids.school), rosterEvents.guardianLinked(pupil, mother), rosterEvents.guardianLinked(pupil, father));
    const requestId = `req-${randomUUID()}`;
    const send = async (path: string, sub: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await guardian(sub)}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const granted = await send('/v1/consents', mother, grantBody({ studentId: pupil }), { 'x-request-id': requestId });
    expect(granted.status).toBe(201);
    const { consentId: ownConsent } = (await granted.json()) as { consentId: string };
    expect((await send(`/v1/consents/${ownConsent}/pause`, father, {})).status).toBe(200);

    const [grant, pause] = await store.readStream(`consent-${ownConsent}`);
    expect(grant!.metadata).toEqual({ correlationId: requestId, actor: mother, schemaVersion: 1 });
    // A request without an id of its own still gets one, so its events can be told apart.
    expect(pause!.metadata).toEqual({ correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/), actor: father, schemaVersion: 1 });
  });

  it('refuses guardians who are not, or no longer, linked to the student', async () => {
    const before = await storedCount();
    expectProblem(await call('POST', '/v1/consents', await guardian(ids.outsider), grantBody()), 403, 'not_a_guardian');
    expectProblem(await call('POST', '/v1/consents', await guardian(ids.guardianA2), grantBody()), 403, 'not_a_guardian');
    expect(await storedCount()).toBe(before);
  });

  it('lets a student grant only for themself, and only with capacity', async () => {
    const [capable, capableGuardian] = await minorWithGuardians();
    await decidesForSelfInBothFields(capable);
    expectProblem(await call('POST', '/v1/consents', await student(ids.studentB), grantBody({ studentId: ids.studentB })), 403, 'student_lacks_capacity');
    expectProblem(await call('POST', '/v1/consents', await student(capable), grantBody({ studentId: ids.studentA })), 403, 'not_the_student');
    const answer = await call('POST', '/v1/consents', await student(capable), grantBody({ studentId: capable, recipient: { welfareAreaId: ids.welfareArea } }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ version: 1 });
    // A guardian cannot change what the student decided themself.
    expectProblem(await call('POST', `/v1/consents/${answer.body.consentId as string}/withdraw`, await guardian(capableGuardian), {}), 403, 'not_the_grantor');
  });

  it('stops guardians granting for a student who decides for themself, and keeps the student\'s own consents from them', async () => {
    const [capable, capableGuardian] = await minorWithGuardians();
    await decidesForSelfInBothFields(capable);
    expect(await call('POST', '/v1/consents', await student(capable), grantBody({ studentId: capable, recipient: { welfareAreaId: ids.welfareArea } }))).toMatchObject({ status: 201 });
    const c1 = await guardian(capableGuardian);
    const before = await storedCount();
    expectProblem(await call('POST', '/v1/consents', c1, grantBody({ studentId: capable })), 403, 'student_decides_for_self');
    expect(await storedCount()).toBe(before);

    const own = await call('GET', `/v1/students/${capable}/consents`, await student(capable));
    expect((own.body.consents as Array<{ grantedBy: { kind: string } }>).map((c) => c.grantedBy.kind)).toEqual(['student']);
    const guardians = await call('GET', `/v1/students/${capable}/consents`, c1);
    expect(guardians).toMatchObject({ status: 200, body: { studentId: capable, consents: [] } });
  });

  it('lets a student of 18 or more grant and resume their own consent unassessed, and refuses their guardian grant, resume and the list (361/1983 3 §)', async () => {
    const { studentId: adult, guardianIds } = await consent.enrol(ids.school, { guardians: 1, standing: standings.adult });
    const d1 = await guardian(guardianIds[0]!);
    const own = await student(adult);
    const before = await storedCount();
    expectProblem(await call('POST', '/v1/consents', d1, grantBody({ studentId: adult })), 403, 'student_is_adult');
    expect(await storedCount()).toBe(before);
    expect(roster.callers.at(-1)).toBe('consent');

    const granted = await call('POST', '/v1/consents', own, grantBody({ studentId: adult }));
    expect(granted).toMatchObject({ status: 201, body: { version: 1 } });
    const ownId = granted.body.consentId as string;
    expect((await store.readStream(`consent-${ownId}`))[0]!.data).toMatchObject({ grantedBy: { kind: 'student', id: adult } });
    expect(await call('POST', `/v1/consents/${ownId}/pause`, own, {})).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await call('POST', `/v1/consents/${ownId}/resume`, own, {})).toMatchObject({ status: 200, body: { status: 'active' } });

    expectProblem(await call('GET', `/v1/students/${adult}/consents`, d1), 403, 'student_is_adult');
    const list = await call('GET', `/v1/students/${adult}/consents`, own);
    expect(list).toMatchObject({ status: 200, body: { studentId: adult, consents: [{ consentId: ownId, grantedBy: { kind: 'student' } }] } });
  });

  it('lets the grantor grant the next version, and no one else', async () => {
    const first = await call('POST', '/v1/consents', await guardian(ids.guardianA1), grantBody());
    expect(first.status).toBe(201);
    const consentId = first.body.consentId as string;
    const next = await call('POST', '/v1/consents', await guardian(ids.guardianA1), grantBody({ consentId, categories: ['absences'] }));
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ consentId, version: 2 });
    expectProblem(await call('POST', '/v1/consents', await guardian(ids.guardianA3), grantBody({ consentId })), 403, 'not_the_grantor');
  });

  it('pauses, resumes and withdraws; withdrawal is final', async () => {
    const consentId = await secondVersion(ids.studentA, ids.guardianA1);
    const a1 = await guardian(ids.guardianA1);
    const paused = await call('POST', `/v1/consents/${consentId}/pause`, await guardian(ids.guardianA3)); // any linked guardian, no body
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({ consentId, version: 2, status: 'paused', positionToken: expect.any(String) });
    expectProblem(await call('POST', `/v1/consents/${consentId}/pause`, a1, {}), 409, 'consent_already_paused');

    const resumed = await call('POST', `/v1/consents/${consentId}/resume`, a1, {});
    expect(resumed.body).toMatchObject({ consentId, version: 2, status: 'active' });
    expectProblem(await call('POST', `/v1/consents/${consentId}/resume`, a1), 409, 'consent_not_paused');
    expectProblem(await call('POST', `/v1/consents/${consentId}/pause`, await guardian(ids.outsider)), 403, 'not_the_grantor');

    const withdrawn = await call('POST', `/v1/consents/${consentId}/withdraw`, a1, { reason: 'we moved' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ consentId, version: 2, status: 'withdrawn' });
    const last = (await store.readStream(`consent-${consentId}`)).at(-1)!;
    expect(last).toMatchObject({ type: 'ConsentWithdrawn', data: { reason: 'we moved' } });
    expect(decodePositionToken(withdrawn.body.positionToken as string)).toEqual({ service: 'consent', eventId: last.id });

    expectProblem(await call('POST', '/v1/consents', a1, grantBody({ consentId })), 409, 'consent_withdrawn');
    expectProblem(await call('POST', `/v1/consents/${consentId}/resume`, a1), 409, 'consent_withdrawn');
    expectProblem(await call('POST', `/v1/consents/${consentId}/withdraw`, a1), 409, 'consent_withdrawn');
    expectProblem(await call('POST', `/v1/consents/${randomUUID()}/withdraw`, a1), 404, 'consent_not_found');
  });

  it("lists a student's consents with their current status", async () => {
    const [pupil, first, second] = await minorWithGuardians();
    // A consent granted twice and withdrawn, among the three granted below.
    const consentId = await secondVersion(pupil, first);
    const a1 = await guardian(first);
    expect(await call('POST', `/v1/consents/${consentId}/withdraw`, a1, { reason: 'we moved' })).toMatchObject({ status: 200 });
    const soon = new Date(Date.now() + 1_500).toISOString();
    const expiring = await call('POST', '/v1/consents', a1, grantBody({ studentId: pupil, validFrom: new Date(Date.now() - 60_000).toISOString(), validUntil: soon }));
    const toPause = await call('POST', '/v1/consents', a1, grantBody({ studentId: pupil, categories: ['grades'] }));
    const active = await call('POST', '/v1/consents', await guardian(second), grantBody({ studentId: pupil, categories: ['support_needs'], recipient: { welfareAreaId: ids.welfareArea } }));
    expect([expiring.status, toPause.status, active.status]).toEqual([201, 201, 201]);
    await call('POST', `/v1/consents/${toPause.body.consentId as string}/pause`, a1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(soon) - Date.now() + 100)));

    const list = await call('GET', `/v1/students/${pupil}/consents`, a1);
    expect(list.status).toBe(200);
    expect(list.body.studentId).toBe(pupil);
    const byId = new Map((list.body.consents as Array<Record<string, unknown>>).map((c) => [c.consentId, c]));
    expect(byId.size).toBe(4);
    expect(byId.get(consentId)).toMatchObject({ status: 'withdrawn', version: 2, categories: ['absences'], grantedBy: { kind: 'guardian', id: first } });
    expect(byId.get(expiring.body.consentId)).toMatchObject({ status: 'expired', version: 1, validUntil: soon });
    expect(byId.get(toPause.body.consentId)).toMatchObject({ status: 'paused', categories: ['grades'] });
    expect(byId.get(active.body.consentId)).toMatchObject({
      status: 'active',
      version: 1,
      categories: ['support_needs'],
      recipient: { welfareAreaId: ids.welfareArea },
      purpose: 'follow-up of absences with the school curator',
      grantedBy: { kind: 'guardian', id: second },
    });

    // The student sees their own consents even without capacity; others see none.
    expect((await call('GET', `/v1/students/${pupil}/consents`, await student(pupil))).status).toBe(200);
    expectProblem(await call('GET', `/v1/students/${pupil}/consents`, await guardian(ids.outsider)), 403, 'not_a_guardian');
    expectProblem(await call('GET', `/v1/students/${pupil}/consents`, await student(ids.studentC)), 403, 'not_the_student');
    expectProblem(await call('GET', `/v1/students/${pupil}/consents`, await token('curator', 'p-1', `welfare-area:${ids.welfareArea}`)), 403, 'forbidden_role');
  });

  it('answers bad input with a problem and writes nothing', async () => {
    const a1 = await guardian(ids.guardianA1);
    // A consent of the test's own, to pause with a body it does not take.
    const granted = await call('POST', '/v1/consents', a1, grantBody());
    expect(granted.status).toBe(201);
    const consentId = granted.body.consentId as string;
    const before = await storedCount();
    const expired = await consent.token('guardian', ids.guardianA1, undefined, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const otherSecret = await consent.token('guardian', ids.guardianA1, undefined, { secret: randomBytes(32).toString('hex') });
    const cases: Array<[string, Promise<Answer>, number, string]> = [
      ['extra field', call('POST', '/v1/consents', a1, grantBody({ scope: 'everything' })), 400, 'invalid_request'],
      ['extra recipient field', call('POST', '/v1/consents', a1, grantBody({ recipient: { welfareAreaId: ids.welfareArea, team: 'x' } })), 400, 'invalid_request'],
      ['unknown category', call('POST', '/v1/consents', a1, grantBody({ categories: ['absences', 'diary'] })), 400, 'invalid_request'],
      ['no categories', call('POST', '/v1/consents', a1, grantBody({ categories: [] })), 400, 'invalid_request'],
      ['unknown role', call('POST', '/v1/consents', a1, grantBody({ recipient: { welfareAreaId: ids.welfareArea, roles: ['teacher'] } })), 400, 'invalid_request'],
      ['missing purpose', call('POST', '/v1/consents', a1, grantBody({ purpose: undefined })), 400, 'invalid_request'],
      ['validUntil before validFrom', call('POST', '/v1/consents', a1, grantBody({ validFrom: '2027-01-01T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' })), 400, 'invalid_request'],
      ['validUntil already passed', call('POST', '/v1/consents', a1, grantBody({ validUntil: '2020-01-01T00:00:00Z' })), 400, 'invalid_validity_period'],
      ['date without time zone', call('POST', '/v1/consents', a1, grantBody({ validUntil: '2030-01-01T00:00:00' })), 400, 'invalid_request'],
      ['malformed consent id', call('POST', '/v1/consents', a1, grantBody({ consentId: '../etc' })), 400, 'invalid_request'],
      ['not JSON', call('POST', '/v1/consents', a1, '{"studentId": '), 400, 'bad_request'],
      ['extra field on pause', call('POST', `/v1/consents/${consentId}/pause`, a1, { now: true }), 400, 'invalid_request'],
      ['malformed path id', call('POST', '/v1/consents/bad%20id/withdraw', a1), 400, 'invalid_request'],
      ['wrong role', call('POST', '/v1/consents', await token('curator', 'p-1', `welfare-area:${ids.welfareArea}`), grantBody()), 403, 'forbidden_role'],
      ['no token', call('POST', '/v1/consents', undefined, grantBody()), 401, 'unauthenticated'],
      ['malformed token', call('POST', '/v1/consents', 'not.a.jwt', grantBody()), 401, 'invalid_token'],
      ['expired token', call('POST', '/v1/consents', expired, grantBody()), 401, 'invalid_token'],
      ['token signed with another key', call('POST', '/v1/consents', otherSecret, grantBody()), 401, 'invalid_token'],
    ];
    for (const [name, answer, status, code] of cases) {
      const result = await answer;
      try {
        expectProblem(result, status, code);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    }
    const extra = await call('POST', '/v1/consents', a1, grantBody({ scope: 'everything' }));
    expect(extra.body.detail).toContain('scope');
    expect(await storedCount()).toBe(before);
  });

  it('publishes every change to silta.consent.v1, keyed by student, valid against its contract', async () => {
    // A consent of the test's own through every change: granted, paused, resumed, withdrawn.
    const a1 = await guardian(ids.guardianA1);
    const granted = await call('POST', '/v1/consents', a1, grantBody());
    expect(granted.status).toBe(201);
    for (const change of ['pause', 'resume', 'withdraw']) {
      expect(await call('POST', `/v1/consents/${granted.body.consentId as string}/${change}`, a1, {})).toMatchObject({ status: 200 });
    }
    const stored = (await store.readAll()).filter((e) => e.streamId.startsWith('consent-'));
    const storedIds = new Set(stored.map((e) => e.id));
    const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
    const ours = (messages: KafkaMessage[]) => messages.filter((m) => storedIds.has(header(m, MessageHeaders.eventId) ?? ''));
    const messages = ours(await readTopic(kafka, Topics.consent, (all) => new Set(ours(all).map((m) => header(m, MessageHeaders.eventId))).size >= stored.length));

    for (const event of stored) {
      const message = messages.find((m) => header(m, MessageHeaders.eventId) === event.id);
      expect(message).toBeDefined();
      expect(header(message!, MessageHeaders.eventType)).toBe(event.type);
      expect(header(message!, MessageHeaders.schemaVersion)).toBe('1');
      const payload = JSON.parse(message!.value!.toString()) as { studentId: string; consentId: string };
      const validation = consentRegistry.validate(event.type, 1, payload);
      expect(validation.ok ? 'valid' : validation.error).toBe('valid');
      expect(message!.key?.toString()).toBe(payload.studentId);
      expect(payload.consentId).toBe((event.data as { consentId: string }).consentId);
    }
    expect(new Set(messages.map((m) => header(m, MessageHeaders.eventType)))).toEqual(new Set(['ConsentGranted', 'ConsentPaused', 'ConsentResumed', 'ConsentWithdrawn']));
  });

  describe("guardian visibility (a minor's confidentiality)", () => {
    const path = (studentId: string) => `/v1/students/${studentId}/guardian-visibility`;
    const area = () => `welfare-area:${ids.welfareArea}`;
    const confidentiality = (studentId: string) => store.readStream(`confidentiality-${studentId}`);
    /** A student of the test's own at the school, whom roster's standing does not hold. */
    const freshStudent = async () => (await consent.enrol(ids.school)).studentId;

    async function expectTokenNamesLastDeclaration(answer: Answer, studentId: string) {
      const last = (await confidentiality(studentId)).at(-1)!;
      expect(decodePositionToken(answer.body.positionToken as string)).toEqual({ service: 'consent', eventId: last.id });
      return last;
    }

    it('lets the student forbid their guardians to see curator and psychologist disclosures, and see what they declared', async () => {
      const pupil = await freshStudent();
      const answer = await call('PUT', path(pupil), await student(pupil), { hiddenRoles: ['psychologist', 'curator'] });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ studentId: pupil, hiddenRoles: ['curator', 'psychologist'], positionToken: expect.any(String) });
      const last = await expectTokenNamesLastDeclaration(answer, pupil);
      expect(last).toMatchObject({
        type: 'GuardianVisibilityRestricted',
        data: { studentId: pupil, roles: ['curator', 'psychologist'], declaredBy: { kind: 'student', id: pupil } },
      });

      const read = await call('GET', path(pupil), await student(pupil));
      expect(read).toMatchObject({
        status: 200,
        body: { studentId: pupil, hiddenRoles: ['curator', 'psychologist'], declaredBy: { kind: 'student', id: pupil }, changedAt: expect.any(String) },
      });
    });

    it("records a curator or psychologist declaring on the student's behalf as such", async () => {
      const pupil = await freshStudent();
      const answer = await call('PUT', path(pupil), await token('curator', 'p-curator', area()), { hiddenRoles: ['curator'] });
      expect(answer).toMatchObject({ status: 200, body: { studentId: pupil, hiddenRoles: ['curator'] } });
      const last = await expectTokenNamesLastDeclaration(answer, pupil);
      expect(last.data).toEqual({
        studentId: pupil,
        roles: ['curator'],
        declaredBy: { kind: 'professional', id: 'p-curator', role: 'curator', org: area() },
        at: expect.any(String),
      });

      // The student sees that a professional declared it for them.
      const read = await call('GET', path(pupil), await student(pupil));
      expect(read.body).toMatchObject({ hiddenRoles: ['curator'], declaredBy: { kind: 'professional', id: 'p-curator', role: 'curator' } });
      const byPsychologist = await call('GET', path(pupil), await token('psychologist', 'p-psychologist', area()));
      expect(byPsychologist).toMatchObject({ status: 200, body: { hiddenRoles: ['curator'] } });
    });

    it('restores what guardians see with an empty set', async () => {
      const [pupil, untouched] = [await freshStudent(), await freshStudent()];
      const answer = await call('PUT', path(pupil), await student(pupil), { hiddenRoles: [] });
      expect(answer).toMatchObject({ status: 200, body: { studentId: pupil, hiddenRoles: [] } });
      const last = await expectTokenNamesLastDeclaration(answer, pupil);
      expect(last).toMatchObject({ type: 'GuardianVisibilityRestored', data: { declaredBy: { kind: 'student', id: pupil } } });
      const fresh = await call('GET', path(untouched), await student(untouched));
      expect(fresh).toMatchObject({ status: 200, body: { studentId: untouched, hiddenRoles: [] } });
      expect(fresh.body).not.toHaveProperty('declaredBy');
    });

    it('refuses guardians, other students and other roles, and writes nothing', async () => {
      const [pupil, linked] = await minorWithGuardians();
      expect(await call('PUT', path(pupil), await student(pupil), { hiddenRoles: ['curator'] })).toMatchObject({ status: 200 });
      const before = await storedCount();
      const cases: Array<[string, Promise<Answer>, number, string]> = [
        ['guardian changing', call('PUT', path(pupil), await guardian(linked), { hiddenRoles: [] }), 403, 'forbidden_role'],
        ['guardian reading', call('GET', path(pupil), await guardian(linked)), 403, 'forbidden_role'],
        ['another student changing', call('PUT', path(pupil), await student(ids.studentC), { hiddenRoles: [] }), 403, 'not_the_student'],
        ['another student reading', call('GET', path(pupil), await student(ids.studentC)), 403, 'not_the_student'],
        ['a nurse assigned nowhere', call('PUT', path(pupil), await token('nurse', 'p-nurse', area()), { hiddenRoles: [] }), 403, 'not_assigned_to_student'],
        ['a school admin', call('PUT', path(pupil), await token('school_admin', 'p-admin', 'municipality:vantaa'), { hiddenRoles: [] }), 403, 'forbidden_role'],
        ['a curator of no welfare area', call('PUT', path(pupil), await token('curator', 'p-x', 'municipality:vantaa'), { hiddenRoles: [] }), 403, 'other_organisation'],
        ['a student the roster does not know', call('PUT', path(uniqueName('nobody')), await token('curator', 'p-curator', area()), { hiddenRoles: ['curator'] }), 403, 'not_assigned_to_student'],
      ];
      for (const [name, answer, status, code] of cases) {
        const result = await answer;
        try {
          expectProblem(result, status, code);
        } catch (error) {
          throw new Error(`${name}: ${(error as Error).message}`);
        }
      }
      expect(await storedCount()).toBe(before);
      expect((await call('GET', path(pupil), await student(pupil))).body).toMatchObject({ hiddenRoles: ['curator'] });
    });

    it('answers bad input with 400 and writes nothing', async () => {
      const own = await student(ids.studentA);
      const before = await storedCount();
      const cases: Array<[string, Promise<Answer>]> = [
        ['no body', call('PUT', path(ids.studentA), own)],
        ['no hiddenRoles', call('PUT', path(ids.studentA), own, {})],
        ['a role that cannot be hidden', call('PUT', path(ids.studentA), own, { hiddenRoles: ['teacher'] })],
        ['a repeated role', call('PUT', path(ids.studentA), own, { hiddenRoles: ['curator', 'curator'] })],
        ['not a list', call('PUT', path(ids.studentA), own, { hiddenRoles: 'curator' })],
        ['an extra field', call('PUT', path(ids.studentA), own, { hiddenRoles: [], declaredBy: 'guardian' })],
        ['a malformed student id', call('PUT', path('bad%20id'), own, { hiddenRoles: [] })],
      ];
      for (const [name, answer] of cases) {
        const result = await answer;
        try {
          expectProblem(result, 400, 'invalid_request');
        } catch (error) {
          throw new Error(`${name}: ${(error as Error).message}`);
        }
      }
      expect(await storedCount()).toBe(before);
    });

    it('publishes each declaration as GuardianVisibilityChanged, keyed by student, valid against its contract', async () => {
      // The test's own declarations: a student's, a curator's on their behalf, and another student's restoring.
      const [pupil, restorer] = [await freshStudent(), await freshStudent()];
      const declarationIds: string[] = [];
      for (const [studentId, bearer, hiddenRoles] of [
        [pupil, await student(pupil), ['psychologist', 'curator']],
        [pupil, await token('curator', 'p-curator', area()), ['curator']],
        [restorer, await student(restorer), []],
      ] as const) {
        const answer = await call('PUT', path(studentId), bearer, { hiddenRoles });
        expect(answer.status).toBe(200);
        declarationIds.push((await expectTokenNamesLastDeclaration(answer, studentId)).id);
      }
      const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
      const ours = (messages: KafkaMessage[]) => messages.filter((m) => declarationIds.includes(header(m, MessageHeaders.eventId) ?? ''));
      const messages = ours(await readTopic(kafka, Topics.consent, (all) => ours(all).length >= declarationIds.length));

      const payloads = declarationIds.map((eventId) => {
        const message = messages.find((m) => header(m, MessageHeaders.eventId) === eventId)!;
        expect(header(message, MessageHeaders.eventType)).toBe('GuardianVisibilityChanged');
        const payload = JSON.parse(message.value!.toString()) as { studentId: string };
        const validation = consentRegistry.validate('GuardianVisibilityChanged', 1, payload);
        expect(validation.ok ? 'valid' : validation.error).toBe('valid');
        expect(message.key?.toString()).toBe(payload.studentId);
        return payload;
      });
      expect(payloads).toEqual([
        { studentId: pupil, hiddenRoles: ['curator', 'psychologist'], declaredBy: { kind: 'student', id: pupil }, changedAt: expect.any(String) },
        { studentId: pupil, hiddenRoles: ['curator'], declaredBy: { kind: 'professional', id: 'p-curator' }, changedAt: expect.any(String) },
        { studentId: restorer, hiddenRoles: [], declaredBy: { kind: 'student', id: restorer }, changedAt: expect.any(String) },
      ]);
    });
  });

  it('documents the endpoints and who may call them in /openapi.json', async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-roles': string[] }>> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/consents', '/v1/consents/{consentId}/withdraw', '/v1/consents/{consentId}/pause', '/v1/consents/{consentId}/resume', '/v1/students/{studentId}/consents']),
    );
    expect(document.paths['/v1/consents']!.post!['x-roles']).toEqual(['guardian', 'student']);
    expect(document.paths['/v1/students/{studentId}/guardian-visibility']!.put!['x-roles']).toEqual(['student', 'curator', 'psychologist', 'nurse', 'doctor']);
    expect(document.paths['/v1/students/{studentId}/guardian-visibility']!.get!['x-roles']).toEqual(['student', 'curator', 'psychologist', 'nurse', 'doctor']);
    // A curator is let in to be refused not_a_health_professional by the domain.
    expect(document.paths['/v1/students/{studentId}/guardian-visibility/assessment']!.post!['x-roles']).toEqual(['nurse', 'doctor', 'psychologist', 'curator']);
  });

  it('answers 502 roster_unavailable to grant, resume and a guardian\'s list with roster down, appending nothing; pause and withdraw still work', async () => {
    const [pupil, first, second] = await minorWithGuardians();
    const { studentId: adult } = await consent.enrol(ids.school, { standing: standings.adult });
    const a1 = await guardian(first);
    const granted = await call('POST', '/v1/consents', a1, grantBody({ studentId: pupil }));
    expect(granted.status).toBe(201);
    const id = granted.body.consentId as string;
    // Tokens are signed before roster goes down: only roster is missing below.
    const [adultsOwn, seconds, pupilsOwn] = [await student(adult), await guardian(second), await student(pupil)];

    await consent.withRosterDown(async () => {
      const before = await storedCount();
      expectProblem(await call('POST', '/v1/consents', a1, grantBody({ studentId: pupil })), 502, 'roster_unavailable');
      expectProblem(await call('POST', '/v1/consents', adultsOwn, grantBody({ studentId: adult })), 502, 'roster_unavailable');
      expectProblem(await call('GET', `/v1/students/${pupil}/consents`, a1), 502, 'roster_unavailable');
      expect(await storedCount()).toBe(before);

      expect(await call('POST', `/v1/consents/${id}/pause`, a1, {})).toMatchObject({ status: 200, body: { status: 'paused' } });
      const paused = await storedCount();
      expectProblem(await call('POST', `/v1/consents/${id}/resume`, a1, {}), 502, 'roster_unavailable');
      expect(await storedCount()).toBe(paused);
      expect(await call('POST', `/v1/consents/${id}/withdraw`, seconds, {})).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
      // The student's own list needs no birth date.
      expect(await call('GET', `/v1/students/${pupil}/consents`, pupilsOwn)).toMatchObject({ status: 200 });
    });
  });
});
