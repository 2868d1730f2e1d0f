import type { INestApplication } from '@nestjs/common';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { ContractRegistry, MessageHeaders, Refusal, Topics, consentContracts } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import type { Role } from '@silta/platform';
import { readTopic, uniqueName } from '@silta/testing';
import { CapacityLog } from '../consent-store/capacity-log';
import { rosterEvents, rosterMessage, startConsent, type Answer, type ConsentIntFixture } from '../testing/consent-int-fixture';

// Capacity judged per field by a professional of the field (issue 12 item 4): who may record and
// read it, that the latest assessment of the consent's fields decides who may grant, and that each
// assessment is published as CapacityAssessed. Consent runs on real PostgreSQL; its roster view is
// fed over the real broker on silta.roster.v1. A test that assesses enrols a student of its own, so
// what it sees stored and published is its own.

const consentRegistry = new ContractRegistry(consentContracts);

const ids = {
  student: uniqueName('student'),
  otherStudent: uniqueName('student-other'),
  guardian: uniqueName('guardian'),
  school: uniqueName('school'),
  otherSchool: uniqueName('school-other'),
  area: uniqueName('area'),
  otherArea: uniqueName('area-other'),
  curator: uniqueName('curator'), // assigned to the student's school
  nurse: uniqueName('nurse'), // assigned to the student's school
  doctor: uniqueName('doctor'), // assigned to the student's school
  otherCurator: uniqueName('curator-other'), // of the other welfare area, assigned to its own school
  unassignedNurse: uniqueName('nurse-unassigned'), // of the student's welfare area, assigned nowhere
  endedNurse: uniqueName('nurse-ended'), // was assigned to the student's school
};

const today = () => new Date().toISOString().slice(0, 10);

