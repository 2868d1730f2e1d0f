import { randomUUID } from 'node:crypto';
import { eventCounts, type Client, type RunningSilta } from './harness';
import { expectOk, onceAccepted, outcomes, runIds, startWorld, type World } from './world';

/**
 * A student of 18 or more decides alone (custody ends at 18, 361/1983 3 §), end to end: the apps as
 * processes on the real broker and PostgreSQL, driven over HTTP. Consent reads the birth date from
 * roster's standing: the adult, never assessed, grants their own consent to curators and the
 * curator's consent-basis request is permitted on it; the guardian's grant is refused 403
 * student_is_adult and nothing is appended, and the guardian may not list the adult's consents.
 * With roster stopped, a minor's guardian still pauses and withdraws, and a grant is a 502.
 */
jest.setTimeout(240_000);

describe('Silta end to end: the adult student consents alone', () => {
  const ids = runIds();
  const { id, welfareArea } = ids;
  const [school, adult, minor, guardian, minorsGuardian, curator] = ['school', 'adult', 'minor', 'guardian', 'minors-guardian', 'curator'].map(id);
  let world: World;
  let silta: RunningSilta;
  let as: Record<'admin' | 'sis' | 'welfareAdmin' | 'guardian' | 'minorsGuardian' | 'adult' | 'curator', Client>;

  /** Eighteen years and a month before today (UTC): 18 whatever the time of day in Helsinki. */
  const adultBirthDate = () => {
    const date = new Date();
    date.setUTCFullYear(date.getUTCFullYear() - 18);
    date.setUTCDate(date.getUTCDate() - 31);
    return date.toISOString().slice(0, 10);
  };

  beforeAll(async () => {
    world = await startWorld('adult', ids);
    silta = world.silta;
    as = {
      admin: world.admin,
      sis: world.sis,
      welfareAdmin: world.welfareAdmin,
      guardian: await world.user(guardian, 'guardian'),
      minorsGuardian: await world.user(minorsGuardian, 'guardian'),
      adult: await world.user(adult, 'student'),
      curator: await world.user(curator, 'curator'),
    };
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  const roster = (path: string) => world.roster(path);
  const consent = (path: string) => world.consent(path);
  const disclosure = (path: string) => world.disclosure(path);

  const consentFor = (studentId: string) => ({ studentId, categories: ['grades'], recipient: { welfareAreaId: welfareArea, roles: ['curator'] }, purpose: 'student welfare assessment' });

  it("lets the adult consent alone, unassessed, and refuses the guardian's grant and list, appending nothing", async () => {
    await world.servedSchool(school, 'Aikuiskoulu');
    await world.enroll({ studentId: adult, schoolId: school, name: 'Aikuinen Oppilas', birthDate: adultBirthDate(), group: '3A' });
    await world.linkGuardian(adult, guardian, 'Entinen Huoltaja');
    await world.assign(curator, 'curator', school);
    expectOk(await as.sis.post(roster(`/v1/students/${adult}/records`), { recordId: id('r1'), category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '9' }));

    // No capacity assessment at all: the adult's own consent is granted.
    const own = expectOk(await as.adult.post(consent('/v1/consents'), consentFor(adult)));

    // Once consent's view knows the guardian's link, the guardian is refused as the guardian of an adult, and nothing is appended.
    const before = await eventCounts(silta.databases);
    const refused = await onceAccepted("consent's view did not learn the guardian's link", () => as.guardian.post(consent('/v1/consents'), consentFor(adult)), (a) => a.body.code !== 'not_a_guardian');
    expect(refused).toMatchObject({ status: 403, body: { code: 'student_is_adult', detail: expect.stringContaining('361/1983 3 §') } });
    expect(refused.contentType).toContain('application/problem+json');
    expect((await as.guardian.get(consent(`/v1/students/${adult}/consents`))).body).toMatchObject({ status: 403, code: 'student_is_adult' });
    expect(await eventCounts(silta.databases)).toEqual(before);
    expect((await as.adult.get(consent(`/v1/students/${adult}/consents`))).body).toMatchObject({ consents: [{ consentId: own.body.consentId, grantedBy: { kind: 'student', id: adult } }] });

    // The curator's consent-basis request is permitted on the adult's own consent.
    const catchingUp = ['not_enrolled', 'other_municipality', 'school_not_served', 'not_assigned'];
    const asked = await onceAccepted(
      "disclosure's view did not catch up for the curator",
      () => as.curator.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: adult, categories: ['grades'], basis: 'consent', purpose: 'student welfare assessment', consistentWith: own.body.positionToken }),
      (a) => a.status === 200 && !a.body.categories.some((c: { reason: string }) => catchingUp.includes(c.reason)),
    );
    expect(outcomes(asked)).toEqual(['grades:permit:consent_given']);
    expect(asked.body.data.grades).toHaveLength(1);
  });

  it("lets a minor's guardian pause and withdraw with roster stopped, and answers a grant 502 roster_unavailable, appending nothing", async () => {
    expectOk(await as.admin.post(roster('/v1/students'), { studentId: minor, schoolId: school, name: 'Alaikäinen Oppilas', birthDate: '2013-05-06', group: '7A' }));
    expectOk(await as.admin.post(roster(`/v1/students/${minor}/guardians`), { guardianId: minorsGuardian, name: 'Huoltaja Kaksi', contact: { email: 'kaksi@example.invalid' } }));
    const granted = await onceAccepted("consent's view did not learn the minor's guardian", () => as.minorsGuardian.post(consent('/v1/consents'), consentFor(minor)));
    const consentId = granted.body.consentId as string;

    await silta.apps.roster.stop();
    const before = await eventCounts(silta.databases);
    const refused = await as.minorsGuardian.post(consent('/v1/consents'), consentFor(minor));
    expect(refused).toMatchObject({ status: 502, body: { code: 'roster_unavailable' } });
    expect(await eventCounts(silta.databases)).toEqual(before);

    expect(await as.minorsGuardian.post(consent(`/v1/consents/${consentId}/pause`), {})).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await as.minorsGuardian.post(consent(`/v1/consents/${consentId}/withdraw`), {})).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
  });
});
