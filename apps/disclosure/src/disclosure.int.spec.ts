import { randomUUID } from 'node:crypto';
import type { JsonAnswer } from '@silta/testing';
import { itAuditsPermitsAndDenials, itFailsClosedWhenTheStoreIsDown, outcomeOf, requestAsCurator } from './testing/decision-path';
import { CATCH_UP_MS, assigned, guardianConsent, seedStudent, startDisclosure, type DisclosureIntFixture } from './testing/disclosure-int-fixture';

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
});
