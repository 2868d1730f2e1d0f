import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditCheckpointer, AuditTreeLeafEntity } from '@silta/audit-trail';
import { GuardianVisibilityChangedV1 } from '@silta/contracts';
import { contractMessage, parseCsv, type JsonAnswer } from '@silta/testing';
import { openCheckpoint } from '@silta/transparency';
import { DataSubjectReportAnswer } from './data-subject-report/data-subject-report.responses';
import { DecisionRecordEntity } from './shared/decision-record.entity';
import { itAuditsPermitsAndDenials, itFailsClosedWhenTheStoreIsDown, outcomeOf, requestAsCurator } from './testing/decision-path';
import { CATCH_UP_MS, assigned, guardianConsent, seedStudent, startDisclosure, type DisclosureIntFixture, type StudentWorld } from './testing/disclosure-int-fixture';

// Disclosure, the decision and enforcement point, in this process on PostgreSQL and the real
// broker, told about the world by roster's and consent's public messages and driven over HTTP.
// Each test makes its own student, school, welfare area and people.

describe('disclosure on PostgreSQL and the broker', () => {
  let disclosure: DisclosureIntFixture;

  beforeAll(async () => {
    disclosure = await startDisclosure('int');
  }, CATCH_UP_MS + 60_000);
  afterAll(() => disclosure?.close());

  itAuditsPermitsAndDenials(() => disclosure);

  it('denies the right role with the wrong object: a professional of another welfare area, one not assigned to the school; a guardian reads only their own student’s log', async () => {
    const world = await seedStudent(disclosure);
    const other = await seedStudent(disclosure);
    const nurse = `nurse-${randomUUID().slice(0, 8)}`;
    // Another welfare area's curator assigned to the school anyway (an assignment the view still
    // holds from before the school's service changed hands), and a nurse of the right welfare area
    // assigned to another school.
    await disclosure.feed(assigned({ ...world, welfareAreaId: other.welfareAreaId }, other.curator, 'curator'), assigned({ ...other, welfareAreaId: world.welfareAreaId }, nurse, 'nurse'));
    const request = { requestId: randomUUID(), studentId: world.studentId, categories: ['identification'], basis: 'identification', purpose: 'support assessment' };

    const otherArea = await disclosure.call('POST', '/v1/disclosures', await disclosure.token('curator', other.curator, other.welfareAreaOrg), request);
    const unassigned = await disclosure.call('POST', '/v1/disclosures', await disclosure.token('nurse', nurse, world.welfareAreaOrg), { ...request, requestId: randomUUID() });

    expect(outcomeOf(otherArea)).toEqual({ status: 200, outcome: 'deny', reasons: ['school_not_served'], data: {} });
    expect(outcomeOf(unassigned)).toEqual({ status: 200, outcome: 'deny', reasons: ['not_assigned'], data: {} });
    // Each denial is recorded, and neither is another person's to read.
    expect((await disclosure.auditTrailOf(world.studentId)).map((event) => event.id)).toEqual([otherArea.body.disclosureId, unassigned.body.disclosureId]);
    const curatorOfStudent = await disclosure.token('curator', world.curator, world.welfareAreaOrg);
    expect((await disclosure.call('GET', `/v1/disclosures/${otherArea.body.disclosureId}`, curatorOfStudent)).status).toBe(404);

    const guardian = await disclosure.token('guardian', world.guardianId);
    const ownLog = await disclosure.call('GET', `/v1/students/${world.studentId}/disclosure-log`, guardian);
    expect(ownLog.status).toBe(200);
    expect((ownLog.body.entries as Array<{ disclosureId: string }>).map((e) => e.disclosureId).sort()).toEqual([otherArea.body.disclosureId, unassigned.body.disclosureId].sort());
    const othersLog = await disclosure.call('GET', `/v1/students/${other.studentId}/disclosure-log`, guardian);
    expect([othersLog.status, othersLog.contentType, othersLog.body.code]).toEqual([403, expect.stringMatching(/^application\/problem\+json/), 'not_your_student']);
  });

  it('denies what a consent covered once the consent is withdrawn', async () => {
    const world = await seedStudent(disclosure);
    const consent = guardianConsent(world, ['absences']);
    await disclosure.feed(consent.granted);

    const before = await requestAsCurator(disclosure, world, { categories: ['absences'], basis: 'consent' });
    expect(outcomeOf(before)).toEqual({ status: 200, outcome: 'permit', reasons: ['consent_given'], data: { absences: world.absences } });

    await disclosure.feed(consent.withdrawn());
    const after = await requestAsCurator(disclosure, world, { categories: ['absences'], basis: 'consent' });
    expect(outcomeOf(after)).toEqual({ status: 200, outcome: 'deny', reasons: [expect.any(String)], data: {} });
    expect(after.body.categories).not.toEqual(before.body.categories);
  });

  it('answers odd ids and bodies with a 4xx problem and writes nothing', async () => {
    const world = await seedStudent(disclosure);
    const curator = await disclosure.token('curator', world.curator, world.welfareAreaOrg);
    const guardian = await disclosure.token('guardian', world.guardianId);
    const auditor = await disclosure.token('auditor', `auditor-${world.welfareAreaId}`, world.welfareAreaOrg);
    const valid = { requestId: randomUUID(), studentId: world.studentId, categories: ['identification'], basis: 'identification', purpose: 'support assessment' };
    const post = (body: unknown) => disclosure.call('POST', '/v1/disclosures', curator, body);
    const cases: Array<[string, () => Promise<JsonAnswer>, number, string]> = [
      ['malformed JSON', () => post('{"requestId": '), 400, 'bad_request'],
      ['a body that is not an object', () => post('[]'), 400, 'invalid_request'],
      ['a missing field', () => post({ ...valid, basis: undefined }), 400, 'invalid_request'],
      ['a requester in the body', () => post({ ...valid, requester: 'someone-else' }), 400, 'invalid_request'],
      ['an unknown category', () => post({ ...valid, categories: ['diagnoses'] }), 400, 'invalid_request'],
      ['an unknown basis', () => post({ ...valid, basis: 'curiosity' }), 400, 'invalid_request'],
      ['a student id with a path in it', () => post({ ...valid, studentId: `../${world.studentId}` }), 400, 'invalid_request'],
      ['a student id over the length limit', () => post({ ...valid, studentId: 's'.repeat(10_000) }), 400, 'invalid_request'],
      ['a garbage position token', () => post({ ...valid, consistentWith: 'garbage' }), 400, 'invalid_position_token'],
      ['a disclosure id that is no id', () => disclosure.call('GET', `/v1/disclosures/${encodeURIComponent('x'.repeat(500))}`, curator), 400, 'invalid_request'],
      ['a log of a student id that is no id', () => disclosure.call('GET', `/v1/students/${encodeURIComponent('%00\u202e')}/disclosure-log`, guardian), 400, 'invalid_request'],
      ['an audit search with an unknown filter', () => disclosure.call('GET', `/v1/audit/disclosures?student=${world.studentId}`, auditor), 400, 'invalid_request'],
      ['no token', () => disclosure.call('POST', '/v1/disclosures', undefined, valid), 401, 'unauthenticated'],
      ['a guardian asking for data', () => disclosure.call('POST', '/v1/disclosures', guardian, valid), 403, 'forbidden_role'],
    ];
    const before = await disclosure.auditTrailSize();
    const answered = [];
    for (const [what, send] of cases) {
      const answer = await send();
      answered.push({ what, status: answer.status, code: answer.body.code, problem: /^application\/problem\+json/.test(answer.contentType) });
    }
    expect(answered).toEqual(cases.map(([what, , status, code]) => ({ what, status, code, problem: true })));
    expect(await disclosure.auditTrailSize()).toBe(before);
  });

  itFailsClosedWhenTheStoreIsDown(() => disclosure);

  describe("the data-subject report's completeness, against the audit log's signed checkpoint", () => {
    interface Completeness {
      complete: boolean;
      checkpoint: { origin: string; size: number; note: string } | null;
      missingDisclosures: string[];
      auditTrailIntact: boolean;
      auditEvents?: { inCheckpoint: number; found: number; notYetCheckpointed: number };
    }
    const report = async (world: StudentWorld, bearer: string) => {
      const answer = await disclosure.call('GET', `/v1/students/${world.studentId}/data-subject-report`, bearer);
      expect(answer.status).toBe(200);
      DataSubjectReportAnswer.parse(answer.body); // the documented answer, counts present or absent
      return { entries: (answer.body.entries as Array<{ disclosureId: string }>).map((e) => e.disclosureId), completeness: answer.body.completeness as Completeness };
    };
    const rendered = async (world: StudentWorld, bearer: string, format: 'csv' | 'html', language: string) => {
      const response = await fetch(`${disclosure.baseUrl}/v1/students/${world.studentId}/data-subject-report?format=${format}`, { headers: { authorization: `Bearer ${bearer}`, 'accept-language': language } });
      return response.text();
    };
    /** The projection losing a decision's row, as a failed write or a faulty rebuild would; the audit stream keeps the event. */
    const loseRecord = (disclosureId: string) => disclosure.app.get(DataSource).manager.delete(DecisionRecordEntity, { disclosureId });
    const decide = async (world: StudentWorld) => (await requestAsCurator(disclosure, world, { categories: ['identification'], basis: 'identification' })).body.disclosureId as string;
    /** What the checkpointer's timer (or an auditor) does: a report itself never signs. */
    const checkpointNow = async (world: StudentWorld) => {
      const auditor = await disclosure.token('auditor', `auditor-${world.welfareAreaId}`, world.welfareAreaOrg);
      expect((await disclosure.call('POST', '/v1/audit/log/checkpoints', auditor)).status).toBe(200);
    };

    it("is complete when every recorded decision is an entry, proven against the latest checkpoint, which the report itself never signs", async () => {
      const world = await seedStudent(disclosure);
      const auditor = await disclosure.token('auditor', `auditor-${world.welfareAreaId}`, world.welfareAreaOrg);
      await checkpointNow(world);
      const decided = [await decide(world), await decide(world)];
      const student = await disclosure.token('student', world.studentId);
      const latest = () => disclosure.call('GET', '/v1/audit/log/checkpoints/latest', auditor).then((answer) => answer.body);

      // The latest checkpoint predates the student's decisions: they are reported as not yet covered, and reading writes nothing.
      const before = await latest();
      const early = await report(world, student);
      expect(early.completeness).toMatchObject({ complete: true, checkpoint: { size: before.size }, auditEvents: { inCheckpoint: 0, found: 0, notYetCheckpointed: 2 } });
      expect(await latest()).toEqual(before);

      await checkpointNow(world);
      const { entries, completeness } = await report(world, student);

      expect(entries).toEqual(decided);
      expect(completeness).toMatchObject({ complete: true, missingDisclosures: [], auditTrailIntact: true, auditEvents: { inCheckpoint: 2, found: 2, notYetCheckpointed: 0 } });
      // Signed by the log's key, and covering the student's newest decision.
      const { verifierKey, origin } = (await disclosure.call('GET', '/v1/audit/log/key', undefined)).body as { verifierKey: string; origin: string };
      const { checkpoint } = openCheckpoint(completeness.checkpoint!.note, [verifierKey], { origin });
      expect([checkpoint.origin, checkpoint.size]).toEqual([completeness.checkpoint!.origin, completeness.checkpoint!.size]);
      expect((await disclosure.app.get(AuditCheckpointer).leafOf(decided[1]!))!.index).toBeLessThan(checkpoint.size);
      const csv = parseCsv(await rendered(world, student, 'csv', 'en'));
      expect(csv[csv.length - 1]).toEqual([`Complete: no decision that belongs in this report is missing from it. Checked against the signed checkpoint of audit log ${origin} at size ${checkpoint.size}.`]);
    });

    it('says incomplete, naming the disclosure, when the decision records lost a decision the audit log holds', async () => {
      const world = await seedStudent(disclosure);
      const [kept, lost] = [await decide(world), await decide(world)];
      await checkpointNow(world);
      await loseRecord(lost!);
      const student = await disclosure.token('student', world.studentId);

      const { entries, completeness } = await report(world, student);

      expect(entries).toEqual([kept]);
      expect(completeness).toMatchObject({ complete: false, missingDisclosures: [lost], auditTrailIntact: true, auditEvents: { inCheckpoint: 2, found: 2, notYetCheckpointed: 0 } });
      expect(await rendered(world, student, 'html', 'fi')).toContain(`<p>Selvityksestä puuttuvat lokiin kirjatut päätökset: ${lost}.</p>`);
      const csv = parseCsv(await rendered(world, student, 'csv', 'sv'));
      expect(csv[csv.length - 1]![0]).toMatch(new RegExp(`^Ofullständig: .* Beslut som loggen registrerar men som saknas i redogörelsen: ${lost}\\.$`));
    });

    it('says incomplete, with how many events the checkpoint commits to and how many were found, when the audit stream lost an event', async () => {
      const world = await seedStudent(disclosure);
      const [lost, kept] = [await decide(world), await decide(world)];
      await checkpointNow(world);
      const student = await disclosure.token('student', world.studentId);
      const before = (await report(world, student)).completeness;
      // Tampering with the store after the checkpoint: the event is gone, the decision record is not.
      await disclosure.app.get(DataSource).query('DELETE FROM silta_events WHERE event_id = $1', [lost]);

      const { entries, completeness } = await report(world, student);

      expect(entries).toEqual([lost, kept]);
      expect(completeness).toMatchObject({ complete: false, missingDisclosures: [], auditTrailIntact: false, auditEvents: { inCheckpoint: 2, found: 1, notYetCheckpointed: 0 } });
      expect(completeness.checkpoint).toEqual(before.checkpoint);
      const csv = parseCsv(await rendered(world, student, 'csv', 'en'));
      expect(csv[csv.length - 1]![0]).toMatch(/^Incomplete: .* The audit log holds 2 events about the student up to the checkpoint; 1 were found\.$/);
    });

    it("says the student's audit trail is not intact when its leaves do not chain, though their number is right", async () => {
      const world = await seedStudent(disclosure);
      const [, second] = [await decide(world), await decide(world)];
      const student = await disclosure.token('student', world.studentId);
      // The stored tree claiming the second leaf starts the stream: it no longer names the first as its previous.
      await checkpointNow(world); // the tree takes the new events in, under a checkpoint
      await disclosure.app.get(DataSource).getRepository(AuditTreeLeafEntity).update({ eventId: second! }, { previous: null });

      const { completeness } = await report(world, student);

      expect(completeness).toMatchObject({ complete: false, missingDisclosures: [], auditTrailIntact: false, auditEvents: { inCheckpoint: 2, found: 2, notYetCheckpointed: 0 } });
      const csv = parseCsv(await rendered(world, student, 'csv', 'en'));
      expect(csv[csv.length - 1]![0]).toMatch(/^Incomplete: .* The student's audit events do not match what the checkpoint commits to\.$/);
    });

    it("gives a guardian no count, counts the decisions of roles hidden from guardians as accounted for, and names only a missing one the guardian may see", async () => {
      const world = await seedStudent(disclosure);
      const nurse = `nurse-${randomUUID().slice(0, 8)}`;
      await disclosure.feed(
        assigned(world, nurse, 'nurse'),
        contractMessage(GuardianVisibilityChangedV1, { studentId: world.studentId, hiddenRoles: ['curator'], declaredBy: { kind: 'student', id: world.studentId }, changedAt: new Date().toISOString() }),
      );
      const byCurator = await decide(world);
      const nurseToken = await disclosure.token('nurse', nurse, world.welfareAreaOrg);
      const byNurse = (await disclosure.call('POST', '/v1/disclosures', nurseToken, { requestId: randomUUID(), studentId: world.studentId, categories: ['identification'], basis: 'identification', purpose: 'health check' })).body.disclosureId as string;
      const guardian = await disclosure.token('guardian', world.guardianId);
      await checkpointNow(world);

      const whole = await report(world, guardian);
      expect(whole.entries).toEqual([byNurse]);
      expect(whole.completeness).toMatchObject({ complete: true, missingDisclosures: [], auditTrailIntact: true });
      expect(whole.completeness).not.toHaveProperty('auditEvents');

      // Losing the hidden decision's record changes nothing the guardian sees; losing the nurse's is named.
      await loseRecord(byCurator);
      expect((await report(world, guardian)).completeness).toMatchObject({ complete: true, missingDisclosures: [] });
      await loseRecord(byNurse);
      const lacking = await report(world, guardian);
      expect(lacking.entries).toEqual([]);
      expect(lacking.completeness).toMatchObject({ complete: false, missingDisclosures: [byNurse] });
      const html = await rendered(world, guardian, 'html', 'en');
      expect(html).toContain(byNurse);
      expect(html).not.toContain(byCurator);
      expect(JSON.stringify(lacking)).not.toContain(byCurator);
      // The student, who sees everything, is told of both.
      expect((await report(world, await disclosure.token('student', world.studentId))).completeness.missingDisclosures).toEqual([byCurator, byNurse]);
    });
  });
});
