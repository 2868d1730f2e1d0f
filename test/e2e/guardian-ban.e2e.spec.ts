import { randomUUID } from 'node:crypto';
import { eventually, type TestDatabase } from '@silta/testing';
import { queryDatabase, type Answer, type Client, type RunningApp } from './harness';
import { expectOk as ok, runIds, startWorld, type World } from './world';

/**
 * A minor's ban on informing guardians (issue 12 item 5) over the three apps on the real broker
 * and PostgreSQL: a ban on nurse disclosures (health data, potilaslaki 9 §) keeps them out of the
 * guardian's disclosure log and data-subject report, not the student's; a nurse's assessment that
 * overrides a ban on curator disclosures shows the guardian those again, and leaves the ban on
 * nurse disclosures in force. The steps build on each other, in order.
 */
describe("a minor's ban on informing guardians, and a professional's assessment of it", () => {
  const ids = runIds();
  const { id, welfareArea } = ids;
  const [school, student, guardian, curator, nurse] = ['school', 'student', 'guardian', 'curator', 'nurse'].map(id);
  const why = 'Kept from the guardians, the curator visits cannot address what endangers the child at home.';
  const databases: Record<string, TestDatabase> = {};
  const apps: Record<string, RunningApp> = {};
  let as: Record<'student' | 'guardian' | 'curator' | 'nurse', Client>;
  let world: World | undefined;
  /** The two disclosures whose visibility the steps check. */
  const disclosures: Record<'byCurator' | 'byNurse', string> = { byCurator: '', byNurse: '' };

  beforeAll(async () => {
    world = await startWorld('ban', ids);
    Object.assign(databases, world.silta.databases);
    Object.assign(apps, world.silta.apps);
    as = {
      student: await world.user(student, 'student'),
      guardian: await world.user(guardian, 'guardian'),
      curator: await world.user(curator, 'curator'),
      nurse: await world.user(nurse, 'nurse'),
    };

    await world.servedSchool(school, 'Kieltokoulu');
    await world.enroll({ studentId: student, schoolId: school, name: 'Kielto Oppilas', birthDate: '2012-09-14', group: '8C' });
    await world.linkGuardian(student, guardian, 'Kielto Huoltaja', 'h@example.invalid');
    await world.assign(curator, 'curator', school);
    await world.assign(nurse, 'nurse', school);
    await eventually(
      async () =>
        (await query('SELECT 1 FROM dv_schools WHERE school_id = $1 AND served_by IS NOT NULL', [school])).length === 1 &&
        (await query('SELECT 1 FROM dv_assignments WHERE assignment_id IN ($1, $2)', [id('a-curator'), id('a-nurse')])).length === 2 &&
        (await query('SELECT 1 FROM dv_students WHERE student_id = $1 AND school_id = $2', [student, school])).length === 1 &&
        (await query('SELECT 1 FROM dv_guardian_links WHERE student_id = $1 AND active', [student])).length === 1,
      60_000,
      () => `disclosure's view did not catch up:\n${apps.disclosure!.output().slice(-3000)}`,
    );

    // The guardian consents to absences for the area's nurses; consent's own roster view must know the link first.
    let granted!: Answer;
    await eventually(
      async () => {
        granted = await as.guardian.post(consent('/v1/consents'), { studentId: student, categories: ['absences'], recipient: { welfareAreaId: welfareArea, roles: ['nurse'] }, purpose: 'health check follow-up' });
        return granted.status === 201;
      },
      60_000,
      () => `consent never accepted the guardian: ${granted?.status} ${JSON.stringify(granted?.body)}`,
    );

    const byCurator = ok(await disclose(as.curator, { categories: ['identification'], basis: 'identification', purpose: 'first meeting' }));
    expect(byCurator.body.outcome).toBe('permit');
    const byNurse = ok(await disclose(as.nurse, { categories: ['absences'], basis: 'consent', purpose: 'health check follow-up', consistentWith: granted.body.positionToken }));
    expect(byNurse.body.categories).toEqual([expect.objectContaining({ category: 'absences', outcome: 'permit', reason: 'consent_given' })]);
    disclosures.byCurator = byCurator.body.disclosureId;
    disclosures.byNurse = byNurse.body.disclosureId;
  }, 240_000);

  afterAll(() => world?.stop(), 60_000);

  const consent = (path: string) => `${apps.consent!.url}${path}`;
  const disclosure = (path: string) => `${apps.disclosure!.url}${path}`;

  function disclose(client: Client, body: Record<string, unknown>): Promise<Answer> {
    return client.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, ...body });
  }

  const query = (sql: string, params: unknown[]) => queryDatabase(databases.disclosure!, sql, params);

  /** Waits until disclosure has applied the hidden set consent published. */
  async function disclosureHides(roles: string[]): Promise<void> {
    let seen: unknown;
    await eventually(
      async () => {
        seen = (await query('SELECT hidden_roles FROM dv_guardian_visibility WHERE student_id = $1', [student]))[0]?.hidden_roles;
        return JSON.stringify(typeof seen === 'string' ? JSON.parse(seen) : seen) === JSON.stringify(roles);
      },
      30_000,
      () => `disclosure never hid ${JSON.stringify(roles)} from guardians (it holds ${JSON.stringify(seen)})`,
    );
  }

  /** The disclosure ids a caller sees in the student's disclosure log and in their data-subject report. */
  async function seenBy(client: Client): Promise<{ log: string[]; report: string[] }> {
    const log = ok(await client.get(disclosure(`/v1/students/${student}/disclosure-log`))).body.entries as Array<{ disclosureId: string }>;
    const report = ok(await client.get(disclosure(`/v1/students/${student}/data-subject-report`))).body.entries as Array<{ disclosureId: string }>;
    return { log: log.map((e) => e.disclosureId).sort(), report: report.map((e) => e.disclosureId).sort() };
  }

  const both = () => [disclosures.byCurator, disclosures.byNurse].sort();

  it("keeps the nurse's consent-based disclosure from the guardian's log and report once the student bans nurse disclosures, not from the student's", async () => {
    expect(await seenBy(as.guardian)).toEqual({ log: both(), report: both() });
    ok(await as.student.put(consent(`/v1/students/${student}/guardian-visibility`), { hiddenRoles: ['nurse'] }));
    await disclosureHides(['nurse']);

    expect(await seenBy(as.guardian)).toEqual({ log: [disclosures.byCurator], report: [disclosures.byCurator] });
    expect(await seenBy(as.student)).toEqual({ log: both(), report: both() });
  });

  it('hides the curator disclosure too when the student bans curator disclosures as well', async () => {
    ok(await as.student.put(consent(`/v1/students/${student}/guardian-visibility`), { hiddenRoles: ['curator', 'nurse'] }));
    await disclosureHides(['curator', 'nurse']);
    expect(await seenBy(as.guardian)).toEqual({ log: [], report: [] });
  });

  it("shows the guardian the curator disclosure again after a nurse's overriding assessment; the ban on nurse disclosures survives it", async () => {
    const assessed = ok(await as.nurse.post(consent(`/v1/students/${student}/guardian-visibility/assessment`), { outcome: 'overridden', why }));
    expect(assessed.body).toMatchObject({ outcome: 'overridden', hiddenRoles: ['nurse'] });
    await disclosureHides(['nurse']);

    expect(await seenBy(as.guardian)).toEqual({ log: [disclosures.byCurator], report: [disclosures.byCurator] });
    expect(await seenBy(as.student)).toEqual({ log: both(), report: both() });
    // The student (and the assigned professionals) see the declaration, the assessment and its result.
    expect(ok(await as.student.get(consent(`/v1/students/${student}/guardian-visibility`))).body).toMatchObject({
      hiddenRoles: ['nurse'],
      declaration: { roles: ['curator', 'nurse'], declaredBy: { kind: 'student', id: student } },
      assessment: { outcome: 'overridden', roles: ['curator'], why, assessedBy: { kind: 'professional', id: nurse, role: 'nurse' } },
    });
  });

  it("refuses the curator assessing the ban and the guardian reading it, and the guardian's view stays as it was", async () => {
    const byCurator = await as.curator.post(consent(`/v1/students/${student}/guardian-visibility/assessment`), { outcome: 'upheld', why });
    expect([byCurator.status, byCurator.body.code]).toEqual([403, 'not_a_health_professional']);
    const byGuardian = await as.guardian.get(consent(`/v1/students/${student}/guardian-visibility`));
    expect(byGuardian.status).toBe(403);
    expect(await seenBy(as.guardian)).toEqual({ log: [disclosures.byCurator], report: [disclosures.byCurator] });
  });
});
