import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@silta/testing';
import { policyFileFor, type Answer, type Client } from './harness';
import { expectOk, outcomes, runIds, startWorld, type World } from './world';

/**
 * The seed's story against disclosure running the seed municipality's stricter policy
 * (apps/disclosure/policy/seed-model.policy.yaml, issue 12): what a professional, a guardian, the
 * school admin and an auditor see change compared with the default policy. Welfare access must be
 * activated per student; every linked guardian must consent; the curator's necessity set is absences
 * only and needs a longer justification; the emergency set is identification data only, for two
 * hours; every decision names the seed policy.
 */
const policyDirectory = join(__dirname, '..', '..', 'apps', 'disclosure', 'policy');
const SEED_POLICY = join(policyDirectory, 'seed-model.policy.yaml');
const DEFAULT_POLICY = join(policyDirectory, 'default.policy.yaml');

/** A policy file's `version`. */
const versionOf = (file: string) => /^version:\s*"?([^"\n]+?)"?\s*$/m.exec(readFileSync(file, 'utf8'))![1]!;

/**
 * The seed policy as municipality `municipality`'s own (its bare id), written into `dir`, as
 * policyFileFor does for the default. `source` another policy file: DEFAULT_POLICY makes every test here fail.
 */

jest.setTimeout(90_000);

