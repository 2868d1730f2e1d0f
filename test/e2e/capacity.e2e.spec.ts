import { randomUUID } from 'node:crypto';
import type { Answer, Client } from './harness';
import { expectOk, onceAccepted, outcomes, runIds, startWorld, type World } from './world';

/**
 * Capacity judged per field by a professional of the field (issue 12 item 4), end to end: the
 * apps as processes on the real broker and PostgreSQL, driven over HTTP. A nurse's health-care
 * assessment lets the student consent for nurses while the guardian still consents for the
 * curator; the curator's social-welfare assessment then ends what the guardian's consent gives the
 * curator.
 */
jest.setTimeout(240_000);

describe('Silta end to end: capacity assessed per field', () => {
  const ids = runIds();
  const { id, welfareArea } = ids;
  const [school, student, guardian, curator, nurse] = ['school', 'student', 'guardian', 'curator', 'nurse'].map(id);
  let world: World;
  let as: Record<'admin' | 'sis' | 'welfareAdmin' | 'guardian' | 'student' | 'curator' | 'nurse', Client>;

  beforeAll(async () => {
    world = await startWorld('capacity', ids);
    as = {
      admin: world.admin,
      sis: world.sis,
      welfareAdmin: world.welfareAdmin,
      guardian: await world.user(guardian, 'guardian'),
      student: await world.user(student, 'student'),
      curator: await world.user(curator, 'curator'),
      nurse: await world.user(nurse, 'nurse'),
    };
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  const consent = (path: string) => world.consent(path);
  const disclosure = (path: string) => world.disclosure(path);
  const today = () => new Date().toISOString().slice(0, 10);

  const ask = (client: Client, consistentWith: string) =>
    client.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, categories: ['grades'], basis: 'consent', purpose: 'student welfare assessment', consistentWith });
  const consentFor = (roles: string[]) => ({ studentId: student, categories: ['grades'], recipient: { welfareAreaId: welfareArea, roles }, purpose: 'student welfare assessment' });

  it("lets each field's professional decide who consents in that field", async () => {
    await world.servedSchool(school, 'Kykykoulu');
    await world.enroll({ studentId: student, schoolId: school, name: 'Kyky Oppilas', birthDate: '2012-05-06', group: '8B' });
    await world.linkGuardian(student, guardian, 'Kyky Huoltaja');
    await world.assign(curator, 'curator', school);
    await world.assign(nurse, 'nurse', school);
    expectOk(await as.sis.post(world.roster(`/v1/students/${student}/records`), { recordId: id('r1'), category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '8' }));

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
