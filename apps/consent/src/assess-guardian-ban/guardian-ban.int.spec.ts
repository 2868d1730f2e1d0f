import type { INestApplication } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { ContractRegistry, MessageHeaders, Refusal, Topics, consentContracts, decodePositionToken } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import type { Role } from '@silta/platform';
import { readTopic, uniqueName } from '@silta/testing';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { rosterEvents, startConsent, type Answer, type ConsentIntFixture } from '../testing/consent-int-fixture';

// A minor's ban on informing guardians (issue 12 item 5): the student may hide nurse and doctor
// disclosures too (potilaslaki 9 §), and a nurse, doctor or psychologist assigned to the student's
// school assesses a ban on curator or psychologist ones (1287/2013 18 §). Consent runs on real
// PostgreSQL; its roster view is fed over the real broker, and what it publishes is read back.
// Each test declares and assesses for a student of its own, so none builds on another's.

const consentRegistry = new ContractRegistry(consentContracts);
const WHY = 'The visits concern danger at home that the guardians must know of to protect the child.';

const ids = {
  otherStudent: uniqueName('student-other'), // same school, declares nothing; each test enrols the students it writes for
  school: uniqueName('school'),
  otherSchool: uniqueName('school-other'),
  area: uniqueName('area'),
  otherArea: uniqueName('area-other'),
  nurse: uniqueName('nurse'),
  doctor: uniqueName('doctor'),
  psychologist: uniqueName('psychologist'),
  curator: uniqueName('curator'),
  otherNurse: uniqueName('nurse-other'), // of the other welfare area, assigned to its own school
  unassignedNurse: uniqueName('nurse-unassigned'), // of the student's welfare area, assigned nowhere
  endedNurse: uniqueName('nurse-ended'), // was assigned to the student's school
};