describe("Silta end to end: the seed municipality's stricter policy", () => {
  const ids = runIds('seed');
  const { id, municipalityId, welfareArea } = ids;
  const [school, student, guardian, secondGuardian, curator, nurse] = ['school', 'student', 'guardian', 'guardian-2', 'curator', 'nurse'].map(id);
  const policyId = `municipality:${municipalityId}/disclosure-policy`;
  const policyDir = mkdtempSync(join(tmpdir(), 'silta-seed-policy-'));
  let world: World;
  let as: Record<string, Client>;
  /** Every answered decision, to check each names the seed policy. */
  const decided: Answer[] = [];

  beforeAll(async () => {
    world = await startWorld('seed_policy', ids, { POLICY_FILE: policyFileFor(municipalityId, policyDir, SEED_POLICY), CONSISTENCY_WAIT_MS: '10000' });
    as = {
      admin: world.admin,
      sis: world.sis,
      welfareAdmin: world.welfareAdmin,
      guardian: await world.user(guardian, 'guardian'),
      secondGuardian: await world.user(secondGuardian, 'guardian'),
      curator: await world.user(curator, 'curator'),
      nurse: await world.user(nurse, 'nurse'),
      auditor: await world.user(id('auditor'), 'auditor', `welfare-area:${welfareArea}`),
    };
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
    rmSync(policyDir, { recursive: true, force: true });
  }, 60_000);

  const roster = (path: string) => world.roster(path);
  const consent = (path: string) => world.consent(path);
  const disclosure = (path: string) => world.disclosure(path);

  async function requestDisclosure(client: Client, body: Record<string, unknown>): Promise<Answer> {
    const answer = await client.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, purpose: 'student welfare assessment', ...body });
    if (answer.status === 200) decided.push(answer);
    return answer;
  }

  /** Retries a request while disclosure's view has not yet caught up with roster (the student, the school's service, the assignment). */
  async function onceSeen(client: Client, body: Record<string, unknown>): Promise<Answer> {
    const catchingUp = ['not_enrolled', 'other_municipality', 'school_not_served', 'not_assigned'];
    let answer!: Answer;
    await eventually(
      async () => {
        answer = await client.post(disclosure('/v1/disclosures'), { requestId: randomUUID(), studentId: student, purpose: 'student welfare assessment', ...body });
        return answer.status === 200 && !answer.body.categories.some((c: { reason: string }) => catchingUp.includes(c.reason));
      },
      30_000,
      () => `disclosure's view did not catch up: ${answer?.status} ${JSON.stringify(answer?.body)}\n${world.silta.apps.disclosure.output().slice(-3000)}`,
    );
    decided.push(answer);
    return answer;
  }

  /** A guardian's consent for the welfare area's curators, once consent's view knows the guardian. */
  async function grant(client: Client, categories: string[]): Promise<Answer> {
    let granted!: Answer;
    await eventually(
      async () => {
        granted = await client.post(consent('/v1/consents'), { studentId: student, categories, recipient: { welfareAreaId: welfareArea, roles: ['curator'] }, purpose: 'student welfare assessment' });
        return granted.status === 201;
      },
      30_000,
      () => `consent never accepted the guardian: ${granted?.status} ${JSON.stringify(granted?.body)}`,
    );
    return granted;
  }

  it('denies every basis until the school admin activates welfare access for the student, then permits', async () => {
    await world.servedSchool(school, 'Siemenkoulu');
    await world.enroll({ studentId: student, schoolId: school, name: 'Siemen Oppilas', birthDate: '2012-05-06', group: '8B' });
    await world.linkGuardian(student, guardian, 'Ensimmäinen Huoltaja', 'huoltaja1@example.invalid');
    expectOk(await as.admin!.post(roster(`/v1/students/${student}/guardians`), { guardianId: secondGuardian, name: 'Toinen Huoltaja', contact: { phone: '+358 40 000 0000' } }));
    await world.assign(curator, 'curator', school);
    await world.assign(nurse, 'nurse', school);
    for (const record of [
      { recordId: id('r1'), category: 'absences', date: '2026-02-02', hours: 2, reason: 'illness' },
      { recordId: id('r2'), category: 'lesson_markings', date: '2026-02-03', subject: 'mathematics', marking: 'homework missing' },
      { recordId: id('r3'), category: 'detentions', date: '2026-02-04', reason: 'disturbed the lesson' },
      { recordId: id('r4'), category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '8' },
    ]) {
      expectOk(await as.sis!.post(roster(`/v1/students/${student}/records`), record));
    }

    // assigned, at a served school, of the policy's municipality: still nothing, not even identification data
    const inactive = await onceSeen(as.curator!, { categories: ['identification', 'guardian_contacts'], basis: 'identification' });
    expect(inactive.body.outcome).toBe('deny');
    expect(outcomes(inactive)).toEqual(['identification:deny:welfare_access_inactive', 'guardian_contacts:deny:welfare_access_inactive']);
    expect(inactive.body.data).toEqual({});
    const emergencyBefore = expectOk(
      await requestDisclosure(as.curator!, { categories: ['identification'], basis: 'emergency', justification: 'The student told the class teacher they are afraid to go home today.' }),
    );
    expect(outcomes(emergencyBefore)).toEqual(['identification:deny:welfare_access_inactive']);
    expect(emergencyBefore.body.emergencyWindow).toBeUndefined();
    const nurseBefore = await onceSeen(as.nurse!, { categories: ['identification'], basis: 'identification' });
    expect(outcomes(nurseBefore)).toEqual(['identification:deny:welfare_access_inactive']);
    const explained = expectOk(
      await as.curator!.call('POST', disclosure('/v1/disclosures/explain'), { requestId: randomUUID(), studentId: student, categories: ['identification'], basis: 'identification', purpose: 'planning' }, { 'accept-language': 'en' }),
    );
    expect(explained.body.categories[0]).toMatchObject({ category: 'identification', outcome: 'deny', reason: 'welfare_access_inactive' });
    expect(explained.body.data).toBeUndefined();

    // the school admin activates welfare access for the student: identification data flows
    expect(expectOk(await as.admin!.put(roster(`/v1/students/${student}/welfare-access`), { active: true })).body).toEqual({ studentId: student, active: true });
    let active!: Answer;
    await eventually(
      async () => {
        active = expectOk(await requestDisclosure(as.curator!, { categories: ['identification', 'guardian_contacts'], basis: 'identification' }));
        return active.body.outcome !== 'deny';
      },
      30_000,
      () => `the activation never reached disclosure: ${JSON.stringify(active?.body)}`,
    );
    expect(outcomes(active)).toEqual(['identification:permit:identification_data', 'guardian_contacts:permit:identification_data']);
    expect(active.body.data.identification).toEqual({ name: 'Siemen Oppilas', birthDate: '2012-05-06', group: '8B' });
    expect(active.body.data.guardian_contacts.map((g: { guardianId: string }) => g.guardianId).sort()).toEqual([guardian, secondGuardian].sort());
  });

  it("needs every linked guardian's consent: one guardian's is incomplete, both permit", async () => {
    // both guardians are linked in disclosure's view: each may read the student's disclosure log
    for (const client of [as.guardian!, as.secondGuardian!]) {
      await eventually(async () => (await client.get(disclosure(`/v1/students/${student}/disclosure-log`))).status === 200, 30_000, () => 'a guardian never reached disclosure');
    }

    const first = await grant(as.guardian!, ['absences', 'grades', 'lesson_markings']);
    const oneGuardian = expectOk(await requestDisclosure(as.curator!, { categories: ['grades', 'lesson_markings'], basis: 'consent', consistentWith: first.body.positionToken }));
    expect(oneGuardian.body.outcome).toBe('deny');
    expect(outcomes(oneGuardian)).toEqual(['grades:deny:consent_incomplete', 'lesson_markings:deny:consent_incomplete']);
    expect(oneGuardian.body.data).toEqual({});

    // the second guardian consents to grades and absences, not lesson markings
    const second = await grant(as.secondGuardian!, ['absences', 'grades']);
    const both = expectOk(
      await requestDisclosure(as.curator!, { categories: ['absences', 'grades', 'lesson_markings'], basis: 'consent', consistentWith: second.body.positionToken }),
    );
    expect(both.body.outcome).toBe('partial');
    expect(outcomes(both)).toEqual(['absences:permit:consent_given', 'grades:permit:consent_given', 'lesson_markings:deny:consent_incomplete']);
    expect(Object.keys(both.body.data).sort()).toEqual(['absences', 'grades']);
    expect(both.body.data.grades).toEqual([expect.objectContaining({ subject: 'mathematics', grade: '8' })]);
    // absence reasons are never released, not even on every guardian's consent
    expect(both.body.data.absences).toHaveLength(1);
    expect(JSON.stringify(both.body.data)).not.toContain('illness');

    // one guardian withdraws: consent is incomplete again
    const withdrawn = expectOk(await as.secondGuardian!.post(consent(`/v1/consents/${second.body.consentId}/withdraw`), { reason: 'changed my mind' }));
    const afterWithdrawal = expectOk(await requestDisclosure(as.curator!, { categories: ['grades'], basis: 'consent', consistentWith: withdrawn.body.positionToken }));
    expect(outcomes(afterWithdrawal)).toEqual(['grades:deny:consent_incomplete']);
    expect(afterWithdrawal.body.data).toEqual({});
  });

  it("limits necessity to the curator's absences, with a justification of at least 50 characters; nurses get nothing on necessity", async () => {
    const justification = 'Repeated absences reported by the class teacher; assessing the need for support.';
    expect(justification.length).toBeGreaterThanOrEqual(50);

    const necessity = expectOk(
      await requestDisclosure(as.curator!, { categories: ['absences', 'lesson_markings', 'detentions'], basis: 'necessity', caseId: id('case'), justification }),
    );
    expect(outcomes(necessity)).toEqual(['absences:permit:necessary_for_case', 'lesson_markings:deny:not_in_profession_set', 'detentions:deny:not_in_profession_set']);
    expect(necessity.body.flags).toEqual({ supervision: true, review: false });
    expect(Object.keys(necessity.body.data)).toEqual(['absences']);
    expect(necessity.body.data.absences).toHaveLength(1);
    expect(JSON.stringify(necessity.body.data)).not.toContain('illness');
    expect(JSON.stringify(necessity.body.data)).not.toContain('disturbed the lesson');

    // a justification the default would accept (at least 30 characters) is too short here
    const short = 'Absences reported by the class teacher.';
    expect(short.length).toBeGreaterThanOrEqual(30);
    expect(short.length).toBeLessThan(50);
    const tooShort = expectOk(await requestDisclosure(as.curator!, { categories: ['absences'], basis: 'necessity', caseId: id('case'), justification: short }));
    expect(outcomes(tooShort)).toEqual(['absences:deny:justification_too_short']);
    expect(tooShort.body.data).toEqual({});

    const nurseNecessity = expectOk(await requestDisclosure(as.nurse!, { categories: ['absences'], basis: 'necessity', caseId: id('case'), justification }));
    expect(outcomes(nurseNecessity)).toEqual(['absences:deny:not_in_profession_set']);
    expect(nurseNecessity.body.data).toEqual({});
  });

  it('opens an emergency window of two hours over identification data and guardian contacts only', async () => {
    const justification = 'The student told the class teacher they are afraid to go home today; acute.';
    const emergency = expectOk(
      await requestDisclosure(as.curator!, { categories: ['identification', 'guardian_contacts', 'absences'], basis: 'emergency', justification }),
    );
    expect(outcomes(emergency)).toEqual(['identification:permit:emergency', 'guardian_contacts:permit:emergency', 'absences:deny:not_in_emergency_set']);
    expect(Object.keys(emergency.body.data).sort()).toEqual(['guardian_contacts', 'identification']);
    expect(emergency.body.flags.review).toBe(true);
    const { startedAt, endsAt } = emergency.body.emergencyWindow as { startedAt: string; endsAt: string };
    expect(Date.parse(endsAt) - Date.parse(startedAt)).toBe(120 * 60_000);
    const queue = expectOk(await as.auditor!.get(disclosure('/v1/audit/emergency-reviews?status=unreviewed')));
    expect(queue.body.disclosures.map((d: { disclosureId: string }) => d.disclosureId)).toContain(emergency.body.disclosureId);

    const tooShort = expectOk(await requestDisclosure(as.curator!, { categories: ['identification'], basis: 'emergency', justification: 'Acute situation reported by the teacher.' }));
    expect(outcomes(tooShort)).toEqual(['identification:deny:justification_too_short']);
  });

  it("records the seed policy's id and version with every decision, as the answers and the auditor's search show", async () => {
    const version = versionOf(SEED_POLICY);
    expect(version).not.toBe(versionOf(DEFAULT_POLICY));
    for (const answer of decided) expect(answer.body.audit.policy).toMatchObject({ id: policyId, version, hash: expect.any(String) });
    expect(decided.length).toBeGreaterThanOrEqual(10);
    const search = expectOk(await as.auditor!.get(disclosure(`/v1/audit/disclosures?studentId=${student}`)));
    const found = search.body.disclosures as Array<{ disclosureId: string; policy: { id: string; version: string } }>;
    expect(found.map((d) => d.disclosureId)).toEqual(expect.arrayContaining(decided.map((a) => a.body.disclosureId)));
    for (const d of found) expect(d.policy).toMatchObject({ id: policyId, version });
  });
});
