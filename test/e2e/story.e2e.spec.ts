import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { signUserToken } from '@silta/platform';
import { createTestDatabase, eventually, type TestDatabase } from '@silta/testing';
import { decide, type DecisionInput } from '@silta/decision';
import { Client, TcpProxy, audit, policyFileFor, startApp, testSecrets, type Answer, type RunningApp } from './harness';
import { expectOk, outcomes } from './world';

/**
 * The seed's story, end to end: the three apps as separate processes on the real Kafka broker and
 * PostgreSQL, driven over HTTP as the municipality, the welfare area, a guardian and the
 * professionals would.
 */
describe('Silta end to end: the seed story', () => {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const municipality = `municipality:${id('m')}`;
  const welfareArea = id('w');
  const [school, otherSchool, student, guardian, curator, nurse] = ['school', 'school-b', 'student', 'guardian', 'curator', 'nurse'].map(id);
  const secrets = testSecrets();
  const databases: Record<string, TestDatabase> = {};
  const apps: Record<string, RunningApp> = {};
  let proxy: TcpProxy;
  let as: Record<string, Client>;
  const requests: string[] = [];

  beforeAll(async () => {
    for (const name of ['roster', 'consent', 'disclosure']) databases[name] = await createTestDatabase(`silta_e2e_${name}`);
    // disclosure reaches its database through a proxy the test can cut
    const target = new URL(databases.disclosure!.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const proxied = new URL(databases.disclosure!.url);
    proxied.port = String(proxy.port);
    // each app on the test broker as its own principal (startApp), with the secrets it needs
    const common = { ...secrets };
    apps.roster = await startApp('roster', { ...common, DATABASE_URL: databases.roster!.url });
    [apps.consent, apps.disclosure] = await Promise.all([
      startApp('consent', { ...common, DATABASE_URL: databases.consent!.url, ROSTER_URL: apps.roster.url }),
      startApp('disclosure', { ...common, DATABASE_URL: proxied.toString(), ROSTER_URL: apps.roster.url, CONSISTENCY_WAIT_MS: '10000', POLICY_FILE: policyFileFor(id('m'), mkdtempSync(join(tmpdir(), 'silta-story-'))) }),
    ]);
    const s = secrets.JWT_SECRET;
    as = {
      admin: await Client.as(s, id('admin'), 'school_admin', municipality),
      sis: await Client.as(s, id('sis'), 'sis', municipality),
      welfareAdmin: await Client.as(s, id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`),
      guardian: await Client.as(s, guardian, 'guardian'),
      curator: await Client.as(s, curator, 'curator', `welfare-area:${welfareArea}`),
      nurse: await Client.as(s, nurse, 'nurse', `welfare-area:${welfareArea}`),
      auditor: await Client.as(s, id('auditor'), 'auditor', `welfare-area:${welfareArea}`),
    };
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
    await proxy?.close();
    for (const db of Object.values(databases)) await db.drop();
  }, 60_000);

  const roster = (path: string) => `${apps.roster!.url}${path}`;
  const consent = (path: string) => `${apps.consent!.url}${path}`;
  const disclosure = (path: string) => `${apps.disclosure!.url}${path}`;

  async function requestDisclosure(client: Client, body: Record<string, unknown>): Promise<Answer> {
    const requestId = (body.requestId as string) ?? randomUUID();
    const answer = await client.post(disclosure('/v1/disclosures'), { requestId, studentId: student, purpose: 'student welfare assessment', ...body });
    if (answer.status === 200 && !requests.includes(requestId)) requests.push(requestId);
    return answer;
  }

  async function query<T>(db: 'roster' | 'consent' | 'disclosure', sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new PgClient({ connectionString: databases[db]!.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const eventCount = async (db: 'roster' | 'consent' | 'disclosure') =>
    Number((await query<{ n: string }>(db, 'SELECT count(*) AS n FROM silta_events'))[0]!.n);

  it('walks the story: roster, consent, decisions, withdrawal, and the audit trail replays', async () => {
    expectOk(await as.admin!.post(roster('/v1/schools'), { schoolId: school, name: 'Testikoulu' }));
    expectOk(await as.admin!.post(roster('/v1/schools'), { schoolId: otherSchool, name: 'Toinen testikoulu' }));
    for (const schoolId of [school, otherSchool]) expectOk(await as.admin!.put(roster(`/v1/schools/${schoolId}/service`), { welfareAreaId: welfareArea }));
    expectOk(await as.admin!.post(roster('/v1/students'), { studentId: student, schoolId: school, name: 'Testi Oppilas', birthDate: '2012-05-06', group: '8B' }));
    expectOk(await as.admin!.post(roster(`/v1/students/${student}/guardians`), { guardianId: guardian, name: 'Testi Huoltaja', contact: { email: 'huoltaja@example.invalid' } }));
    expectOk(await as.welfareAdmin!.post(roster('/v1/assignments'), { assignmentId: id('a-curator'), professionalId: curator, role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
    expectOk(await as.welfareAdmin!.post(roster('/v1/assignments'), { assignmentId: id('a-nurse'), professionalId: nurse, role: 'nurse', welfareAreaId: welfareArea, schoolId: otherSchool, validFrom: '2020-01-01' }));
    for (const record of [
      { recordId: id('r1'), category: 'absences', date: '2026-02-02', hours: 2, reason: 'illness' },
      { recordId: id('r2'), category: 'absences', date: '2026-02-09', hours: 1 },
      { recordId: id('r3'), category: 'grades', date: '2026-01-15', subject: 'mathematics', grade: '8' },
      { recordId: id('r4'), category: 'support_needs', date: '2026-01-20', level: 'intensified', note: 'reading support' },
    ]) {
      expectOk(await as.sis!.post(roster(`/v1/students/${student}/records`), record));
    }

    // roster's events reach disclosure's view through Kafka, each partition at its own pace: the
    // schools (keyed by school) as well as the students, guardians and assignments
    await eventually(
      async () =>
        (await query('disclosure', 'SELECT 1 FROM dv_schools WHERE school_id = ANY($1) AND served_by = $2', [[school, otherSchool], welfareArea])).length === 2 &&
        (await query('disclosure', 'SELECT 1 FROM dv_assignments WHERE assignment_id = $1', [id('a-nurse')])).length === 1 &&
        (await query('disclosure', 'SELECT 1 FROM dv_students WHERE student_id = $1 AND school_id = $2', [student, school])).length === 1 &&
        (await query('disclosure', 'SELECT 1 FROM dv_guardian_links WHERE student_id = $1 AND active', [student])).length === 1,
      60_000,
      () => `disclosure's view did not catch up:\n${apps.disclosure!.output().slice(-3000)}`,
    );

    // absences on basis consent, before any consent: denied
    const noConsent = expectOk(await requestDisclosure(as.curator!, { categories: ['absences'], basis: 'consent' }));
    expect(noConsent.body.outcome).toBe('deny');
    expect(outcomes(noConsent)).toEqual(['absences:deny:no_consent']);
    expect(noConsent.body.data).toEqual({});

    // identification needs no consent: name, birth date and group only
    const identification = expectOk(await requestDisclosure(as.curator!, { categories: ['identification'], basis: 'identification' }));
    expect(identification.body.outcome).toBe('permit');
    expect(identification.body.data).toEqual({ identification: { name: 'Testi Oppilas', birthDate: '2012-05-06', group: '8B' } });

    // the guardian consents to absences and grades for the welfare area's curators
    let granted!: Answer;
    await eventually(
      async () => {
        granted = await as.guardian!.post(consent('/v1/consents'), {
          studentId: student,
          categories: ['absences', 'grades'],
          recipient: { welfareAreaId: welfareArea, roles: ['curator'] },
          purpose: 'student welfare assessment',
        });
        return granted.status === 201;
      },
      60_000,
      () => `consent never accepted the guardian: ${granted?.status} ${JSON.stringify(granted?.body)}`,
    );
    const consentId = granted.body.consentId as string;

    const partialRequestId = randomUUID();
    const partial = expectOk(
      await requestDisclosure(as.curator!, {
        requestId: partialRequestId,
        categories: ['absences', 'grades', 'support_needs'],
        basis: 'consent',
        consistentWith: granted.body.positionToken,
      }),
    );
    expect(partial.body.outcome).toBe('partial');
    expect(outcomes(partial)).toEqual(['absences:permit:consent_given', 'grades:permit:consent_given', 'support_needs:deny:no_consent']);
    expect(Object.keys(partial.body.data).sort()).toEqual(['absences', 'grades']);
    expect(partial.body.data.absences).toHaveLength(2);
    // an absence's reason is confidential: the default policy never releases it, not even on consent
    expect(JSON.stringify(partial.body.data.absences)).not.toContain('illness');
    expect(partial.body.data.absences.every((record: object) => !('reason' in record))).toBe(true);
    expect(partial.body.data.grades).toHaveLength(1);
    expect(JSON.stringify(partial.body.data)).not.toContain('reading support');

    // a repeated requestId answers the first decision with the same data and writes nothing; the
    // same requestId with another body is a conflict
    const auditBefore = await eventCount('disclosure');
    const repeated = expectOk(
      await requestDisclosure(as.curator!, { requestId: partialRequestId, categories: ['absences', 'grades', 'support_needs'], basis: 'consent', consistentWith: granted.body.positionToken }),
    );
    expect(repeated.body.disclosureId).toBe(partial.body.disclosureId);
    expect(outcomes(repeated)).toEqual(outcomes(partial));
    expect(repeated.body.dataHash).toBe(partial.body.dataHash);
    const reused = await requestDisclosure(as.curator!, { requestId: partialRequestId, categories: ['absences'], basis: 'identification' });
    expect([reused.status, reused.body.code]).toEqual([409, 'request_id_reused']);
    expect(await eventCount('disclosure')).toBe(auditBefore);

    // the guardian withdraws; the curator's next request, carrying the withdrawal's token, is denied at once
    const withdrawn = expectOk(await as.guardian!.post(consent(`/v1/consents/${consentId}/withdraw`), { reason: 'changed my mind' }));
    const afterWithdrawal = expectOk(
      await requestDisclosure(as.curator!, { categories: ['absences'], basis: 'consent', consistentWith: withdrawn.body.positionToken }),
    );
    expect(outcomes(afterWithdrawal)).toEqual(['absences:deny:no_consent']);
    expect(afterWithdrawal.body.data).toEqual({});

    // a nurse assigned to another school
    const nurseAnswer = expectOk(await requestDisclosure(as.nurse!, { categories: ['identification'], basis: 'identification' }));
    expect(outcomes(nurseAnswer)).toEqual(['identification:deny:not_assigned']);

    // the audit stream: one decision per request, in order, each reproduced by replaying its input
    const audit = await query<{ type: string; data: string; revision: string }>(
      'disclosure',
      'SELECT type, data, revision FROM silta_events WHERE stream_id = $1 ORDER BY position',
      [`audit-${student}`],
    );
    expect(audit).toHaveLength(requests.length);
    expect(audit.map((e) => Number(e.revision))).toEqual(audit.map((_, i) => i));
    const recorded = audit.map((e) => JSON.parse(e.data) as { input: DecisionInput; decision: unknown; input_requestId?: string });
    expect(recorded.map((e) => e.input.request.requestId)).toEqual(requests);
    for (const event of recorded) expect(decide(event.input)).toEqual(event.decision);

    // the guardian sees who received the data; the auditor finds the same decisions
    const log = expectOk(await as.guardian!.get(disclosure(`/v1/students/${student}/disclosure-log`)));
    expect(log.body.entries).toHaveLength(requests.length);
    const search = expectOk(await as.auditor!.get(disclosure(`/v1/audit/disclosures?studentId=${student}`)));
    expect(search.body.disclosures.map((d: { requestId: string }) => d.requestId)).toEqual(requests); // the nurse's too: same welfare area
  });

  it('applies the policy in full: necessity, emergency and its review, capacity, confidentiality, explanations', async () => {
    const justification = 'Repeated absences reported by the class teacher; assessing the need for support.';

    // necessity: a case and a justification; only the curator's set; flagged for supervision
    const necessity = expectOk(
      await requestDisclosure(as.curator!, { categories: ['absences', 'support_needs'], basis: 'necessity', caseId: id('case'), justification }),
    );
    expect(outcomes(necessity)).toEqual(['absences:permit:necessary_for_case', 'support_needs:deny:not_in_profession_set']);
    expect(necessity.body.flags).toEqual({ supervision: true, review: false });
    expect(Object.keys(necessity.body.data)).toEqual(['absences']);
    expect(necessity.body.data.absences).toHaveLength(2);
    expect(JSON.stringify(necessity.body.data)).not.toContain('illness');
    const supervision = expectOk(await as.auditor!.get(disclosure(`/v1/audit/supervision?professionalId=${curator}`)));
    expect(supervision.body.disclosures.map((d: { disclosureId: string }) => d.disclosureId)).toContain(necessity.body.disclosureId);

    // urgent: the curator's necessity request marked urgent is reviewed like emergency access; nobody else may mark one
    const urgent = expectOk(
      await requestDisclosure(as.curator!, { categories: ['absences'], basis: 'necessity', caseId: id('case-urgent'), justification, urgent: true }),
    );
    expect(outcomes(urgent)).toEqual(['absences:permit:necessary_for_case']);
    expect(urgent.body.flags).toEqual({ supervision: true, review: true });
    const nurseUrgent = await requestDisclosure(as.nurse!, { categories: ['absences'], basis: 'necessity', caseId: id('case-urgent'), justification, urgent: true });
    expect(nurseUrgent.status).toBe(403);
    expect(nurseUrgent.body.code).toBe('urgent_not_allowed');
    expect((await requestDisclosure(as.curator!, { categories: ['absences'], basis: 'consent', urgent: true })).status).toBe(400);

    // emergency: the policy's emergency set (identification data only: no source gives more), time-boxed, queued for review; an auditor reviews it
    const emergency = expectOk(await requestDisclosure(as.curator!, { categories: ['guardian_contacts', 'support_needs'], basis: 'emergency', justification }));
    expect(outcomes(emergency)).toEqual(['guardian_contacts:permit:emergency', 'support_needs:deny:not_in_emergency_set']);
    expect(emergency.body.data.support_needs).toBeUndefined();
    expect(emergency.body.flags.review).toBe(true);
    expect(Date.parse(emergency.body.emergencyWindow.endsAt)).toBeGreaterThan(Date.now());
    const queue = async (status: string) =>
      expectOk(await as.auditor!.get(disclosure(`/v1/audit/emergency-reviews?status=${status}`))).body.disclosures.map((d: { disclosureId: string }) => d.disclosureId);
    expect(await queue('unreviewed')).toEqual(expect.arrayContaining([emergency.body.disclosureId, urgent.body.disclosureId]));
    expectOk(await as.auditor!.post(disclosure(`/v1/audit/emergency-reviews/${emergency.body.disclosureId}`), { outcome: 'justified', note: 'acute situation' }));
    expect(await queue('unreviewed')).not.toContain(emergency.body.disclosureId);
    expect(await queue('reviewed')).toContain(emergency.body.disclosureId);
    expect((await as.auditor!.post(disclosure(`/v1/audit/emergency-reviews/${emergency.body.disclosureId}`), { outcome: 'unjustified' })).status).toBe(409);

    // explanations: what the curator could receive and why, in Finnish or English, no data, audited as an explanation
    const explainBody = { requestId: randomUUID(), studentId: student, categories: ['grades'], basis: 'consent', purpose: 'planning' };
    const fi = await as.curator!.call('POST', disclosure('/v1/disclosures/explain'), explainBody, { 'accept-language': 'fi-FI, en;q=0.5' });
    const en = await as.curator!.call('POST', disclosure('/v1/disclosures/explain'), { ...explainBody, requestId: randomUUID() }, { 'accept-language': 'en' });
    expectOk(fi);
    expect(fi.body.categories[0]).toMatchObject({ category: 'grades', outcome: 'deny', reason: 'no_consent' });
    expect(fi.body.data).toBeUndefined();
    expect(fi.body.categories[0].message).not.toEqual(en.body.categories[0].message);

    // a student who decides for themselves in social welfare, as the curator judges (issue 12 item 4):
    // the guardian's consent no longer counts for the curator, the student's own does
    const guardianGrant = expectOk(
      await as.guardian!.post(consent('/v1/consents'), { studentId: student, categories: ['grades'], recipient: { welfareAreaId: welfareArea }, purpose: 'support' }),
    );
    const withGuardianConsent = expectOk(await requestDisclosure(as.curator!, { categories: ['grades'], basis: 'consent', consistentWith: guardianGrant.body.positionToken }));
    expect(outcomes(withGuardianConsent)).toEqual(['grades:permit:consent_given']);
    const assessed = expectOk(
      await as.curator!.put(consent(`/v1/students/${student}/capacity/social_welfare`), { decidesForSelf: true, assessedOn: new Date().toISOString().slice(0, 10) }),
    );
    const overridden = expectOk(await requestDisclosure(as.curator!, { categories: ['grades'], basis: 'consent', consistentWith: assessed.body.positionToken }));
    expect(outcomes(overridden)).toEqual(['grades:deny:no_consent']);
    const studentClient = await Client.as(secrets.JWT_SECRET, student, 'student');
    let ownGrant!: Answer;
    await eventually(
      async () => {
        // for the curator: only social welfare is assessed, so a consent for every profession stays the guardian's
        ownGrant = await studentClient.post(consent('/v1/consents'), { studentId: student, categories: ['grades'], recipient: { welfareAreaId: welfareArea, roles: ['curator'] }, purpose: 'support' });
        return ownGrant.status === 201;
      },
      30_000,
      () => `consent refused the student: ${JSON.stringify(ownGrant?.body)}`,
    );
    const withOwnConsent = expectOk(await requestDisclosure(as.curator!, { categories: ['grades'], basis: 'consent', consistentWith: ownGrant.body.positionToken }));
    expect(outcomes(withOwnConsent)).toEqual(['grades:permit:consent_given']);

    // minors' confidentiality: the student hides curator disclosures from guardians; their own log keeps them
    const hidden = expectOk(await studentClient.put(consent(`/v1/students/${student}/guardian-visibility`), { hiddenRoles: ['curator'] }));
    expect(hidden.body.hiddenRoles).toEqual(['curator']);
    await eventually(
      async () => (await query('disclosure', 'SELECT 1 FROM dv_guardian_visibility WHERE student_id = $1', [student])).length === 1,
      30_000,
      () => 'disclosure never learned of the confidentiality',
    );
    const guardianLog = expectOk(await as.guardian!.get(disclosure(`/v1/students/${student}/disclosure-log`)));
    const studentLog = expectOk(await studentClient.get(disclosure(`/v1/students/${student}/disclosure-log`)));
    const roles = (log: Answer) => log.body.entries.map((e: { recipient: { role: string } }) => e.recipient.role);
    expect(roles(guardianLog)).not.toContain('curator');
    expect(roles(guardianLog)).toContain('nurse');
    expect(roles(studentLog)).toContain('curator');
    expect(studentLog.body.entries.length).toBeGreaterThan(guardianLog.body.entries.length);

    // the audit stream holds the explanations and the review as their own events, and every decision replays
    const audit = await query<{ type: string; data: string }>('disclosure', 'SELECT type, data FROM silta_events WHERE stream_id = $1 ORDER BY position', [`audit-${student}`]);
    const types = audit.map((e) => e.type);
    expect(types.filter((t) => t === 'DisclosureExplained')).toHaveLength(2);
    expect(types.filter((t) => t === 'EmergencyAccessReviewed')).toHaveLength(1);
    for (const event of audit.filter((e) => e.type !== 'EmergencyAccessReviewed')) {
      const recorded = JSON.parse(event.data) as { input: DecisionInput; decision: unknown };
      expect(decide(recorded.input)).toEqual(recorded.decision);
    }
  });

  it('ends with an auditor replaying the student\'s history through the CLI and verifying it offline from an exported bundle', async () => {
    const { verifierKey } = expectOk(await Client.raw(undefined).get(disclosure('/v1/audit/log/key'))).body;
    expectOk(await as.auditor!.post(disclosure('/v1/audit/log/checkpoints'), {}));
    const folder = mkdtempSync(join(tmpdir(), 'silta-bundle-'));
    const bundleFile = join(folder, 'bundle.json');
    try {
      const cli = (...args: string[]) => audit(args, { DATABASE_URL: databases.disclosure!.url });
      const verified = await cli('verify', '--key', verifierKey);
      expect({ code: verified.code, err: verified.stderr }).toMatchObject({ code: 0 });

      const replay = await cli('replay', '--student', student, '--format', 'json');
      expect(replay.code).toBe(0);
      const rows = JSON.parse(replay.stdout) as Array<{ type: string; replay: string }>;
      const decisions = rows.filter((r) => r.type === 'DisclosureDecided');
      expect(decisions.length).toBeGreaterThanOrEqual(requests.length);
      expect(decisions.every((r) => r.replay === 'same')).toBe(true);

      expect((await cli('export', '--student', student, '--out', bundleFile, '--key', verifierKey)).code).toBe(0);
      // offline: no database, no network
      const offline = await audit(['verify-bundle', bundleFile, '--key', verifierKey], { DATABASE_URL: '' });
      expect({ code: offline.code, out: offline.stdout }).toMatchObject({ code: 0 });
      const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { events: unknown[] };
      expect(bundle.events.length).toBe(rows.length);

      // the same bundle from the live service's audit API, verified by the CLI before it is kept
      const auditorToken = await signUserToken({ sub: id('auditor'), role: 'auditor', org: `welfare-area:${welfareArea}` }, { secret: secrets.JWT_SECRET, issuer: 'silta-local', audience: 'silta' });
      const liveFile = join(folder, 'live.json');
      const live = await audit(['export', '--student', student, '--out', liveFile, '--url', apps.disclosure!.url, '--key', verifierKey], { SILTA_TOKEN: auditorToken, DATABASE_URL: '' });
      expect({ code: live.code, err: live.stderr }).toMatchObject({ code: 0 });
      expect(live.stdout).toMatch(/^wrote \d+ events, verified against /);
      expect((await audit(['verify-bundle', liveFile, '--key', verifierKey], { DATABASE_URL: '' })).code).toBe(0);
      const refused = await audit(['export', '--student', student, '--out', join(folder, 'no.json'), '--url', apps.disclosure!.url, '--key', verifierKey, '--token', 'not-a-token'], {});
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('answered 401');

      // a bundle edited after export no longer verifies
      const tampered = JSON.parse(readFileSync(bundleFile, 'utf8')) as { events: Array<{ type: string; data: { decision?: { outcome: string } } }> };
      const decided = tampered.events.find((e) => e.type === 'DisclosureDecided' && e.data.decision?.outcome === 'deny')!;
      decided.data.decision!.outcome = 'permit';
      writeFileSync(bundleFile, JSON.stringify(tampered));
      expect((await audit(['verify-bundle', bundleFile, '--key', verifierKey], {})).code).toBe(1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);

  it('answers bad input with a 4xx problem and writes nothing', async () => {
    const before = { roster: await eventCount('roster'), consent: await eventCount('consent'), disclosure: await eventCount('disclosure') };
    const s = secrets.JWT_SECRET;
    const expired = Client.raw(await signUserToken({ sub: curator, role: 'curator', org: `welfare-area:${welfareArea}` }, { secret: s, issuer: 'silta-local', audience: 'silta', expiresIn: Math.floor(Date.now() / 1000) - 60 }));
    const otherMunicipality = await Client.as(s, id('admin-x'), 'school_admin', `municipality:${id('other')}`);
    const otherArea = await Client.as(s, id('wadmin-x'), 'welfare_admin', `welfare-area:${id('other')}`);
    const valid = { requestId: randomUUID(), studentId: student, categories: ['identification'], basis: 'identification', purpose: 'p' };
    const cases: Array<[string, Promise<Answer>, number]> = [
      ['missing field', as.curator!.post(disclosure('/v1/disclosures'), { ...valid, basis: undefined }), 400],
      ['extra field', as.curator!.post(disclosure('/v1/disclosures'), { ...valid, requester: 'someone-else' }), 400],
      ['unknown category', as.curator!.post(disclosure('/v1/disclosures'), { ...valid, categories: ['diagnoses'] }), 400],
      ['unknown basis', as.curator!.post(disclosure('/v1/disclosures'), { ...valid, basis: 'curiosity' }), 400],
      ['malformed token', Client.raw('not.a.jwt').post(disclosure('/v1/disclosures'), valid), 401],
      ['no token', Client.raw(undefined).post(disclosure('/v1/disclosures'), valid), 401],
      ['expired token', expired.post(disclosure('/v1/disclosures'), valid), 401],
      ['wrong role', as.guardian!.post(disclosure('/v1/disclosures'), valid), 403],
      ['token signed with another key', (await Client.as('x'.repeat(40), curator, 'curator', `welfare-area:${welfareArea}`)).post(disclosure('/v1/disclosures'), valid), 401],
      ['another municipality enrolling', otherMunicipality.post(roster('/v1/students'), { studentId: id('intruder'), schoolId: school, name: 'X', birthDate: '2012-01-01', group: '1A' }), 403],
      ['another welfare area assigning', otherArea.post(roster('/v1/assignments'), { assignmentId: id('a-x'), professionalId: id('p-x'), role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }), 403],
      ['roster extra field', as.admin!.post(roster('/v1/schools'), { schoolId: id('school-x'), name: 'X', rector: 'Y' }), 400],
      ['consent unknown category', as.guardian!.post(consent('/v1/consents'), { studentId: student, categories: ['diagnoses'], recipient: { welfareAreaId: welfareArea }, purpose: 'p' }), 400],
      ['consent extra field', as.guardian!.post(consent('/v1/consents'), { studentId: student, categories: ['grades'], recipient: { welfareAreaId: welfareArea }, purpose: 'p', grantedBy: 'x' }), 400],
      ['bad position token', as.curator!.post(disclosure('/v1/disclosures'), { ...valid, consistentWith: 'garbage' }), 400],
    ];
    for (const [name, pending, status] of cases) {
      const answer = await pending;
      expect({ name, status: answer.status }).toEqual({ name, status });
      expect({ name, type: answer.contentType }).toEqual({ name, type: expect.stringContaining('application/problem+json') });
      expect(answer.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    }
    expect({ roster: await eventCount('roster'), consent: await eventCount('consent'), disclosure: await eventCount('disclosure') }).toEqual(before);
  });

  it('fails closed with 503 and no data when its event store is cut off, and recovers by itself', async () => {
    const before = await eventCount('disclosure');
    proxy.cut();
    const cut = await requestDisclosure(as.curator!, { categories: ['identification'], basis: 'identification' });
    expect(cut.status).toBe(503);
    expect(cut.contentType).toContain('application/problem+json');
    expect(cut.body.data).toBeUndefined();
    expect(JSON.stringify(cut.body)).not.toContain('Testi Oppilas');
    proxy.restore();
    expect(await eventCount('disclosure')).toBe(before);

    let recovered!: Answer;
    await eventually(
      async () => {
        recovered = await requestDisclosure(as.curator!, { categories: ['identification'], basis: 'identification' });
        return recovered.status === 200;
      },
      60_000,
      () => `disclosure did not recover: ${recovered?.status} ${JSON.stringify(recovered?.body)}`,
    );
    expect(recovered.body.data.identification.name).toBe('Testi Oppilas');
  });
});
