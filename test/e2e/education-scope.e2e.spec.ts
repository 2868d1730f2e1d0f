import { randomUUID } from 'node:crypto';
import { eventually } from '@silta/testing';
import type { Answer, Client } from './harness';
import { expectOk, outcomes, runIds, startWorld, type World } from './world';

/**
 * The student-welfare act's scope (1287/2013 1 §; issue 12 item 7), end to end: the school admin
 * records a student's form of education in roster, and disclosure, reading it from roster when it
 * decides, denies the curator's necessity route for an adult upper-secondary student who is not in
 * compulsory education (`outside_student_welfare_act`), and permits it once the student is. Consent
 * is not limited by the act's scope, and a basic-education student's necessity request is decided as
 * before.
 */

jest.setTimeout(90_000);

describe("Silta end to end: the student-welfare act's scope", () => {
  const ids = runIds();
  const { id, welfareArea } = ids;
  const [school, adult, pupil, guardian, curator] = ['school', 'adult-student', 'pupil', 'guardian', 'curator'].map(id);
  /** Sixteen this year: in compulsory education by age, and a guardian's consent still counts. */
  const birthDate = `${new Date().getUTCFullYear() - 16}-01-15`;
  const justification = 'Repeated absences reported by the group supervisor; assessing the need for support.';
  let world: World;
  let as: Record<string, Client>;

  beforeAll(async () => {
    world = await startWorld('education_scope', ids);
    as = {
      admin: world.admin,
      sis: world.sis,
      welfareAdmin: world.welfareAdmin,
      guardian: await world.user(guardian, 'guardian'),
      curator: await world.user(curator, 'curator'),
    };
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  const roster = (path: string) => world.roster(path);
  const consent = (path: string) => world.consent(path);
  const disclosure = (path: string) => world.disclosure(path);

  const necessity = (studentId: string) => ({ studentId, categories: ['absences', 'lesson_markings'], basis: 'necessity', caseId: id('case'), justification });

  /** The curator's request, retried while disclosure's view has not yet caught up with roster (the student, the school's service, the assignment). */
  async function onceSeen(body: Record<string, unknown>): Promise<Answer> {
    const catchingUp = ['not_enrolled', 'other_municipality', 'school_not_served', 'not_assigned'];
    let answer!: Answer;
    await eventually(
      async () => {
        answer = await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), purpose: 'student welfare assessment', ...body });
        return answer.status === 200 && !answer.body.categories.some((c: { reason: string }) => catchingUp.includes(c.reason));
      },
      30_000,
      () => `disclosure's view did not catch up: ${answer?.status} ${JSON.stringify(answer?.body)}\n${world.silta.apps.disclosure.output().slice(-3000)}`,
    );
    return answer;
  }

  beforeAll(async () => {
    await world.servedSchool(school, 'Aikuislukio');
    await world.enroll({ studentId: adult, schoolId: school, name: 'Aikuis Opiskelija', birthDate, group: 'AL1', educationForm: 'adult_upper_secondary', inCompulsoryEducation: false });
    // no education form named: basic education, as every student enrolled before the form existed
    await world.enroll({ studentId: pupil, schoolId: school, name: 'Perus Oppilas', birthDate, group: '9A' });
    await world.linkGuardian(adult, guardian, 'Opiskelijan Huoltaja');
    await world.assign(curator, 'curator', school);
    for (const studentId of [adult, pupil]) {
      expectOk(await as.sis!.post(roster(`/v1/students/${studentId}/records`), { recordId: id(`${studentId}-r1`), category: 'absences', date: '2026-02-02', hours: 3 }));
      expectOk(await as.sis!.post(roster(`/v1/students/${studentId}/records`), { recordId: id(`${studentId}-r2`), category: 'lesson_markings', date: '2026-02-03', subject: 'history', marking: 'homework missing' }));
    }
  }, 60_000);

  it('denies the necessity route for an adult upper-secondary student outside compulsory education, and permits it once the student is in it', async () => {
    const outside = await onceSeen(necessity(adult));
    expect(outside.body.outcome).toBe('deny');
    expect(outcomes(outside)).toEqual(['absences:deny:outside_student_welfare_act', 'lesson_markings:deny:outside_student_welfare_act']);
    expect(outside.body.data).toEqual({});

    const set = expectOk(await as.admin!.put(roster(`/v1/students/${adult}/education`), { educationForm: 'adult_upper_secondary', inCompulsoryEducation: true }));
    expect(set.body).toEqual({ studentId: adult, educationForm: 'adult_upper_secondary', inCompulsoryEducation: true });

    // read from roster at decision time: no wait for Kafka
    const inside = expectOk(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), purpose: 'student welfare assessment', ...necessity(adult) }));
    expect(outcomes(inside)).toEqual(['absences:permit:necessary_for_case', 'lesson_markings:permit:necessary_for_case']);
    expect(inside.body.data.absences).toHaveLength(1);
    expect(inside.body.data.lesson_markings).toHaveLength(1);
  });

  it("permits a basic-education student's necessity request as before", async () => {
    const basic = await onceSeen(necessity(pupil));

    expect(outcomes(basic)).toEqual(['absences:permit:necessary_for_case', 'lesson_markings:permit:necessary_for_case']);
    expect(basic.body.data.absences).toHaveLength(1);
  });

  it("does not limit consent: a guardian's consent for the adult upper-secondary student outside compulsory education counts", async () => {
    expectOk(await as.admin!.put(roster(`/v1/students/${adult}/education`), { educationForm: 'adult_upper_secondary', inCompulsoryEducation: false }));
    let granted!: Answer;
    await eventually(
      async () => {
        granted = await as.guardian!.post(consent('/v1/consents'), {
          studentId: adult,
          categories: ['absences'],
          recipient: { welfareAreaId: welfareArea, roles: ['curator'] },
          purpose: 'student welfare assessment',
        });
        return granted.status === 201;
      },
      30_000,
      () => `consent never accepted the guardian: ${granted?.status} ${JSON.stringify(granted?.body)}`,
    );

    const onConsent = expectOk(
      await as.curator!.post(disclosure('/v1/disclosures'), {
        requestId: randomUUID(),
        studentId: adult,
        categories: ['absences'],
        basis: 'consent',
        purpose: 'student welfare assessment',
        consistentWith: granted.body.positionToken,
      }),
    );
    expect(outcomes(onConsent)).toEqual(['absences:permit:consent_given']);
    expect(onConsent.body.data.absences).toHaveLength(1);
    // and the necessity route is closed again for the student
    const outside = expectOk(await as.curator!.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), purpose: 'student welfare assessment', ...necessity(adult) }));
    expect(outcomes(outside)).toEqual(['absences:deny:outside_student_welfare_act', 'lesson_markings:deny:outside_student_welfare_act']);
  });
});
