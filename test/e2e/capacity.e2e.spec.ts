import { randomUUID } from 'node:crypto';
import { eventually } from '@silta/testing';
import { Client, startSilta, testSecrets, type Answer, type RunningSilta } from './harness';

/**
 * Capacity judged per field by a professional of the field (issue 12 item 4), end to end: the
 * apps as processes on the real broker and PostgreSQL, driven over HTTP. A nurse's health-care
 * assessment lets the student consent for nurses while the guardian still consents for the
 * curator; the curator's social-welfare assessment then ends what the guardian's consent gives the
 * curator.
 */
jest.setTimeout(240_000);

describe('Silta end to end: capacity assessed per field', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipalityId = id('m');
  const municipality = `municipality:${municipalityId}`;
  const welfareArea = id('w');
  const [school, student, guardian, curator, nurse] = ['school', 'student', 'guardian', 'curator', 'nurse'].map(id);
  const secrets = testSecrets();
  let silta: RunningSilta;
  let as: Record<'admin' | 'sis' | 'welfareAdmin' | 'guardian' | 'student' | 'curator' | 'nurse', Client>;

  beforeAll(async () => {
    silta = await startSilta('capacity', secrets, { CONSISTENCY_WAIT_MS: '10000' }, { municipality: municipalityId });
    const s = secrets.JWT_SECRET;
    as = {
      admin: await Client.as(s, id('admin'), 'school_admin', municipality),
      sis: await Client.as(s, id('sis'), 'sis', municipality),
      welfareAdmin: await Client.as(s, id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`),
      guardian: await Client.as(s, guardian, 'guardian'),
      student: await Client.as(s, student, 'student'),
      curator: await Client.as(s, curator, 'curator', `welfare-area:${welfareArea}`),
      nurse: await Client.as(s, nurse, 'nurse', `welfare-area:${welfareArea}`),
    };
  }, 240_000);

  afterAll(async () => {
    await silta?.stop();
  }, 60_000);

  const roster = (path: string) => `${silta.apps.roster.url}${path}`;
  const consent = (path: string) => `${silta.apps.consent.url}${path}`;
  const disclosure = (path: string) => `${silta.apps.disclosure.url}${path}`;
  const today = () => new Date().toISOString().slice(0, 10);

  function expectOk(answer: Answer, status = [200, 201]): Answer {
    if (!status.includes(answer.status)) throw new Error(`expected ${status.join('/')}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  /** Retries `attempt` while a view (consent's or disclosure's) has not yet caught up with roster. */
  async function onceAccepted(what: string, attempt: () => Promise<Answer>, accepted: (answer: Answer) => boolean = (a) => a.status === 200 || a.status === 201): Promise<Answer> {
    let answer!: Answer;
    await eventually(
      async () => accepted((answer = await attempt())),
      60_000,
      () => `${what}: ${answer?.status} ${JSON.stringify(answer?.body)}`,
    );
    return answer;
  }

  const ask = (client: Client, consistentWith: string) =>
    client.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['grades'], basis: 'consent', purpose: 'student welfare assessment', consistentWith });
  const outcomes = (answer: Answer) => (answer.body.categories as Array<{ category: string; outcome: string; reason: string }>).map((c) => `${c.category}:${c.outcome}:${c.reason}`);
  const consentFor = (roles: string[]) => ({ studentId: student, categories: ['grades'], recipient: { welfareAreaId: welfareArea, roles }, purpose: 'student welfare assessment' });

  it("lets each field's professional decide who consents in that field", async () => {
    expectOk(await as.admin.post(roster('/v1/schools'), { schoolId: school, name: 'Kykykoulu' }));
    expectOk(await as.admin.put(roster(`/v1/schools/${school}/service`), { welfareAreaId: welfareArea }));
    expectOk(await as.admin.post(roster('/v1/students'), { studentId: student, schoolId: school, name: 'Kyky Oppilas', birthDate: '2012-05-06', group: '8B' }));
    expectOk(await as.admin.post(roster(`/v1/students/${student}/guardians`), { guardianId: guardian, name: 'Kyky Huoltaja', contact: { email: 'huoltaja@example.invalid' } }));
    for (const [professional, role] of [[curator, 'curator'], [nurse, 'nurse']] as const) {
      expectOk(await as.welfareAdmin.post(roster('/v1/assignments'), { assignmentId: id(`a-${role}`), professionalId: professional, role, welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
    }
    expectOk(await as.sis.post(roster(`/v1/students/${student}/records`), { recordId: id('r1'), category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '8' }));

    // Unassessed, the student cannot consent for nurses; the nurse assesses health care, once consent's view knows the assignment.
    expect((await as.student.post(consent('/v1/consents'), consentFor(['nurse']))).body.code).toBe('student_lacks_capacity');
    const healthCare = await onceAccepted('consent refused the nurse', () => as.nurse.put(consent(`/v1/students/${student}/capacity/health_care`), { decidesForSelf: true, assessedOn: today() }));
    expect(healthCare.body).toMatchObject({ field: 'health_care', decidesForSelf: true, assessedBy: { id: nurse, role: 'nurse' } });

    // The student's own consent for nurses is granted; the guardian's is not; the guardian's for the curator is.
    const own = expectOk(await as.student.post(consent('/v1/consents'), consentFor(['nurse'])));
    expect((await as.guardian.post(consent('/v1/consents'), consentFor(['nurse']))).body.code).toBe('student_decides_for_self');
    const guardians = await onceAccepted('consent refused the guardian', () => as.guardian.post(consent('/v1/consents'), consentFor(['curator'])));

    // The nurse's request rests on the student's own consent; the curator's on the guardian's (social welfare is not assessed).
    const catchingUp = ['not_enrolled', 'other_municipality', 'school_not_served', 'not_assigned'];
    const caughtUp = (a: Answer) => a.status === 200 && !a.body.categories.some((c: { reason: string }) => catchingUp.includes(c.reason));
    const nurseAnswer = await onceAccepted("disclosure's view did not catch up for the nurse", () => ask(as.nurse, own.body.positionToken), caughtUp);
    expect(outcomes(nurseAnswer)).toEqual(['grades:permit:consent_given']);
    expect(nurseAnswer.body.data.grades).toHaveLength(1);
    const curatorAnswer = await onceAccepted("disclosure's view did not catch up for the curator", () => ask(as.curator, guardians.body.positionToken), caughtUp);
    expect(outcomes(curatorAnswer)).toEqual(['grades:permit:consent_given']);

    // The curator judges the student to decide social-welfare matters: the guardian's consent no longer counts for the curator.
    const socialWelfare = expectOk(await as.curator.put(consent(`/v1/students/${student}/capacity/social_welfare`), { decidesForSelf: true, assessedOn: today() }));
    const denied = expectOk(await ask(as.curator, socialWelfare.body.positionToken));
    expect(outcomes(denied)).toEqual(['grades:deny:no_consent']);
    expect(denied.body.data).toEqual({});
    // The nurse's answer is unchanged: the student's own consent still counts in health care.
    expect(outcomes(expectOk(await ask(as.nurse, socialWelfare.body.positionToken)))).toEqual(['grades:permit:consent_given']);
  });
});