describe("a minor's ban on informing guardians, and a health-care professional's assessment of it", () => {
  let consent: ConsentIntFixture;
  let app: INestApplication;
  let store: EventStore;
  const visibility = (studentId: string) => `/v1/students/${studentId}/guardian-visibility`;
  const assessment = (studentId: string) => `/v1/students/${studentId}/guardian-visibility/assessment`;
  const stream = (studentId: string) => store.readStream(`confidentiality-${studentId}`);

  beforeAll(async () => {
    // Roster's standing holds none of these students (roster's 404), so no one here is taken as 18 or more.
    consent = await startConsent('ban');
    ({ app, store } = consent);
    await consent.feedRoster(
      rosterEvents.schoolServed(ids.school, ids.area),
      rosterEvents.schoolServed(ids.otherSchool, ids.otherArea),
      rosterEvents.enrolled(ids.otherStudent, ids.school),
      rosterEvents.assigned(ids.nurse, 'nurse', ids.area, ids.school),
      rosterEvents.assigned(ids.doctor, 'doctor', ids.area, ids.school),
      rosterEvents.assigned(ids.psychologist, 'psychologist', ids.area, ids.school),
      rosterEvents.assigned(ids.curator, 'curator', ids.area, ids.school),
      rosterEvents.assigned(ids.otherNurse, 'nurse', ids.otherArea, ids.otherSchool),
      rosterEvents.assigned(ids.endedNurse, 'nurse', ids.area, ids.school),
      rosterEvents.assignmentEnded(ids.endedNurse, ids.school),
    );
  }, 90_000);

  afterAll(() => consent?.close());

  const token = (role: Role, sub: string, org?: string) => consent.token(role, sub, org);
  const staff = (role: Role, sub: string, area = ids.area) => token(role, sub, `welfare-area:${area}`);
  const call = (method: 'GET' | 'PUT' | 'POST', path: string, bearer: string, body?: unknown) => consent.call(method, path, bearer, body);

  /** What a write's published message must carry: the event its position token names, with the hidden set in effect. */
  interface Publication {
    eventId: string;
    hiddenRoles: string[];
    declaredBy: { kind: string; id: string };
  }

  /** The publication a write's answer promises; throws when the answer names no stored event. */
  function expectPublished(answer: { body: Record<string, unknown> }, hiddenRoles: string[], declaredBy: { kind: string; id: string }): Publication {
    const position = decodePositionToken(answer.body.positionToken as string);
    if (!position) throw new Error(`no position token in ${JSON.stringify(answer.body)}`);
    return { eventId: position.eventId, hiddenRoles, declaredBy };
  }

  /** A student of the test's own at the school, and their linked guardian. */
  async function freshStudent(): Promise<[studentId: string, guardianId: string]> {
    const { studentId, guardianIds } = await consent.enrol(ids.school, { guardians: 1 });
    return [studentId, guardianIds[0]!];
  }

  /** A fresh student who has hidden curator, nurse and doctor disclosures from their guardians; answers the declaration. */
  async function studentBanning(): Promise<[studentId: string, guardianId: string, declared: Answer]> {
    const [studentId, guardianId] = await freshStudent();
    const declared = await call('PUT', visibility(studentId), await token('student', studentId), { hiddenRoles: ['doctor', 'curator', 'nurse'] });
    expect(declared).toMatchObject({ status: 200, body: { hiddenRoles: ['curator', 'nurse', 'doctor'] } });
    return [studentId, guardianId, declared];
  }

  it('lets the student hide nurse and doctor disclosures as well as curator ones', async () => {
    const [pupil] = await freshStudent();
    const declared = await call('PUT', visibility(pupil), await token('student', pupil), { hiddenRoles: ['doctor', 'curator', 'nurse'] });
    expect(declared).toMatchObject({ status: 200, body: { studentId: pupil, hiddenRoles: ['curator', 'nurse', 'doctor'] } });
    expectPublished(declared, ['curator', 'nurse', 'doctor'], { kind: 'student', id: pupil });

    const read = await call('GET', visibility(pupil), await staff('doctor', ids.doctor));
    expect(read).toMatchObject({
      status: 200,
      body: {
        studentId: pupil,
        hiddenRoles: ['curator', 'nurse', 'doctor'],
        declaredBy: { kind: 'student', id: pupil },
        declaration: { roles: ['curator', 'nurse', 'doctor'], declaredBy: { kind: 'student', id: pupil } },
      },
    });
    expect(read.body).not.toHaveProperty('assessment');
  });

  it("lets an assigned nurse override the curator ban: guardians see curator disclosures again, never the nurse's or doctor's", async () => {
    const [pupil] = await studentBanning();
    const overridden = await call('POST', assessment(pupil), await staff('nurse', ids.nurse), { outcome: 'overridden', why: `  ${WHY}  ` });
    expect(overridden).toMatchObject({ status: 201, body: { studentId: pupil, outcome: 'overridden', hiddenRoles: ['nurse', 'doctor'] } });
    expectPublished(overridden, ['nurse', 'doctor'], { kind: 'professional', id: ids.nurse });

    const read = await call('GET', visibility(pupil), await token('student', pupil));
    expect(read.body).toMatchObject({
      hiddenRoles: ['nurse', 'doctor'],
      declaration: { roles: ['curator', 'nurse', 'doctor'], declaredBy: { kind: 'student', id: pupil } },
      assessment: {
        outcome: 'overridden',
        roles: ['curator'],
        why: WHY,
        assessedBy: { kind: 'professional', id: ids.nurse, role: 'nurse', org: `welfare-area:${ids.area}` },
        at: expect.any(String),
      },
    });
  });

  it('lets an assigned psychologist or doctor assess too, a later assessment replacing the earlier one', async () => {
    const [pupil] = await studentBanning();
    const upheld = await call('POST', assessment(pupil), await staff('psychologist', ids.psychologist), { outcome: 'upheld', why: WHY });
    expect(upheld).toMatchObject({ status: 201, body: { outcome: 'upheld', hiddenRoles: ['curator', 'nurse', 'doctor'] } });
    expectPublished(upheld, ['curator', 'nurse', 'doctor'], { kind: 'professional', id: ids.psychologist });
    const byDoctor = await call('POST', assessment(pupil), await staff('doctor', ids.doctor), { outcome: 'overridden', why: WHY });
    expect(byDoctor).toMatchObject({ status: 201, body: { outcome: 'overridden', hiddenRoles: ['nurse', 'doctor'] } });
    expectPublished(byDoctor, ['nurse', 'doctor'], { kind: 'professional', id: ids.doctor });
  });

  it('starts afresh on a new declaration: the override no longer applies', async () => {
    const [pupil] = await studentBanning();
    expect(await call('POST', assessment(pupil), await staff('nurse', ids.nurse), { outcome: 'overridden', why: WHY })).toMatchObject({ status: 201, body: { hiddenRoles: ['nurse', 'doctor'] } });
    const redeclared = await call('PUT', visibility(pupil), await staff('nurse', ids.nurse), { hiddenRoles: ['curator', 'nurse', 'doctor'] });
    expect(redeclared).toMatchObject({ status: 200, body: { hiddenRoles: ['curator', 'nurse', 'doctor'] } });
    expectPublished(redeclared, ['curator', 'nurse', 'doctor'], { kind: 'professional', id: ids.nurse });
    const read = await call('GET', visibility(pupil), await token('student', pupil));
    expect(read.body).toMatchObject({ hiddenRoles: ['curator', 'nurse', 'doctor'], declaration: { declaredBy: { kind: 'professional', id: ids.nurse, role: 'nurse' } } });
    expect(read.body).not.toHaveProperty('assessment');
  });

  it('refuses everyone else assessing (403), and the stream stays as it was', async () => {
    const [pupil, guardian] = await studentBanning();
    const before = await stream(pupil);
    const outsiders: Array<[string, Promise<string>, string]> = [
      ['a curator, assigned to the school (not a health-care professional)', staff('curator', ids.curator), 'not_a_health_professional'],
      ['a nurse of another welfare area (assigned to its own school)', staff('nurse', ids.otherNurse, ids.otherArea), 'not_assigned_to_student'],
      ["a nurse of the student's welfare area assigned nowhere", staff('nurse', ids.unassignedNurse), 'not_assigned_to_student'],
      ["a nurse whose assignment to the student's school has ended", staff('nurse', ids.endedNurse), 'not_assigned_to_student'],
      ["the assigned nurse's subject under another welfare area", staff('nurse', ids.nurse, ids.otherArea), 'not_assigned_to_student'],
      ["the assigned nurse's subject as a doctor", staff('doctor', ids.nurse), 'not_assigned_to_student'],
      ['a linked guardian', token('guardian', guardian), 'forbidden_role'],
      ['the student themself', token('student', pupil), 'forbidden_role'],
      ['another student', token('student', ids.otherStudent), 'forbidden_role'],
    ];
    for (const [who, bearer, code] of outsiders) {
      const answer = await call('POST', assessment(pupil), await bearer, { outcome: 'overridden', why: WHY });
      expect({ who, status: answer.status, code: answer.body.code, problem: answer.contentType.startsWith('application/problem+json') }).toEqual({ who, status: 403, code, problem: true });
    }
    // Nor may the outsiders read or change the declaration itself.
    for (const [who, bearer, status, code] of [
      ['a linked guardian reading', token('guardian', guardian), 403, 'forbidden_role'],
      ['another student reading', token('student', ids.otherStudent), 403, 'not_the_student'],
      ['a nurse of another welfare area reading', staff('nurse', ids.otherNurse, ids.otherArea), 403, 'not_assigned_to_student'],
      ["a doctor whose subject is the assigned nurse's", staff('doctor', ids.nurse), 403, 'not_assigned_to_student'],
    ] as const) {
      const answer = await call('GET', visibility(pupil), await bearer);
      expect({ who, status: answer.status, code: answer.body.code }).toEqual({ who, status, code });
      expect(answer.body).not.toHaveProperty('hiddenRoles');
    }
    for (const [who, bearer, code] of [
      ['another student hiding', token('student', ids.otherStudent), 'not_the_student'],
      ['an ended nurse un-hiding', staff('nurse', ids.endedNurse), 'not_assigned_to_student'],
    ] as const) {
      const answer = await call('PUT', visibility(pupil), await bearer, { hiddenRoles: [] });
      expect({ who, status: answer.status, code: answer.body.code }).toEqual({ who, status: 403, code });
    }
    expect(await stream(pupil)).toEqual(before);
  });

  it('refuses (409 no_ban_to_assess) when no ban on curator or psychologist disclosures is in force, and writes nothing', async () => {
    const [pupil] = await freshStudent();
    const nurse = await staff('nurse', ids.nurse);
    const none = await call('POST', assessment(pupil), nurse, { outcome: 'upheld', why: WHY });
    expect(none).toMatchObject({ status: 409, body: { code: 'no_ban_to_assess' } });
    expect(none.contentType).toMatch(/^application\/problem\+json/);
    expect(await stream(pupil)).toEqual([]);

    // A ban on nurse disclosures alone is about health data: nothing there for an assessment.
    expect(await call('PUT', visibility(pupil), await token('student', pupil), { hiddenRoles: ['nurse'] })).toMatchObject({ status: 200 });
    const before = await stream(pupil);
    expect(await call('POST', assessment(pupil), nurse, { outcome: 'overridden', why: WHY })).toMatchObject({ status: 409, body: { code: 'no_ban_to_assess' } });
    expect(await stream(pupil)).toEqual(before);
    expect((await call('GET', visibility(pupil), nurse)).body).toMatchObject({ hiddenRoles: ['nurse'] });
  });

  it('answers odd input with 400 problem+json naming the field, and writes nothing', async () => {
    const [pupil] = await studentBanning();
    const nurse = await staff('nurse', ids.nurse);
    const before = await stream(pupil);
    const cases: Array<[string, unknown, string]> = [
      ['no body', undefined, ''],
      ['no why', { outcome: 'overridden' }, 'why'],
      ['a why of 29 characters once trimmed', { outcome: 'overridden', why: `   ${'x'.repeat(29)}   ` }, 'why'],
      ['a why over 2000 characters', { outcome: 'overridden', why: 'x'.repeat(2001) }, 'why'],
      ['a why that is not text', { outcome: 'overridden', why: 42 }, 'why'],
      ['a lone surrogate in why', { outcome: 'overridden', why: `${WHY}\ud800` }, 'why'],
      ['an unknown outcome', { outcome: 'lifted', why: WHY }, 'outcome'],
      ['an extra field', { outcome: 'overridden', why: WHY, roles: ['nurse'] }, 'roles'],
      ['not an object', ['overridden'], ''],
    ];
    for (const [what, body, field] of cases) {
      const answer = await call('POST', assessment(pupil), nurse, body);
      expect({ what, status: answer.status, problem: answer.contentType.startsWith('application/problem+json') }).toEqual({ what, status: 400, problem: true });
      expect(JSON.stringify(answer.body)).toContain(field);
    }
    expect((await call('POST', assessment('bad%20id'), nurse, { outcome: 'overridden', why: WHY })).status).toBe(400);
    expect(await stream(pupil)).toEqual(before);
  });

  it('refuses (400) an assessment the domain accepts but GuardianVisibilityChangedV1 would refuse, before anything is appended', async () => {
    const [pupil] = await studentBanning();
    const before = await stream(pupil);
    // An assessor whose id is longer than the contract allows: the relay could not publish the
    // message, and disclosure would never learn of it (issue 10 item 7).
    const longSub = 'n'.repeat(250);
    const assessed = app.get(ConfidentialityLog).execute({
      type: 'AssessGuardianBan',
      studentId: pupil,
      outcome: 'overridden',
      why: WHY,
      actor: { kind: 'professional', id: longSub, role: 'nurse', org: `welfare-area:${ids.area}` },
      standing: {
        schoolId: ids.school,
        schoolServedBy: ids.area,
        callerAssignments: [{ assignmentId: 'a-long', role: 'nurse', welfareAreaId: ids.area, schoolId: ids.school, validFrom: '2020-01-01', ended: false }],
      },
      now: new Date(),
    }, {});
    await expect(assessed).rejects.toThrow(Refusal);
    await expect(assessed).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_request', detail: expect.stringContaining('declaredBy.id') });
    expect(await stream(pupil)).toEqual(before);
  });

  it('publishes, after each declaration and assessment, the hidden set in effect on GuardianVisibilityChanged', async () => {
    // The test's own writes: the student's ban, assessments overriding, upholding and overriding it, and a new declaration.
    const [pupil, , declared] = await studentBanning();
    const published = [expectPublished(declared, ['curator', 'nurse', 'doctor'], { kind: 'student', id: pupil })];
    const writes: Array<[Role, string, 'POST' | 'PUT', Record<string, unknown>, string[]]> = [
      ['nurse', ids.nurse, 'POST', { outcome: 'overridden', why: WHY }, ['nurse', 'doctor']],
      ['psychologist', ids.psychologist, 'POST', { outcome: 'upheld', why: WHY }, ['curator', 'nurse', 'doctor']],
      ['doctor', ids.doctor, 'POST', { outcome: 'overridden', why: WHY }, ['nurse', 'doctor']],
      ['nurse', ids.nurse, 'PUT', { hiddenRoles: ['curator', 'nurse', 'doctor'] }, ['curator', 'nurse', 'doctor']],
    ];
    for (const [role, sub, method, body, hiddenRoles] of writes) {
      const answer = await call(method, method === 'POST' ? assessment(pupil) : visibility(pupil), await staff(role, sub), body);
      expect(answer).toMatchObject({ status: method === 'POST' ? 201 : 200, body: { hiddenRoles } });
      published.push(expectPublished(answer, hiddenRoles, { kind: 'professional', id: sub }));
    }
    const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
    const wanted = published.map((p) => p.eventId);
    const ours = (messages: KafkaMessage[]) => messages.filter((m) => wanted.includes(header(m, MessageHeaders.eventId) ?? ''));
    const messages = ours(await readTopic(consent.kafka, Topics.consent, (all) => new Set(ours(all).map((m) => header(m, MessageHeaders.eventId))).size >= wanted.length, 45_000));
    const payloads = published.map(({ eventId }) => {
      const message = messages.find((m) => header(m, MessageHeaders.eventId) === eventId)!;
      expect(header(message, MessageHeaders.eventType)).toBe('GuardianVisibilityChanged');
      expect(message.key?.toString()).toBe(pupil);
      const payload = JSON.parse(message.value!.toString()) as Record<string, unknown>;
      const validation = consentRegistry.validate('GuardianVisibilityChanged', 1, payload);
      expect(validation.ok ? 'valid' : validation.error).toBe('valid');
      return payload;
    });
    expect(payloads.map(({ hiddenRoles, declaredBy }) => ({ hiddenRoles, declaredBy }))).toEqual(published.map(({ hiddenRoles, declaredBy }) => ({ hiddenRoles, declaredBy })));
    // The assessor's reasoning stays in consent's log.
    expect(JSON.stringify(payloads)).not.toContain('danger at home');
  });
});
