import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { ContractRegistry, MessageHeaders, Topics, decodePositionToken, rosterContracts } from '@silta/contracts';
import { encodeEvent, type EventStore } from '@silta/event-store';
import { RelayHost, signInternalToken } from '@silta/platform';
import { eventually, readTopic, testKafka } from '@silta/testing';
import { ownIds, startRoster, type Answer, type RosterIntFixture } from './testing/roster-int-fixture';

/**
 * The roster service on the real PostgreSQL and Kafka broker, driven over HTTP as the municipality,
 * its SIS, the welfare area and disclosure would.
 */
describe('roster service', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipality = id('vantaa');
  const otherMunicipality = id('helsinki');
  const welfareArea = id('itu-uusimaa');
  const studentName = 'Aino Oppilas';

  let roster: RosterIntFixture;
  let app: INestApplication;
  let store: EventStore;
  let kafka: Kafka;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    roster = await startRoster('roster', { requestId: id('request') });
    ({ app, store } = roster);
    // This test reads roster's topic as `admin`.
    kafka = testKafka(id('roster-test'));
    token.admin = await roster.user(id('admin'), 'school_admin', `municipality:${municipality}`);
    token.sis = await roster.user(id('sis'), 'sis', `municipality:${municipality}`);
    token.otherAdmin = await roster.user(id('other-admin'), 'school_admin', `municipality:${otherMunicipality}`);
    token.otherSis = await roster.user(id('other-sis'), 'sis', `municipality:${otherMunicipality}`);
    token.welfareAdmin = await roster.user(id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`);
    token.otherWelfareAdmin = await roster.user(id('other-wadmin'), 'welfare_admin', `welfare-area:${id('other-area')}`);
    token.curator = await roster.user(id('curator'), 'curator', `welfare-area:${welfareArea}`);
    token.disclosure = await roster.service('disclosure');
  });

  afterAll(() => roster?.close());

  const call = (method: string, path: string, bearer: string | undefined, body?: unknown) => roster.call(method, path, bearer, body);
  const post = (path: string, bearer: string | undefined, body: unknown) => call('POST', path, bearer, body);
  const put = (path: string, bearer: string | undefined, body: unknown) => call('PUT', path, bearer, body);
  const remove = (path: string, bearer: string | undefined) => call('DELETE', path, bearer);
  const readRecordsAs = (bearer: string | undefined, studentId: string, categories: string) =>
    call('GET', `/internal/v1/students/${studentId}/records?categories=${categories}`, bearer);
  const readRecords = (studentId: string, categories: string) => readRecordsAs(token.disclosure, studentId, categories);
  const eventCount = () => roster.eventCount();

  /**
   * A test's own student as the municipality, its SIS and the welfare area set one up: two schools
   * of the municipality and one of another, the welfare area declared to serve the first, the
   * student enrolled there with a guardian linked, and a curator assigned to the school.
   */
  async function enrolledStudent() {
    const own = ownIds();
    const [school, secondSchool, otherSchool, student, guardian, assignment] = ['school-a', 'school-b', 'school-h', 'student', 'guardian', 'assignment'].map(own.id);
    const guardianEmail = `ilona-${own.suffix}@example.invalid`;
    const records = [
      { recordId: own.id('r1'), category: 'absences', date: '2026-02-02', hours: 2, reason: 'illness' },
      { recordId: own.id('r2'), category: 'absences', date: '2026-02-09', hours: 1 },
      { recordId: own.id('r3'), category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '8' },
      { recordId: own.id('r4'), category: 'support_needs', date: '2026-01-20', level: 'intensified', note: 'reading support' },
    ];

    await roster.registerSchool(token.admin!, school, 'Koivukylän koulu');
    await roster.registerSchool(token.admin!, secondSchool, 'Hakunilan koulu');
    await roster.registerSchool(token.otherAdmin!, otherSchool, 'Kallion koulu');
    await roster.enroll(token.sis!, { studentId: student, schoolId: school, name: studentName, birthDate: '2012-05-06', group: '8B' });
    expect(await post(`/v1/students/${student}/guardians`, token.admin, { guardianId: guardian, name: 'Ilona Huoltaja', contact: { email: guardianEmail } })).toMatchObject({
      status: 201,
      body: { studentId: student, guardianId: guardian },
    });
    expect(await put(`/v1/schools/${school}/service`, token.admin, { welfareAreaId: welfareArea })).toMatchObject({ status: 200 });
    const assigned = await post('/v1/assignments', token.welfareAdmin, {
      assignmentId: assignment,
      professionalId: id('curator'),
      role: 'curator',
      welfareAreaId: welfareArea,
      schoolId: school,
      validFrom: '2026-01-01',
    });
    expect(assigned).toMatchObject({ status: 201, body: { assignmentId: assignment } });
    return { own, school, secondSchool, otherSchool, student, guardian, assignment, guardianEmail, records };
  }

  type EnrolledStudent = Awaited<ReturnType<typeof enrolledStudent>>;

  /** The SIS sends the student's records; each one lands. */
  async function ingestRecords({ student, records }: EnrolledStudent): Promise<void> {
    for (const record of records) {
      expect(await post(`/v1/students/${student}/records`, token.sis, record)).toMatchObject({ status: 201, body: { studentId: student, recordId: record.recordId } });
    }
  }

  it('registers schools, enrolls a student, links a guardian and assigns a curator', async () => {
    const { student, school } = await enrolledStudent();

    const enrolled = (await store.readStream(`student-${student}`))[0]!;
    expect(enrolled).toMatchObject({ type: 'StudentEnrolled', data: { schoolId: school, municipalityId: municipality, name: studentName } });
    expect(enrolled.metadata).toMatchObject({ correlationId: id('request'), actor: id('sis') });
  });

  it('ingests records by category, and the same record again writes nothing', async () => {
    const enrolled = await enrolledStudent();
    const { student, records } = enrolled;
    await ingestRecords(enrolled);
    const before = await eventCount();

    const again = await post(`/v1/students/${student}/records`, token.sis, records[0]);

    expect(again).toMatchObject({ status: 201, body: { studentId: student, recordId: records[0]!.recordId } });
    expect(await eventCount()).toBe(before);
    const changed = await post(`/v1/students/${student}/records`, token.sis, { ...records[0], hours: 5 });
    expect(changed).toMatchObject({ status: 409, body: { code: 'record_conflict' } });
  });

  it("lands records the SIS sends in parallel for one student", async () => {
    const { own, student } = await enrolledStudent();
    const parallel = [1, 2, 3, 4].map((n) => ({ recordId: own.id(`lm${n}`), category: 'lesson_markings', date: '2026-02-1' + n, subject: 'history', marking: 'homework missing' }));

    const answers = await Promise.all(parallel.map((record) => post(`/v1/students/${student}/records`, token.sis, record)));

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    const stored = (await readRecords(student, 'lesson_markings')).body.lesson_markings as Array<{ recordId: string }>;
    expect(stored.map((record) => record.recordId).sort()).toEqual(parallel.map((record) => record.recordId).sort());
  });

  it("gives disclosure's service token exactly the requested categories", async () => {
    const enrolled = await enrolledStudent();
    const { student, guardian, guardianEmail, records } = enrolled;
    await ingestRecords(enrolled);

    const answer = await readRecords(student, 'identification,guardian_contacts,absences,detentions');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      studentId: student,
      identification: { name: studentName, birthDate: '2012-05-06', group: '8B' },
      guardian_contacts: [{ guardianId: guardian, name: 'Ilona Huoltaja', contact: { email: guardianEmail } }],
      absences: [records[0], records[1]],
      detentions: [],
    });
    expect((await readRecords(student, 'grades')).body).toEqual({ studentId: student, grades: [records[2]] });
  });

  it('answers a change made after a read in the next read, also one another roster instance appended', async () => {
    const enrolled = await enrolledStudent();
    const { student, guardian, records } = enrolled;
    await ingestRecords(enrolled);
    expect((await readRecords(student, 'guardian_contacts,absences')).body).toMatchObject({ guardian_contacts: [{ guardianId: guardian }], absences: [records[0], records[1]] });

    const late = { recordId: enrolled.own.id('r5'), category: 'absences', date: '2026-02-16', hours: 3 };
    await ingestRecords({ ...enrolled, records: [late] });
    // Another instance's write: straight to the shared event store, nothing in this process hears of it.
    await store.appendToStream(`student-${student}`, [encodeEvent({ type: 'GuardianUnlinked', studentId: student, guardianId: guardian, unlinkedAt: new Date().toISOString() })], 'any');

    expect((await readRecords(student, 'guardian_contacts,absences')).body).toMatchObject({ guardian_contacts: [], absences: [records[0], records[1], late] });
  });

  it("refuses the internal endpoint to anyone but disclosure's service", async () => {
    const { student } = await enrolledStudent();

    expect(await readRecordsAs(token.admin, student, 'identification')).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
    expect(await readRecordsAs(undefined, student, 'identification')).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect(await readRecordsAs(await roster.service('consent'), student, 'identification')).toMatchObject({
      status: 403,
      body: { code: 'forbidden_caller' },
    });
    expect(await readRecordsAs(await signInternalToken('x'.repeat(40), 'disclosure'), student, 'identification')).toMatchObject({ status: 401 });
    expect(await readRecords(id('nobody'), 'identification')).toMatchObject({ status: 404, body: { code: 'student_not_found' } });
    expect(await readRecords(student, 'identification,diagnoses')).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });

  /** The position token names the last event in the student's stream, of this type. */
  async function expectTokenNamesLastEvent(student: string, positionToken: unknown, type: string): Promise<void> {
    const last = (await store.readStream(`student-${student}`)).at(-1)!;
    expect(last.type).toBe(type);
    expect(decodePositionToken(positionToken as string)).toEqual({ service: 'roster', eventId: last.id });
  }

  it('transfers, records capacity and welfare access, unlinks the guardian and ends the assignment', async () => {
    const { student, secondSchool, otherSchool, guardian, assignment } = await enrolledStudent();

    const transferred = await post(`/v1/students/${student}/transfer`, token.admin, { schoolId: secondSchool });
    expect(transferred).toMatchObject({ status: 200, body: { studentId: student, schoolId: secondSchool, positionToken: expect.any(String) } });
    await expectTokenNamesLastEvent(student, transferred.body.positionToken, 'StudentTransferred');
    expect(await post(`/v1/students/${student}/transfer`, token.admin, { schoolId: secondSchool })).toMatchObject({ status: 409, body: { code: 'already_at_school' } });
    expect(await post(`/v1/students/${student}/transfer`, token.admin, { schoolId: otherSchool })).toMatchObject({ status: 403, body: { code: 'other_organisation' } });
    expect(await put(`/v1/students/${student}/capacity`, token.admin, { decidesForSelf: true })).toMatchObject({ status: 200, body: { studentId: student, decidesForSelf: true } });
    expect(await put(`/v1/students/${student}/welfare-access`, token.admin, { active: true })).toMatchObject({ status: 200, body: { studentId: student, active: true } });
    const unlinked = await remove(`/v1/students/${student}/guardians/${guardian}`, token.admin);
    expect(unlinked).toMatchObject({ status: 200, body: { studentId: student, guardianId: guardian, positionToken: expect.any(String) } });
    await expectTokenNamesLastEvent(student, unlinked.body.positionToken, 'GuardianUnlinked');
    expect(await remove(`/v1/students/${student}/guardians/${guardian}`, token.admin)).toMatchObject({ status: 404, body: { code: 'guardian_not_linked' } });
    expect(await remove(`/v1/assignments/${assignment}`, token.otherWelfareAdmin)).toMatchObject({ status: 403, body: { code: 'other_organisation' } });
    expect(await remove(`/v1/assignments/${assignment}`, token.welfareAdmin)).toMatchObject({ status: 200, body: { assignmentId: assignment } });
    expect(await remove(`/v1/assignments/${assignment}`, token.welfareAdmin)).toMatchObject({ status: 409, body: { code: 'assignment_already_ended' } });

    expect((await readRecords(student, 'guardian_contacts')).body).toEqual({ studentId: student, guardian_contacts: [] });
  });

  it('answers bad input with problem+json and writes nothing', async () => {
    const { own, school, student } = await enrolledStudent();
    const newStudent = { studentId: own.id('new'), schoolId: school, name: 'Uusi Oppilas', birthDate: '2013-01-01', group: '7A' };
    const assignmentBody = { assignmentId: own.id('a-new'), professionalId: own.id('p-new'), role: 'nurse', welfareAreaId: welfareArea, schoolId: school, validFrom: '2026-01-01' };
    const record = { recordId: own.id('r-new'), category: 'detentions', date: '2026-02-02', reason: 'late' };
    const before = await eventCount();

    const cases: Array<[string, Promise<Answer>, number, string]> = [
      ['extra field', post('/v1/schools', token.admin, { schoolId: own.id('s-x'), name: 'X', rector: 'Y' }), 400, 'invalid_request'],
      ['missing field', post('/v1/students', token.admin, { ...newStudent, group: undefined }), 400, 'invalid_request'],
      ['malformed date', post('/v1/students', token.admin, { ...newStudent, birthDate: '6.5.2012' }), 400, 'invalid_request'],
      ['identification is not a record', post(`/v1/students/${student}/records`, token.sis, { ...record, category: 'identification' }), 400, 'invalid_request'],
      ['unknown category', post(`/v1/students/${student}/records`, token.sis, { ...record, category: 'diagnoses' }), 400, 'invalid_request'],
      ['field of another category', post(`/v1/students/${student}/records`, token.sis, { ...record, hours: 2 }), 400, 'invalid_request'],
      ['absence without hours', post(`/v1/students/${student}/records`, token.sis, { recordId: own.id('r-x'), category: 'absences', date: '2026-02-02' }), 400, 'invalid_request'],
      ['guardian without contact', post(`/v1/students/${student}/guardians`, token.admin, { guardianId: own.id('g-x'), name: 'X', contact: {} }), 400, 'invalid_request'],
      ['unsafe id in the path', post(`/v1/students/${encodeURIComponent('a b')}/records`, token.sis, record), 400, 'invalid_request'],
      ['last day before the first', post('/v1/assignments', token.welfareAdmin, { ...assignmentBody, validUntil: '2025-12-31' }), 400, 'invalid_validity_period'],
      ['unknown role in the body', post('/v1/assignments', token.welfareAdmin, { ...assignmentBody, role: 'teacher' }), 400, 'invalid_request'],
      ['no token', post('/v1/students', undefined, newStudent), 401, 'unauthenticated'],
      ['malformed token', post('/v1/students', 'not.a.jwt', newStudent), 401, 'invalid_token'],
      ['wrong role', post('/v1/students', token.curator, newStudent), 403, 'forbidden_role'],
      ['welfare admin enrolling', post('/v1/students', token.welfareAdmin, newStudent), 403, 'forbidden_role'],
      ['another municipality enrolling', post('/v1/students', token.otherAdmin, newStudent), 403, 'other_organisation'],
      ["another municipality's SIS ingesting", post(`/v1/students/${student}/records`, token.otherSis, record), 403, 'other_organisation'],
      ['another municipality linking', post(`/v1/students/${student}/guardians`, token.otherAdmin, { guardianId: own.id('g-x'), name: 'X', contact: { phone: '+358 40 123 4567' } }), 403, 'other_organisation'],
      ['another welfare area assigning', post('/v1/assignments', token.otherWelfareAdmin, assignmentBody), 403, 'other_organisation'],
      ['a municipality assigning', post('/v1/assignments', token.admin, assignmentBody), 403, 'forbidden_role'],
      ['unknown school', post('/v1/students', token.admin, { ...newStudent, schoolId: id('nowhere') }), 404, 'school_not_found'],
      ['unknown student', post(`/v1/students/${id('nobody')}/records`, token.sis, record), 404, 'student_not_found'],
      ['school registered twice', post('/v1/schools', token.admin, { schoolId: school, name: 'Koivukylän koulu' }), 409, 'school_exists'],
      ['student enrolled twice', post('/v1/students', token.admin, { ...newStudent, studentId: student }), 409, 'already_enrolled'],
    ];

    for (const [what, answer, status, code] of cases) {
      const { status: actualStatus, contentType, body } = await answer;
      expect({ what, status: actualStatus, code: body?.code }).toEqual({ what, status, code });
      expect(contentType).toMatch(/^application\/problem\+json/);
    }
    expect(await eventCount()).toBe(before);
  });

  it('describes every endpoint and the roles it admits in /openapi.json', async () => {
    const { body } = await call('GET', '/openapi.json', undefined);

    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/schools',
        '/v1/students',
        '/v1/students/{studentId}/transfer',
        '/v1/students/{studentId}/guardians',
        '/v1/students/{studentId}/guardians/{guardianId}',
        '/v1/students/{studentId}/capacity',
        '/v1/students/{studentId}/welfare-access',
        '/v1/assignments',
        '/v1/assignments/{assignmentId}',
        '/v1/students/{studentId}/records',
        '/internal/v1/students/{studentId}/records',
      ]),
    );
    expect(body.paths['/v1/students'].post['x-roles']).toEqual(['school_admin', 'sis']);
    expect(body.paths['/v1/assignments'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('publishes ids and relationships to silta.roster.v1, never names, contacts or records', async () => {
    const relay = app.get(RelayHost).relay;
    const publishedBefore = relay.publishedCount;
    const enrolled = await enrolledStudent();
    const { own, student, secondSchool, guardian, guardianEmail, assignment, records } = enrolled;
    await ingestRecords(enrolled);
    const transferred = await post(`/v1/students/${student}/transfer`, token.admin, { schoolId: secondSchool });
    const changes = [
      await put(`/v1/students/${student}/capacity`, token.admin, { decidesForSelf: true }),
      await put(`/v1/students/${student}/welfare-access`, token.admin, { active: true }),
    ];
    const unlinked = await remove(`/v1/students/${student}/guardians/${guardian}`, token.admin);
    const ended = await remove(`/v1/assignments/${assignment}`, token.welfareAdmin);
    expect([transferred, ...changes, unlinked, ended].map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const expected = [
      'SchoolRegistered',
      'SchoolRegistered',
      'SchoolRegistered',
      'SchoolServiceDeclared',
      'StudentEnrolled',
      'GuardianLinked',
      'ProfessionalAssigned',
      'StudentTransferred',
      'StudentCapacityRecorded',
      'WelfareAccessChanged',
      'GuardianUnlinked',
      'AssignmentEnded',
    ];
    await eventually(async () => relay.publishedCount >= publishedBefore + expected.length, 30_000, () => `the relay published ${relay.publishedCount - publishedBefore} messages`);
    // The topic is shared by every run and every test: keep only this test's messages.
    const ours = (messages: KafkaMessage[]) => messages.filter((m) => m.value?.toString().includes(own.suffix));

    const messages = ours(await readTopic(kafka, Topics.roster, (all) => ours(all).length >= expected.length));

    const type = (m: KafkaMessage) => m.headers?.[MessageHeaders.eventType]?.toString() ?? '';
    expect(messages.map(type).sort()).toEqual([...expected].sort());
    const contracts = new ContractRegistry(rosterContracts);
    for (const message of messages) {
      const payload = JSON.parse(message.value!.toString()) as { studentId?: string; schoolId?: string };
      expect(contracts.validate(type(message), 1, payload)).toMatchObject({ ok: true });
      expect(message.key?.toString()).toBe(['SchoolRegistered', 'SchoolServiceDeclared', 'ProfessionalAssigned', 'AssignmentEnded'].includes(type(message)) ? payload.schoolId : payload.studentId);
    }
    // What the transfer and the unlink answered names the message disclosure will see for them.
    for (const [eventType, answer] of [['StudentTransferred', transferred], ['GuardianUnlinked', unlinked]] as const) {
      const eventId = decodePositionToken(answer.body.positionToken as string)?.eventId;
      expect(eventId).toEqual(expect.any(String));
      const named = messages.filter((m) => m.headers?.[MessageHeaders.eventId]?.toString() === eventId);
      expect(named.map(type)).toEqual([eventType]);
    }
    const everything = messages.map((m) => `${m.key?.toString()} ${m.value?.toString()} ${JSON.stringify(m.headers)}`).join('\n');
    for (const secret of [studentName, '2012-05-06', '8B', 'Ilona Huoltaja', guardianEmail, 'reading support', 'illness', ...records.map((r) => r.recordId)]) {
      expect(everything).not.toContain(secret);
    }
  });
});
