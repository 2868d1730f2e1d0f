import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { EventStore } from '@silta/event-store';
import { EVENT_STORE, signInternalToken, signUserToken, type Role } from '@silta/platform';
import { createTestDatabase, serviceKafkaEnv, type TestDatabase } from '@silta/testing';

/**
 * Roster on the real PostgreSQL and Kafka broker: the student's form of education (issue 12 item 7),
 * set at enrolment or later by the school admin of the student's own municipality, and read by
 * disclosure and consent (never the records: see roster.int.spec) through the internal standing
 * endpoint. Every refusal writes nothing.
 */
describe("roster: the student's form of education and standing", () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipality = id('vantaa');
  const otherMunicipality = id('helsinki');
  const welfareArea = id('itu-uusimaa');
  const [school, otherSchool, student, adult, otherStudent] = ['school-a', 'school-h', 'student', 'adult', 'student-h'].map(id);

  const jwtSecret = randomBytes(32).toString('base64url');
  const internalSecret = randomBytes(32).toString('base64url');
  const savedEnv = { ...process.env };
  let database: TestDatabase;
  let app: INestApplication;
  let url: string;
  let store: EventStore;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase('silta_roster_education');
    Object.assign(process.env, { DATABASE_URL: database.url, ...serviceKafkaEnv('roster'), JWT_SECRET: jwtSecret, INTERNAL_TOKEN_SECRET: internalSecret, PORT: '0' });
    const { RosterModule } = await import('../roster.module');
    app = await NestFactory.create(RosterModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    store = app.get<EventStore>(EVENT_STORE);

    const user = (sub: string, role: Role, org: string) => signUserToken({ sub, role, org }, { secret: jwtSecret, issuer: 'silta-local', audience: 'silta' });
    token.admin = await user(id('admin'), 'school_admin', `municipality:${municipality}`);
    token.sis = await user(id('sis'), 'sis', `municipality:${municipality}`);
    token.otherAdmin = await user(id('other-admin'), 'school_admin', `municipality:${otherMunicipality}`);
    token.welfareAdmin = await user(id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`);
    token.curator = await user(id('curator'), 'curator', `welfare-area:${welfareArea}`);
    token.disclosure = await signInternalToken(internalSecret, 'disclosure');

    for (const [bearer, schoolId] of [[token.admin, school], [token.otherAdmin, otherSchool]] as const) {
      expect((await call('POST', '/v1/schools', bearer, { schoolId, name: 'Koulu' })).status).toBe(201);
    }
    expect((await call('POST', '/v1/students', token.otherAdmin, { studentId: otherStudent, schoolId: otherSchool, name: 'Helmi', birthDate: '2012-05-06', group: '8B' })).status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    process.env = savedEnv;
  });

  async function call(method: string, path: string, bearer: string | undefined, body?: unknown): Promise<{ status: number; contentType: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = {};
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  }
  const eventCount = async () => (await store.readAll()).length;
  const setEducation = (bearer: string, studentId: string, body: unknown) => call('PUT', `/v1/students/${studentId}/education`, bearer, body);
  const standingAs = (bearer: string | undefined, studentId: string) => call('GET', `/internal/v1/students/${studentId}/standing`, bearer);

  /** Each case is refused with its status and code, as problem+json, and nothing is appended. */
  async function expectRefusedWritingNothing(cases: Array<[string, () => ReturnType<typeof call>, number, string]>): Promise<void> {
    for (const [what, send, status, code] of cases) {
      const before = await eventCount();
      const answer = await send();
      expect({ what, status: answer.status, code: answer.body?.code }).toEqual({ what, status, code });
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect({ what, written: (await eventCount()) - before }).toEqual({ what, written: 0 });
    }
  }

  it('enrolls a student in basic education, not in compulsory education, when the enrolment names neither', async () => {
    expect(await call('POST', '/v1/students', token.sis, { studentId: student, schoolId: school, name: 'Aino', birthDate: '2012-05-06', group: '8B' })).toMatchObject({ status: 201 });

    expect(await standingAs(token.disclosure, student)).toMatchObject({
      status: 200,
      body: { birthDate: '2012-05-06', educationForm: 'basic_education', inCompulsoryEducation: false },
    });
  });

  it('records the form of education an enrolment names, and refuses one it does not know, writing nothing', async () => {
    const body = { studentId: adult, schoolId: school, name: 'Aikuinen', birthDate: '2009-09-09', group: 'AL1', educationForm: 'adult_upper_secondary', inCompulsoryEducation: true };
    await expectRefusedWritingNothing([
      ['an unknown form of education', () => call('POST', '/v1/students', token.admin, { ...body, educationForm: 'university' }), 400, 'invalid_request'],
      ['compulsory education as a string', () => call('POST', '/v1/students', token.admin, { ...body, inCompulsoryEducation: 'yes' }), 400, 'invalid_request'],
    ]);

    expect(await call('POST', '/v1/students', token.admin, body)).toMatchObject({ status: 201 });

    expect((await store.readStream(`student-${adult}`))[0]).toMatchObject({ type: 'StudentEnrolled', data: { educationForm: 'adult_upper_secondary', inCompulsoryEducation: true } });
    expect((await standingAs(token.disclosure, adult)).body).toEqual({ birthDate: '2009-09-09', educationForm: 'adult_upper_secondary', inCompulsoryEducation: true });
  });

  it("lets the school admin of the student's municipality set the form of education; the same values again write nothing", async () => {
    const set = await setEducation(token.admin, student, { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false });

    expect(set).toMatchObject({ status: 200, body: { studentId: student, educationForm: 'adult_upper_secondary', inCompulsoryEducation: false } });
    expect((await store.readStream(`student-${student}`)).at(-1)).toMatchObject({
      type: 'StudentEducationSet',
      data: { studentId: student, educationForm: 'adult_upper_secondary', inCompulsoryEducation: false, setAt: expect.any(String) },
      metadata: { actor: id('admin') },
    });
    expect((await standingAs(token.disclosure, student)).body).toEqual({ birthDate: '2012-05-06', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false });

    const before = await eventCount();
    expect(await setEducation(token.admin, student, { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false })).toMatchObject({ status: 200 });
    expect(await eventCount()).toBe(before);

    expect(await setEducation(token.admin, student, { educationForm: 'adult_upper_secondary', inCompulsoryEducation: true })).toMatchObject({ status: 200 });
    expect((await standingAs(token.disclosure, student)).body).toMatchObject({ inCompulsoryEducation: true });
  });

  it("refuses the form of education to anyone but an admin of the student's own municipality, and odd bodies, writing nothing", async () => {
    const body = { educationForm: 'basic_education', inCompulsoryEducation: false };
    await expectRefusedWritingNothing([
      ["another municipality's admin", () => setEducation(token.otherAdmin, student, body), 403, 'other_organisation'],
      ["this municipality's admin, for another municipality's student", () => setEducation(token.admin, otherStudent, body), 403, 'other_organisation'],
      ["the municipality's SIS", () => setEducation(token.sis, student, body), 403, 'forbidden_role'],
      ['a curator of the welfare area', () => setEducation(token.curator, student, body), 403, 'forbidden_role'],
      ['a welfare admin', () => setEducation(token.welfareAdmin, student, body), 403, 'forbidden_role'],
      ['no token', () => call('PUT', `/v1/students/${student}/education`, undefined, body), 401, 'unauthenticated'],
      ['an unknown student', () => setEducation(token.admin, id('nobody'), body), 404, 'student_not_found'],
      ['an unknown form of education', () => setEducation(token.admin, student, { ...body, educationForm: 'university' }), 400, 'invalid_request'],
      ['no form of education', () => setEducation(token.admin, student, { inCompulsoryEducation: false }), 400, 'invalid_request'],
      ['no compulsory education', () => setEducation(token.admin, student, { educationForm: 'basic_education' }), 400, 'invalid_request'],
      ['compulsory education as a string', () => setEducation(token.admin, student, { ...body, inCompulsoryEducation: 'true' }), 400, 'invalid_request'],
      ['an extra field', () => setEducation(token.admin, student, { ...body, since: '2026-01-01' }), 400, 'invalid_request'],
      ['an odd student id', () => setEducation(token.admin, encodeURIComponent('a b'), body), 400, 'invalid_request'],
    ]);
    const unknown = await setEducation(token.admin, student, { ...body, educationForm: 'university' });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'educationForm' })]);
  });

  it("answers the standing to consent's service token too: consent needs the birth date to know who may grant", async () => {
    expect(await standingAs(await signInternalToken(internalSecret, 'consent'), student)).toMatchObject({
      status: 200,
      body: { birthDate: '2012-05-06' },
    });
  });

  it("answers the standing to disclosure's and consent's service tokens only", async () => {
    await expectRefusedWritingNothing([
      ["the school admin's user token", () => standingAs(token.admin, student), 401, 'invalid_token'],
      ["a curator's user token", () => standingAs(token.curator, student), 401, 'invalid_token'],
      ['no token', () => standingAs(undefined, student), 401, 'unauthenticated'],
      ["receipts' service token", async () => standingAs(await signInternalToken(internalSecret, 'receipts'), student), 403, 'forbidden_caller'],
      ["disclosure's token for consent's internal endpoints", async () => standingAs(await signInternalToken(internalSecret, 'disclosure', { audience: 'consent' }), student), 401, 'invalid_token'],
      ['a token signed with another secret', async () => standingAs(await signInternalToken('x'.repeat(40), 'disclosure'), student), 401, 'invalid_token'],
      ['a student roster does not hold', () => standingAs(token.disclosure, id('nobody')), 404, 'student_not_found'],
      ['an odd student id', () => standingAs(token.disclosure, encodeURIComponent('a b')), 400, 'invalid_request'],
    ]);
  });
});
