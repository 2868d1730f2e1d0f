import { randomUUID } from 'node:crypto';
import { eventually } from '@silta/testing';
import { Client, eventCounts, startSilta, testSecrets, type Answer, type RunningSilta } from './harness';

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
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipalityId = id('m');
  const municipality = `municipality:${municipalityId}`;
  const welfareArea = id('w');
  const [school, adult, minor, guardian, minorsGuardian, curator] = ['school', 'adult', 'minor', 'guardian', 'minors-guardian', 'curator'].map(id);
  const secrets = testSecrets();
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
    silta = await startSilta('adult', secrets, { CONSISTENCY_WAIT_MS: '10000' }, { municipality: municipalityId });
    const s = secrets.JWT_SECRET;
    as = {
      admin: await Client.as(s, id('admin'), 'school_admin', municipality),
      sis: await Client.as(s, id('sis'), 'sis', municipality),
      welfareAdmin: await Client.as(s, id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`),
      guardian: await Client.as(s, guardian, 'guardian'),
      minorsGuardian: await Client.as(s, minorsGuardian, 'guardian'),
      adult: await Client.as(s, adult, 'student'),
      curator: await Client.as(s, curator, 'curator', `welfare-area:${welfareArea}`),
    };
  }, 240_000);

  afterAll(async () => {
    await silta?.stop();
  }, 60_000);

  const roster = (path: string) => `${silta.apps.roster.url}${path}`;
  const consent = (path: string) => `${silta.apps.consent.url}${path}`;
  const disclosure = (path: string) => `${silta.apps.disclosure.url}${path}`;

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

  const consentFor = (studentId: string) => ({ studentId, categories: ['grades'], recipient: { welfareAreaId: welfareArea, roles: ['curator'] }, purpose: 'student welfare assessment' });
  const outcomes = (answer: Answer) => (answer.body.categories as Array<{ category: string; outcome: string; reason: string }>).map((c) => `${c.category}:${c.outcome}:${c.reason}`);

  it("lets the adult consent alone, unassessed, and refuses the guardian's grant and list, appending nothing", async () => {
    expectOk(await as.admin.post(roster('/v1/schools'), { schoolId: school, name: 'Aikuiskoulu' }));
    expectOk(await as.admin.put(roster(`/v1/schools/${school}/service`), { welfareAreaId: welfareArea }));
    expectOk(await as.admin.post(roster('/v1/students'), { studentId: adult, schoolId: school, name: 'Aikuinen Oppilas', birthDate: adultBirthDate(), group: '3A' }));
    expectOk(await as.admin.post(roster(`/v1/students/${adult}/guardians`), { guardianId: guardian, name: 'Entinen Huoltaja', contact: { email: 'huoltaja@example.invalid' } }));
    expectOk(await as.welfareAdmin.post(roster('/v1/assignments'), { assignmentId: id('a-curator'), professionalId: curator, role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
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
