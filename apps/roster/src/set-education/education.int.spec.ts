import { randomUUID } from 'node:crypto';
import type { EventStore } from '@silta/event-store';
import { signInternalToken } from '@silta/platform';
import { startRoster, type RosterIntFixture } from '../testing/roster-int-fixture';

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

  let roster: RosterIntFixture;
  let store: EventStore;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    roster = await startRoster('roster_education');
    ({ store } = roster);
    token.admin = await roster.user(id('admin'), 'school_admin', `municipality:${municipality}`);
    token.sis = await roster.user(id('sis'), 'sis', `municipality:${municipality}`);
    token.otherAdmin = await roster.user(id('other-admin'), 'school_admin', `municipality:${otherMunicipality}`);
    token.welfareAdmin = await roster.user(id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`);
    token.curator = await roster.user(id('curator'), 'curator', `welfare-area:${welfareArea}`);
    token.disclosure = await roster.service('disclosure');

    for (const [bearer, schoolId] of [[token.admin, school], [token.otherAdmin, otherSchool]] as const) {
      expect((await call('POST', '/v1/schools', bearer, { schoolId, name: 'Koulu' })).status).toBe(201);
    }
    expect((await call('POST', '/v1/students', token.otherAdmin, { studentId: otherStudent, schoolId: otherSchool, name: 'Helmi', birthDate: '2012-05-06', group: '8B' })).status).toBe(201);
  });

  afterAll(() => roster?.close());

  const call = (method: string, path: string, bearer: string | undefined, body?: unknown) => roster.call(method, path, bearer, body);
  const eventCount = () => roster.eventCount();
  const expectRefusedWritingNothing: RosterIntFixture['expectRefusedWritingNothing'] = (cases) => roster.expectRefusedWritingNothing(cases);

  const setEducation = (bearer: string, studentId: string, body: unknown) => call('PUT', `/v1/students/${studentId}/education`, bearer, body);
  const standingAs = (bearer: string | undefined, studentId: string) => call('GET', `/internal/v1/students/${studentId}/standing`, bearer);

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
    expect(await standingAs(await roster.service('consent'), student)).toMatchObject({
      status: 200,
      body: { birthDate: '2012-05-06' },
    });
  });

  it("answers the standing to disclosure's and consent's service tokens only", async () => {
    await expectRefusedWritingNothing([
      ["the school admin's user token", () => standingAs(token.admin, student), 401, 'invalid_token'],
      ["a curator's user token", () => standingAs(token.curator, student), 401, 'invalid_token'],
      ['no token', () => standingAs(undefined, student), 401, 'unauthenticated'],
      ["receipts' service token", async () => standingAs(await roster.service('receipts'), student), 403, 'forbidden_caller'],
      ["disclosure's token for consent's internal endpoints", async () => standingAs(await roster.service('disclosure', { audience: 'consent' }), student), 401, 'invalid_token'],
      ['a token signed with another secret', async () => standingAs(await signInternalToken('x'.repeat(40), 'disclosure'), student), 401, 'invalid_token'],
      ['a student roster does not hold', () => standingAs(token.disclosure, id('nobody')), 404, 'student_not_found'],
      ['an odd student id', () => standingAs(token.disclosure, encodeURIComponent('a b')), 400, 'invalid_request'],
    ]);
  });
});