describe("capacity assessments: a professional of the field, assigned to the student's school", () => {
  let consent: ConsentIntFixture;
  let app: INestApplication;
  let baseUrl: string;
  let store: EventStore;
  let kafka: Kafka;
  const stream = async (studentId = ids.student) => (await store.readAll()).filter((e) => e.streamId === `capacity-${studentId}`);

  beforeAll(async () => {
    // Roster's standing holds none of these students (roster's 404), so no one here is taken as 18 or more.
    consent = await startConsent('capacity');
    ({ app, baseUrl, store, kafka } = consent);
    await consent.feedRoster(
      rosterEvents.schoolServed(ids.school, ids.area),
      rosterEvents.schoolServed(ids.otherSchool, ids.otherArea),
      rosterEvents.enrolled(ids.student, ids.school),
      rosterEvents.guardianLinked(ids.student, ids.guardian),
      // Roster's own flag says the student decides: the school's record, which no longer decides.
      rosterMessage('StudentCapacityRecorded', { studentId: ids.student, decidesForSelf: true, recordedAt: '2026-01-01T08:00:00.000Z' }),
      rosterEvents.assigned(ids.curator, 'curator', ids.area, ids.school),
      rosterEvents.assigned(ids.nurse, 'nurse', ids.area, ids.school),
      rosterEvents.assigned(ids.doctor, 'doctor', ids.area, ids.school),
      rosterEvents.assigned(ids.otherCurator, 'curator', ids.otherArea, ids.otherSchool),
      rosterEvents.assigned(ids.endedNurse, 'nurse', ids.area, ids.school),
      rosterEvents.assignmentEnded(ids.endedNurse, ids.school),
    );
  });

  afterAll(() => consent?.close());

  const token = (role: Role, sub: string, org?: string) => consent.token(role, sub, org);
  const staff = (role: Role, sub: string, area = ids.area) => token(role, sub, `welfare-area:${area}`);
  const call = (method: 'GET' | 'PUT' | 'POST', path: string, bearer: string, body?: unknown) => consent.call(method, path, bearer, body);

  const capacityPath = (field: string, studentId = ids.student) => `/v1/students/${studentId}/capacity/${field}`;
  const assess = async (role: Role, sub: string, field: string, decidesForSelf: boolean, area = ids.area, studentId = ids.student) =>
    call('PUT', capacityPath(field, studentId), await staff(role, sub, area), { decidesForSelf, assessedOn: today() });
  const grant = async (bearer: string, roles?: string[], studentId = ids.student) =>
    call('POST', '/v1/consents', bearer, {
      studentId,
      categories: ['absences'],
      recipient: { welfareAreaId: ids.area, ...(roles ? { roles } : {}) },
      purpose: 'health check follow-up',
    });

  /** A student of the test's own at the school, unassessed, whom roster flags as deciding for themself, and their guardian. */
  async function freshStudent(): Promise<[studentId: string, guardianId: string]> {
    const { studentId, guardianIds } = await consent.enrol(ids.school, { guardians: 1, rosterFlag: true });
    return [studentId, guardianIds[0]!];
  }

  it("ignores roster's flag: unassessed, the student cannot grant and their guardian can", async () => {
    const [pupil, guardian] = await freshStudent();
    expect(await grant(await token('student', pupil), ['nurse'], pupil)).toMatchObject({ status: 403, body: { code: 'student_lacks_capacity' } });
    expect(await grant(await token('guardian', guardian), ['nurse'], pupil)).toMatchObject({ status: 201 });
    expect((await call('GET', `/v1/students/${pupil}/capacity`, await token('student', pupil))).body).toEqual({ studentId: pupil, capacity: {} });
  });

  it('records a nurse assessing health care, with who and when, and the student and the field then decide who grants', async () => {
    const [pupil, guardian] = await freshStudent();
    const answer = await assess('nurse', ids.nurse, 'health_care', true, ids.area, pupil);
    expect(answer).toMatchObject({
      status: 200,
      body: {
        studentId: pupil,
        field: 'health_care',
        decidesForSelf: true,
        assessedOn: today(),
        assessedBy: { id: ids.nurse, role: 'nurse', org: `welfare-area:${ids.area}` },
        assessedAt: expect.any(String),
        positionToken: expect.any(String),
      },
    });
    expect((await stream(pupil)).map((e) => e.data)).toEqual([expect.objectContaining({ field: 'health_care', decidesForSelf: true, assessedBy: { id: ids.nurse, role: 'nurse', org: `welfare-area:${ids.area}` } })]);

    const studentToken = await token('student', pupil);
    const guardianToken = await token('guardian', guardian);
    expect(await grant(studentToken, ['nurse', 'doctor'], pupil)).toMatchObject({ status: 201 });
    expect(await grant(guardianToken, ['nurse'], pupil)).toMatchObject({ status: 403, body: { code: 'student_decides_for_self' } });
    // Social welfare is not assessed: consents for curators, or for everyone, stay the guardian's.
    expect(await grant(studentToken, ['curator'], pupil)).toMatchObject({ status: 403, body: { code: 'student_lacks_capacity' } });
    expect(await grant(studentToken, undefined, pupil)).toMatchObject({ status: 403, body: { code: 'student_lacks_capacity' } });
    expect(await grant(guardianToken, ['curator'], pupil)).toMatchObject({ status: 201 });
    expect(await grant(guardianToken, undefined, pupil)).toMatchObject({ status: 201 });
  });

  it('records every assessment, the latest per field counting, and shows them to the student and assigned professionals', async () => {
    const [pupil, guardian] = await freshStudent();
    expect(await assess('nurse', ids.nurse, 'health_care', true, ids.area, pupil)).toMatchObject({ status: 200 });
    expect(await assess('curator', ids.curator, 'social_welfare', true, ids.area, pupil)).toMatchObject({ status: 200 });
    expect(await assess('curator', ids.curator, 'social_welfare', true, ids.area, pupil)).toMatchObject({ status: 200 });
    expect(await assess('doctor', ids.doctor, 'health_care', false, ids.area, pupil)).toMatchObject({ status: 200 });
    expect((await stream(pupil)).map((e) => `${(e.data as { field: string }).field}:${(e.data as { decidesForSelf: boolean }).decidesForSelf}`)).toEqual([
      'health_care:true',
      'social_welfare:true',
      'social_welfare:true',
      'health_care:false',
    ]);
    const expected = {
      studentId: pupil,
      capacity: {
        social_welfare: { decidesForSelf: true, assessedOn: today(), assessedBy: { id: ids.curator, role: 'curator', org: `welfare-area:${ids.area}` }, assessedAt: expect.any(String) },
        health_care: { decidesForSelf: false, assessedOn: today(), assessedBy: { id: ids.doctor, role: 'doctor', org: `welfare-area:${ids.area}` }, assessedAt: expect.any(String) },
      },
    };
    for (const bearer of [await token('student', pupil), await staff('nurse', ids.nurse), await staff('curator', ids.curator)]) {
      expect(await call('GET', `/v1/students/${pupil}/capacity`, bearer)).toMatchObject({ status: 200, body: expected });
    }
    // The doctor judged the student not to decide health-care matters: the guardian's consent for nurses counts again.
    expect(await grant(await token('student', pupil), ['nurse'], pupil)).toMatchObject({ status: 403, body: { code: 'student_lacks_capacity' } });
    expect(await grant(await token('guardian', guardian), ['nurse'], pupil)).toMatchObject({ status: 201 });
  });

  it('refuses the wrong field, the wrong professional and citizens (403), and writes nothing', async () => {
    const before = await stream();
    const cases: Array<[string, Promise<Answer>, string]> = [
      ['a curator assessing health care', assess('curator', ids.curator, 'health_care', true), 'field_not_yours'],
      ['a nurse assessing social welfare', assess('nurse', ids.nurse, 'social_welfare', true), 'field_not_yours'],
      ['a curator of another welfare area', assess('curator', ids.otherCurator, 'social_welfare', false, ids.otherArea), 'not_assigned_to_student'],
      ["the assigned curator's subject under another welfare area", assess('curator', ids.curator, 'social_welfare', false, ids.otherArea), 'not_assigned_to_student'],
      ['a nurse assigned nowhere', assess('nurse', ids.unassignedNurse, 'health_care', false), 'not_assigned_to_student'],
      ['a nurse whose assignment has ended', assess('nurse', ids.endedNurse, 'health_care', false), 'not_assigned_to_student'],
      ["the assigned nurse's subject as a doctor", assess('doctor', ids.nurse, 'health_care', false), 'not_assigned_to_student'],
      ['the student', call('PUT', capacityPath('health_care'), await token('student', ids.student), { decidesForSelf: true, assessedOn: today() }), 'forbidden_role'],
      ['the guardian', call('PUT', capacityPath('health_care'), await token('guardian', ids.guardian), { decidesForSelf: false, assessedOn: today() }), 'forbidden_role'],
      ['a school admin', call('PUT', capacityPath('health_care'), await token('school_admin', 'admin', 'municipality:vantaa'), { decidesForSelf: false, assessedOn: today() }), 'forbidden_role'],
      ['the guardian reading', call('GET', `/v1/students/${ids.student}/capacity`, await token('guardian', ids.guardian)), 'forbidden_role'],
      ['another student reading', call('GET', `/v1/students/${ids.student}/capacity`, await token('student', ids.otherStudent)), 'not_the_student'],
      ['a curator of another welfare area reading', call('GET', `/v1/students/${ids.student}/capacity`, await staff('curator', ids.otherCurator, ids.otherArea)), 'not_assigned_to_student'],
      ['a nurse whose assignment has ended reading', call('GET', `/v1/students/${ids.student}/capacity`, await staff('nurse', ids.endedNurse)), 'not_assigned_to_student'],
    ];
    for (const [who, answer, code] of cases) {
      const result = await answer;
      expect({ who, status: result.status, code: result.body.code }).toEqual({ who, status: 403, code });
      expect(result.contentType).toContain('application/problem+json');
      expect(result.body).not.toHaveProperty('capacity');
    }
    expect(await stream()).toEqual(before);
  });

  it('answers odd input with a 400 naming what is wrong, and writes nothing', async () => {
    const before = await stream();
    const nurse = await staff('nurse', ids.nurse);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const cases: Array<[string, Promise<Answer>, string, string]> = [
      ['an unknown field', call('PUT', capacityPath('education'), nurse, { decidesForSelf: true, assessedOn: today() }), 'invalid_request', 'field'],
      ['a date that is no date', call('PUT', capacityPath('health_care'), nurse, { decidesForSelf: true, assessedOn: '2026-02-30' }), 'invalid_request', 'assessedOn'],
      ['a date-time for a date', call('PUT', capacityPath('health_care'), nurse, { decidesForSelf: true, assessedOn: `${today()}T08:00:00Z` }), 'invalid_request', 'assessedOn'],
      ['a date in the future', call('PUT', capacityPath('health_care'), nurse, { decidesForSelf: true, assessedOn: tomorrow }), 'assessed_in_future', 'assessedOn'],
      ['no decision', call('PUT', capacityPath('health_care'), nurse, { assessedOn: today() }), 'invalid_request', 'decidesForSelf'],
      ['a decision as text', call('PUT', capacityPath('health_care'), nurse, { decidesForSelf: 'yes', assessedOn: today() }), 'invalid_request', 'decidesForSelf'],
      ['an extra field', call('PUT', capacityPath('health_care'), nurse, { decidesForSelf: true, assessedOn: today(), assessedBy: 'someone' }), 'invalid_request', 'assessedBy'],
      ['not JSON', call('PUT', capacityPath('health_care'), nurse, '{"decidesForSelf": '), 'bad_request', ''],
      ['a malformed student id', call('PUT', capacityPath('health_care', 'bad%20id'), nurse, { decidesForSelf: true, assessedOn: today() }), 'invalid_request', 'studentId'],
    ];
    for (const [what, answer, code, named] of cases) {
      const result = await answer;
      expect({ what, status: result.status, code: result.body.code }).toEqual({ what, status: 400, code });
      expect(result.contentType).toContain('application/problem+json');
      expect(result.body.detail).toContain(named);
    }
    expect(await stream()).toEqual(before);
  });

  it('publishes each assessment as CapacityAssessed on silta.consent.v1, keyed by student, naming the assessor by id and role only', async () => {
    const [pupil] = await freshStudent();
    // The test's own assessments: the nurse's, then the doctor's replacing it.
    expect(await assess('nurse', ids.nurse, 'health_care', true, ids.area, pupil)).toMatchObject({ status: 200 });
    expect(await assess('doctor', ids.doctor, 'health_care', false, ids.area, pupil)).toMatchObject({ status: 200 });
    const stored = await stream(pupil);
    const storedIds = new Set(stored.map((e) => e.id));
    const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
    const ours = (messages: KafkaMessage[]) => messages.filter((m) => storedIds.has(header(m, MessageHeaders.eventId) ?? ''));
    const messages = ours(await readTopic(kafka, Topics.consent, (all) => new Set(ours(all).map((m) => header(m, MessageHeaders.eventId))).size >= stored.length));
    expect(new Set(messages.map((m) => header(m, MessageHeaders.eventId))).size).toBe(stored.length);
    for (const message of messages) {
      expect(header(message, MessageHeaders.eventType)).toBe('CapacityAssessed');
      expect(message.key?.toString()).toBe(pupil);
      const payload = JSON.parse(message.value!.toString()) as Record<string, unknown>;
      const validation = consentRegistry.validate('CapacityAssessed', 1, payload);
      expect(validation.ok ? 'valid' : validation.error).toBe('valid');
    }
    const last = messages.find((m) => header(m, MessageHeaders.eventId) === stored.at(-1)!.id)!;
    expect(JSON.parse(last.value!.toString())).toEqual({
      studentId: pupil,
      field: 'health_care',
      decidesForSelf: false,
      assessedOn: today(),
      assessedBy: { kind: 'professional', id: ids.doctor, role: 'doctor' },
      assessedAt: (stored.at(-1)!.data as { at: string }).at,
    });
  });
  it('refuses, before storing it, an assessment its public contract would refuse (400 naming the field)', async () => {
    const before = await stream();
    const longId = 'p'.repeat(250);
    const accepted = app.get(CapacityLog).execute({
      type: 'AssessCapacity',
      studentId: ids.student,
      field: 'health_care',
      decidesForSelf: false,
      assessedOn: today(),
      actor: { id: longId, role: 'nurse', org: `welfare-area:${ids.area}` },
      standing: {
        schoolId: ids.school,
        schoolServedBy: ids.area,
        callerAssignments: [{ assignmentId: 'a-long', role: 'nurse', welfareAreaId: ids.area, schoolId: ids.school, validFrom: '2020-01-01', ended: false }],
      },
      now: new Date(),
    }, {});
    await expect(accepted).rejects.toThrow(Refusal);
    await expect(accepted).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_request', detail: expect.stringContaining('assessedBy.id') });
    expect(await stream()).toEqual(before);
  });

  it('documents both routes and who may call them in /openapi.json', async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-roles': string[] }>> };
    expect(document.paths['/v1/students/{studentId}/capacity/{field}']!.put!['x-roles']).toEqual(['curator', 'psychologist', 'nurse', 'doctor']);
    expect(document.paths['/v1/students/{studentId}/capacity']!.get!['x-roles']).toEqual(['student', 'curator', 'psychologist', 'nurse', 'doctor']);
  });
});
