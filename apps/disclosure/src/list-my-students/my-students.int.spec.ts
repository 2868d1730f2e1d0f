import { randomUUID } from 'node:crypto';
import { AssignmentEndedV1, ProfessionalAssignedV1, SchoolServiceDeclaredV1, StudentEnrolledV1, StudentTransferredV1 } from '@silta/contracts';
import { contractMessage } from '@silta/testing';
import { CATCH_UP_MS, seedStudent, startDisclosure, type DisclosureIntFixture, type StudentWorld } from '../testing/disclosure-int-fixture';

// GET /v1/me/students against real PostgreSQL, disclosure's view fed over the real broker: a
// professional sees the students currently enrolled at the schools where they hold an assignment
// valid today in their role and welfare area, and nothing of any other school, welfare area,
// profession or ended, future or unserved assignment. Ids only, never identification data.

const AT = '2026-01-01T08:00:00.000Z';
const today = () => new Date().toISOString().slice(0, 10);

describe("GET /v1/me/students: a professional's students, by assignments valid today", () => {
  let disclosure: DisclosureIntFixture;
  let world: StudentWorld;
  const run = randomUUID().slice(0, 8);
  const ids = {
    classmate: `student-mate-${run}`,
    movedAway: `student-moved-${run}`,
    otherSchool: `school-other-${run}`,
    otherStudent: `student-other-${run}`,
    otherArea: `area-other-${run}`,
    unservedSchool: `school-unserved-${run}`,
    unservedStudent: `student-unserved-${run}`,
    nurseEnded: `nurse-ended-${run}`,
    nurseFuture: `nurse-future-${run}`,
  };

  beforeAll(async () => {
    disclosure = await startDisclosure('my-students');
    world = await seedStudent(disclosure);
    const assign = (assignmentId: string, professionalId: string, role: 'curator' | 'nurse', welfareAreaId: string, schoolId: string, validFrom = '2020-01-01') =>
      contractMessage(ProfessionalAssignedV1, { assignmentId, professionalId, role, welfareAreaId, schoolId, validFrom });
    const enrol = (studentId: string, schoolId: string) => contractMessage(StudentEnrolledV1, { studentId, schoolId, enrolledAt: AT });
    const serve = (schoolId: string, welfareAreaId: string, declaredAt = AT) => contractMessage(SchoolServiceDeclaredV1, { schoolId, municipalityId: 'demo', welfareAreaId, declaredAt });
    await disclosure.feed(
      enrol(ids.classmate, world.schoolId),
      enrol(ids.movedAway, world.schoolId),
      serve(ids.otherSchool, ids.otherArea),
      enrol(ids.otherStudent, ids.otherSchool),
      contractMessage(StudentTransferredV1, { studentId: ids.movedAway, fromSchoolId: world.schoolId, toSchoolId: ids.otherSchool, transferredAt: '2026-01-02T08:00:00.000Z' }),
      // The same curator sub in the other welfare area, at its own school.
      assign(`a-other-${run}`, world.curator, 'curator', ids.otherArea, ids.otherSchool),
      // The curator's welfare area was assigned to a school that another area serves now.
      serve(ids.unservedSchool, world.welfareAreaId),
      enrol(ids.unservedStudent, ids.unservedSchool),
      assign(`a-unserved-${run}`, world.curator, 'curator', world.welfareAreaId, ids.unservedSchool),
      serve(ids.unservedSchool, ids.otherArea, '2026-01-03T08:00:00.000Z'),
      assign(`a-ended-${run}`, ids.nurseEnded, 'nurse', world.welfareAreaId, world.schoolId),
      contractMessage(AssignmentEndedV1, { assignmentId: `a-ended-${run}`, schoolId: world.schoolId, endedAt: '2026-01-02T08:00:00.000Z' }),
      assign(`a-future-${run}`, ids.nurseFuture, 'nurse', world.welfareAreaId, world.schoolId, '2999-01-01'),
    );
  }, CATCH_UP_MS + 60_000);

  afterAll(() => disclosure?.close());

  const mine = async (role: 'curator' | 'nurse' | 'guardian' | 'auditor' | 'school_admin', sub: string, org?: string, query = '') =>
    disclosure.call('GET', `/v1/me/students${query}`, await disclosure.token(role, sub, org));

  it("lists the students currently at the curator's school, and nothing of another school or welfare area", async () => {
    const answer = await mine('curator', world.curator, world.welfareAreaOrg);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      schools: [{ schoolId: world.schoolId, assignmentId: `${world.curator}-assignment`, validFrom: '2020-01-01' }],
      students: [world.studentId, ids.classmate].sort().map((studentId) => ({ schoolId: world.schoolId, studentId, welfareAccessActive: false })),
      nextCursor: null,
    });
    const text = JSON.stringify(answer.body);
    for (const foreign of [ids.movedAway, ids.otherStudent, ids.unservedStudent, world.identification.name]) expect(text).not.toContain(foreign);
  });

  it('gives the same sub in the other welfare area only that area\'s school', async () => {
    const answer = await mine('curator', world.curator, `welfare-area:${ids.otherArea}`);
    expect(answer.body).toEqual({
      schools: [expect.objectContaining({ schoolId: ids.otherSchool })],
      students: [ids.movedAway, ids.otherStudent].sort().map((studentId) => ({ schoolId: ids.otherSchool, studentId, welfareAccessActive: false })),
      nextCursor: null,
    });
  });

  it('gives nothing for an ended or not yet valid assignment, or another profession than the one assigned', async () => {
    const empty = { schools: [], students: [], nextCursor: null };
    expect((await mine('nurse', ids.nurseEnded, world.welfareAreaOrg)).body).toEqual(empty);
    expect((await mine('nurse', ids.nurseFuture, world.welfareAreaOrg)).body).toEqual(empty);
    expect((await mine('nurse', world.curator, world.welfareAreaOrg)).body).toEqual(empty);
    expect(today() < '2999-01-01').toBe(true);
  });

  it('pages through the students with a bounded limit and the cursor it gave', async () => {
    const first = await mine('curator', world.curator, world.welfareAreaOrg, '?limit=1');
    expect(first.body).toMatchObject({ students: [{ studentId: [world.studentId, ids.classmate].sort()[0] }], nextCursor: expect.any(String) });
    const second = await mine('curator', world.curator, world.welfareAreaOrg, `?limit=1&cursor=${String(first.body.nextCursor)}`);
    expect(second.body).toMatchObject({ students: [{ studentId: [world.studentId, ids.classmate].sort()[1] }], nextCursor: null });
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=100000', 'limit'],
    ['?limit=abc', 'limit'],
    ['?cursor=%F0%9F%92%A9', 'cursor'],
    ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['?schoolId=x', 'schoolId'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const answer = await mine('curator', world.curator, world.welfareAreaOrg, query);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('application/problem+json');
    expect(JSON.stringify(answer.body)).toContain(field);
  });

  it('refuses other roles with 403 and a professional without a welfare area, writing nothing', async () => {
    const before = (await disclosure.store.readAll()).length;
    expect(await mine('guardian', world.guardianId)).toMatchObject({ status: 403, body: { code: 'forbidden_role' } });
    expect(await mine('auditor', 'auditor-1', world.welfareAreaOrg)).toMatchObject({ status: 403, body: { code: 'forbidden_role' } });
    expect(await mine('school_admin', 'admin-1', 'municipality:demo')).toMatchObject({ status: 403, body: { code: 'forbidden_role' } });
    expect(await mine('curator', world.curator, 'municipality:demo')).toMatchObject({ status: 403, body: { code: 'no_organisation' } });
    expect((await disclosure.store.readAll()).length).toBe(before);
  });
});
