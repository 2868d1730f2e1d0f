import { randomUUID } from 'node:crypto';
import type { EventStore } from '@silta/event-store';
import { ownIds, startRoster, type RosterIntFixture } from '../testing/roster-int-fixture';

/**
 * Roster on the real PostgreSQL and Kafka broker: the service relation (which welfare area serves
 * which school, declared by the school's municipality; issue 10 item 6), who may ingest records
 * (the SIS only; item 10), and that the right role of another municipality reaches none of this
 * municipality's students or schools (DESIGN.md §6.8). Every refusal writes nothing.
 */
describe('roster: the service relation and object-level scope', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipality = id('vantaa');
  const otherMunicipality = id('helsinki');
  const welfareArea = id('itu-uusimaa');
  const otherArea = id('keski-uusimaa');

  let roster: RosterIntFixture;
  let store: EventStore;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    roster = await startRoster('roster_service');
    ({ store } = roster);
    token.admin = await roster.user(id('admin'), 'school_admin', `municipality:${municipality}`);
    token.sis = await roster.user(id('sis'), 'sis', `municipality:${municipality}`);
    token.otherAdmin = await roster.user(id('other-admin'), 'school_admin', `municipality:${otherMunicipality}`);
    token.otherSis = await roster.user(id('other-sis'), 'sis', `municipality:${otherMunicipality}`);
    token.welfareAdmin = await roster.user(id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`);
    token.otherWelfareAdmin = await roster.user(id('other-wadmin'), 'welfare_admin', `welfare-area:${otherArea}`);
  });

  afterAll(() => roster?.close());

  const call = (method: string, path: string, bearer: string, body?: unknown) => roster.call(method, path, bearer, body);
  const eventCount = () => roster.eventCount();
  const expectRefusedWritingNothing: RosterIntFixture['expectRefusedWritingNothing'] = (cases) => roster.expectRefusedWritingNothing(cases);

  const assignment = (schoolId: string, overrides: Record<string, unknown> = {}) => ({
    assignmentId: id(`a-${randomUUID().slice(0, 4)}`),
    professionalId: id('curator'),
    role: 'curator',
    welfareAreaId: welfareArea,
    schoolId,
    validFrom: '2026-01-01',
    ...overrides,
  });

  /**
   * A test's own schools and students: two schools of the municipality (no welfare area declared to
   * serve either), a student at the first with a guardian, and another municipality's school and student.
   */
  async function schoolsAndStudents() {
    const own = ownIds();
    const [school, secondSchool, otherSchool, student, otherStudent, guardian] = ['school-a', 'school-b', 'school-h', 'student', 'student-h', 'guardian'].map(own.id);
    for (const [bearer, schoolId] of [[token.admin!, school], [token.admin!, secondSchool], [token.otherAdmin!, otherSchool]] as const) {
      await roster.registerSchool(bearer, schoolId);
    }
    await roster.enroll(token.sis!, { studentId: student, schoolId: school, name: 'Aino', birthDate: '2012-05-06', group: '8B' });
    await roster.enroll(token.otherSis!, { studentId: otherStudent, schoolId: otherSchool, name: 'Helmi', birthDate: '2012-05-06', group: '8B' });
    expect((await call('POST', `/v1/students/${student}/guardians`, token.admin!, { guardianId: guardian, name: 'Ilona', contact: { phone: '+358 40 123 4567' } })).status).toBe(201);
    return { own, school, secondSchool, otherSchool, student, otherStudent, guardian };
  }

  it('refuses an assignment to a school no welfare area has been declared to serve, writing nothing', async () => {
    const { school } = await schoolsAndStudents();
    await expectRefusedWritingNothing([['undeclared school', () => call('POST', '/v1/assignments', token.welfareAdmin!, assignment(school)), 409, 'school_not_served']]);
  });

  it("lets the school's own municipality declare the welfare area that serves it, and then only that area assign there", async () => {
    const { school, otherSchool } = await schoolsAndStudents();
    const declared = await call('PUT', `/v1/schools/${school}/service`, token.admin!, { welfareAreaId: welfareArea });
    expect(declared).toMatchObject({ status: 200, body: { schoolId: school, welfareAreaId: welfareArea } });
    expect((await store.readStream(`school-${school}`)).map((e) => [e.type, e.data])).toEqual([
      ['SchoolRegistered', expect.anything()],
      ['SchoolServiceDeclared', { schoolId: school, municipalityId: municipality, welfareAreaId: welfareArea, declaredAt: expect.any(String) }],
    ]);

    expect(await call('POST', '/v1/assignments', token.welfareAdmin!, assignment(school))).toMatchObject({ status: 201 });
    await expectRefusedWritingNothing([
      // Issue 10 item 6, as seen live: another welfare area's admin assigning its own curator to this municipality's school.
      ['another welfare area assigning its own curator', () => call('POST', '/v1/assignments', token.otherWelfareAdmin!, assignment(school, { welfareAreaId: otherArea })), 409, 'school_not_served'],
      ["a school of another municipality that this area does not serve", () => call('POST', '/v1/assignments', token.welfareAdmin!, assignment(otherSchool)), 409, 'school_not_served'],
    ]);
  });

  it('replaces the declaration with the newest, and a repeated declaration writes nothing', async () => {
    const { secondSchool } = await schoolsAndStudents();
    expect(await call('PUT', `/v1/schools/${secondSchool}/service`, token.admin!, { welfareAreaId: otherArea })).toMatchObject({ status: 200 });
    expect(await call('POST', '/v1/assignments', token.otherWelfareAdmin!, assignment(secondSchool, { welfareAreaId: otherArea }))).toMatchObject({ status: 201 });
    expect(await call('PUT', `/v1/schools/${secondSchool}/service`, token.admin!, { welfareAreaId: welfareArea })).toMatchObject({ status: 200 });
    await expectRefusedWritingNothing([
      ['the area that no longer serves the school', () => call('POST', '/v1/assignments', token.otherWelfareAdmin!, assignment(secondSchool, { welfareAreaId: otherArea })), 409, 'school_not_served'],
    ]);
    expect(await call('POST', '/v1/assignments', token.welfareAdmin!, assignment(secondSchool))).toMatchObject({ status: 201 });

    const before = await eventCount();
    expect(await call('PUT', `/v1/schools/${secondSchool}/service`, token.admin!, { welfareAreaId: welfareArea })).toMatchObject({ status: 200 });
    expect(await eventCount()).toBe(before);
  });

  it("refuses the declaration to anyone but an admin of the school's own municipality, writing nothing", async () => {
    const { own, school } = await schoolsAndStudents();
    await expectRefusedWritingNothing([
      ["another municipality's admin", () => call('PUT', `/v1/schools/${school}/service`, token.otherAdmin!, { welfareAreaId: otherArea }), 403, 'other_organisation'],
      ["the municipality's SIS", () => call('PUT', `/v1/schools/${school}/service`, token.sis!, { welfareAreaId: otherArea }), 403, 'forbidden_role'],
      ['a welfare admin claiming a school', () => call('PUT', `/v1/schools/${school}/service`, token.welfareAdmin!, { welfareAreaId: welfareArea }), 403, 'forbidden_role'],
      ['an unknown school', () => call('PUT', `/v1/schools/${own.id('nowhere')}/service`, token.admin!, { welfareAreaId: welfareArea }), 404, 'school_not_found'],
      ['no welfare area', () => call('PUT', `/v1/schools/${school}/service`, token.admin!, {}), 400, 'invalid_request'],
      ['a welfare area outside the id alphabet', () => call('PUT', `/v1/schools/${school}/service`, token.admin!, { welfareAreaId: 'a\u202eb' }), 400, 'invalid_request'],
      ['a welfare area longer than the contract allows', () => call('PUT', `/v1/schools/${school}/service`, token.admin!, { welfareAreaId: 'w'.repeat(201) }), 400, 'invalid_request'],
      ['an extra field', () => call('PUT', `/v1/schools/${school}/service`, token.admin!, { welfareAreaId: welfareArea, since: '2026-01-01' }), 400, 'invalid_request'],
    ]);
  });

  it('takes education records only from the SIS', async () => {
    const { own, student } = await schoolsAndStudents();
    const record = { recordId: own.id('r-1'), category: 'detentions', date: '2026-02-02', reason: 'late' };
    await expectRefusedWritingNothing([["the municipality's school admin", () => call('POST', `/v1/students/${student}/records`, token.admin!, record), 403, 'forbidden_role']]);
    expect(await call('POST', `/v1/students/${student}/records`, token.sis!, record)).toMatchObject({ status: 201 });
  });

  it("refuses the SIS and school admin of another municipality every change to this municipality's students and schools", async () => {
    const { own, school, secondSchool, otherSchool, student, otherStudent, guardian } = await schoolsAndStudents();
    const record = { recordId: own.id('r-2'), category: 'detentions', date: '2026-02-02', reason: 'late' };
    const newStudent = { studentId: own.id('new'), schoolId: school, name: 'Uusi', birthDate: '2013-01-01', group: '7A' };
    const cases: Array<[string, () => ReturnType<typeof call>, number, string]> = [];
    for (const [who, bearer] of [['admin', token.otherAdmin!], ['SIS', token.otherSis!]] as const) {
      cases.push([`another municipality's ${who} enrolling into this municipality's school`, () => call('POST', '/v1/students', bearer, newStudent), 403, 'other_organisation']);
    }
    cases.push(
      ["another municipality's SIS ingesting for this municipality's student", () => call('POST', `/v1/students/${student}/records`, token.otherSis!, record), 403, 'other_organisation'],
      ["another municipality's admin transferring this municipality's student out", () => call('POST', `/v1/students/${student}/transfer`, token.otherAdmin!, { schoolId: otherSchool }), 403, 'other_organisation'],
      ["another municipality's admin transferring this municipality's student within it", () => call('POST', `/v1/students/${student}/transfer`, token.otherAdmin!, { schoolId: secondSchool }), 403, 'other_organisation'],
      ["another municipality's admin transferring its student into this municipality's school", () => call('POST', `/v1/students/${otherStudent}/transfer`, token.otherAdmin!, { schoolId: school }), 403, 'other_organisation'],
      ["this municipality's admin transferring its student into another municipality's school", () => call('POST', `/v1/students/${student}/transfer`, token.admin!, { schoolId: otherSchool }), 403, 'other_organisation'],
      ["another municipality's admin linking a guardian", () => call('POST', `/v1/students/${student}/guardians`, token.otherAdmin!, { guardianId: own.id('g-x'), name: 'X', contact: { phone: '+358 40 765 4321' } }), 403, 'other_organisation'],
      ["another municipality's admin unlinking a guardian", () => call('DELETE', `/v1/students/${student}/guardians/${guardian}`, token.otherAdmin!), 403, 'other_organisation'],
      ["another municipality's admin recording capacity", () => call('PUT', `/v1/students/${student}/capacity`, token.otherAdmin!, { decidesForSelf: true }), 403, 'other_organisation'],
      ["another municipality's admin activating welfare access", () => call('PUT', `/v1/students/${student}/welfare-access`, token.otherAdmin!, { active: true }), 403, 'other_organisation'],
      ["another municipality's SIS linking a guardian", () => call('POST', `/v1/students/${student}/guardians`, token.otherSis!, { guardianId: own.id('g-y'), name: 'Y', contact: { phone: '+358 40 765 4321' } }), 403, 'forbidden_role'],
    );
    await expectRefusedWritingNothing(cases);
  });
});
