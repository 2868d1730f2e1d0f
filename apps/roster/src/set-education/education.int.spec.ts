import { randomUUID } from 'node:crypto';
import type { EventStore } from '@silta/event-store';
import { signInternalToken } from '@silta/platform';
import { ownIds, startRoster, type RosterIntFixture } from '../testing/roster-int-fixture';

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
  });

  afterAll(() => roster?.close());

  const call = (method: string, path: string, bearer: string | undefined, body?: unknown) => roster.call(method, path, bearer, body);
  const eventCount = () => roster.eventCount();
  const expectRefusedWritingNothing: RosterIntFixture['expectRefusedWritingNothing'] = (cases) => roster.expectRefusedWritingNothing(cases);

  const setEducation = (bearer: string, studentId: string, body: unknown) => call('PUT', `/v1/students/${studentId}/education`, bearer, body);
  const standingAs = (bearer: string | undefined, studentId: string) => call('GET', `/internal/v1/students/${studentId}/standing`, bearer);

  /** A test's own school of the municipality. */
  async function ownSchool() {
    const own = ownIds();
    const school = own.id('school-a');
    await roster.registerSchool(token.admin!, school);
    return { own, school };
  }

  /** A test's own student, enrolled by the SIS at the test's own school without naming a form of education. */
  async function enrolledStudent() {
    const { own, school } = await ownSchool();
    const student = own.id('student');
    await roster.enroll(token.sis!, { studentId: student, schoolId: school, name: 'Aino', birthDate: '2012-05-06', group: '8B' });
    return { own, student };
  }

  it('enrolls a student in basic education, not in compulsory education, when the enrolment names neither', async () => {
    const { own, school } = await ownSchool();
    const student = own.id('student');

    expect(await call('POST', '/v1/students', token.sis, { studentId: student, schoolId: school, name: 'Aino', birthDate: '2012-05-06', group: '8B' })).toMatchObject({ status: 201 });

    expect(await standingAs(token.disclosure, student)).toMatchObject({
      status: 200,
      body: { birthDate: '2012-05-06', educationForm: 'basic_education', inCompulsoryEducation: false },
    });
  });

  it('records the form of education an enrolment names, and refuses one it does not know, writing nothing', async () => {
    const { own, school } = await ownSchool();
    const adult = own.id('adult');
    const body = { studentId: adult, schoolId: school, name: 'Aikuinen', birthDate: '2009-09-09', group: 'AL1', educationForm: 'adult_upper_secondary', inCompulsoryEducation: true };
    await expectRefusedWritingNothing([
      ['an unknown form of education', () => call('POST', '/v1/students', token.admin, { ...body, educationForm: 'university' }), 400, 'invalid_request'],
      ['compulsory education as a string', () => call('POST', '/v1/students', token.admin, { ...body, inCompulsoryEducation: 'yes' }), 400, 'invalid_request'],
    ]);

    expect(await call('POST', '/v1/students', token.admin, body)).toMatchObject({ status: 201 });

    expect((await store.readStream(`student-${adult}`))[0]).toMatchObject({ type: 'StudentEnrolled', data: { educationForm: 'adult_upper_secondary', inCompulsoryEducation: true } });
    expect((await standingAs(token.disclosure, adult)).body).toEqual({ birthDate: '2009-09-09', educationForm: 'adult_upper_secondary', inCompulsoryEducation: true, name: 'Aikuinen' });
  });

  it("lets the school admin of the student's municipality set the form of education; the same values again write nothing", async () => {
    const { student } = await enrolledStudent();
    const set = await setEducation(token.admin, student, { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false });

    expect(set).toMatchObject({ status: 200, body: { studentId: student, educationForm: 'adult_upper_secondary', inCompulsoryEducation: false } });
    expect((await store.readStream(`student-${student}`)).at(-1)).toMatchObject({
      type: 'StudentEducationSet',
      data: { studentId: student, educationForm: 'adult_upper_secondary', inCompulsoryEducation: false, setAt: expect.any(String) },
      metadata: { actor: id('admin') },
    });
    expect((await standingAs(token.disclosure, student)).body).toEqual({ birthDate: '2012-05-06', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false, name: 'Aino' });

    const before = await eventCount();
    expect(await setEducation(token.admin, student, { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false })).toMatchObject({ status: 200 });
    expect(await eventCount()).toBe(before);

    expect(await setEducation(token.admin, student, { educationForm: 'adult_upper_secondary', inCompulsoryEducation: true })).toMatchObject({ status: 200 });
    expect((await standingAs(token.disclosure, student)).body).toMatchObject({ inCompulsoryEducation: true });
  });

  it("refuses the form of education to anyone but an admin of the student's own municipality, and odd bodies, writing nothing", async () => {
    const { own, student } = await enrolledStudent();
    const [otherSchool, otherStudent] = ['school-h', 'student-h'].map(own.id);
    await roster.registerSchool(token.otherAdmin!, otherSchool);
    await roster.enroll(token.otherAdmin!, { studentId: otherStudent, schoolId: otherSchool, name: 'Helmi', birthDate: '2012-05-06', group: '8B' });
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
    const { student } = await enrolledStudent();
    expect(await standingAs(await roster.service('consent'), student)).toMatchObject({
      status: 200,
      body: { birthDate: '2012-05-06' },
    });
  });

  it("answers the standing to disclosure's and consent's service tokens only", async () => {
    const { student } = await enrolledStudent();
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
