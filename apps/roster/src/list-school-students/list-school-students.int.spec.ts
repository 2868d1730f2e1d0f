import { ODD_PAGE_QUERIES, listWorld } from '../testing/list-world';
import { startRoster, type RosterIntFixture } from '../testing/roster-int-fixture';

// GET /v1/schools/{schoolId}/students on real PostgreSQL: the school admin of the school's
// municipality sees the students there now, with guardians, capacity and welfare access; another
// municipality's admin is refused as roster's writes refuse them (403 other_organisation), an
// unknown school is 404, odd ids and queries are 400 naming the field. Nothing is written.

describe("GET /v1/schools/{schoolId}/students: the students at one of the admin's schools", () => {
  let roster: RosterIntFixture;
  let world: Awaited<ReturnType<typeof listWorld>>;

  beforeAll(async () => {
    roster = await startRoster('roster_list_students');
    world = await listWorld(roster);
  });

  afterAll(() => roster?.close());

  const students = (schoolId: string, bearer = world.token.admin, query = '') => roster.call('GET', `/v1/schools/${schoolId}/students${query}`, bearer);

  it('lists the students at the school now, with guardians, capacity and welfare access, and not one who moved away', async () => {
    const { ids } = world;
    const answer = await students(ids.school.m1);
    expect(answer.status).toBe(200);
    const common = { birthDate: '2013-04-05', group: '7A', educationForm: 'basic_education', inCompulsoryEducation: false };
    expect(answer.body).toEqual({
      schoolId: ids.school.m1,
      students: [
        { studentId: ids.student.s1, name: 'Aino Oppilas', ...common, guardians: [{ guardianId: ids.guardian, name: 'Ilona Huoltaja' }], decidesForSelf: true, welfareAccess: false },
        { studentId: ids.student.s2, name: 'Eero Oppilas', ...common, guardians: [], decidesForSelf: false, welfareAccess: true },
      ],
      nextCursor: null,
    });
    expect(JSON.stringify(answer.body)).not.toContain('ilona@example.invalid');
  });

  it('lists a transferred student at their new school', async () => {
    const answer = await students(world.ids.school.m2);
    expect(answer.body.students.map((s: { studentId: string }) => s.studentId)).toEqual([world.ids.student.s3, world.ids.student.s4]);
  });

  it('pages with limit and the cursor it gave', async () => {
    const first = await students(world.ids.school.m1, world.token.admin, '?limit=1');
    expect(first.body).toMatchObject({ students: [{ studentId: world.ids.student.s1 }], nextCursor: expect.any(String) });
    const second = await students(world.ids.school.m1, world.token.admin, `?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ students: [{ studentId: world.ids.student.s2 }] });
  });

  it("refuses another municipality's school, an unknown school, and other roles, writing nothing", async () => {
    const { ids, token } = world;
    const stray = await roster.user('admin-stray', 'school_admin', `welfare-area:${ids.area}`);
    await roster.expectRefusedWritingNothing([
      ["another municipality's school", () => students(ids.school.o1), 403, 'other_organisation'],
      ['its own school, as the other municipality', () => students(ids.school.m1, token.otherAdmin), 403, 'other_organisation'],
      ['an unknown school', () => students(`${ids.school.m1}-nowhere`), 404, 'school_not_found'],
      ['the welfare admin of its serving area', () => students(ids.school.m1, token.welfareAdmin), 403, 'forbidden_role'],
      ['a school admin of no municipality', () => students(ids.school.m1, stray), 403, 'other_organisation'],
    ]);
  });

  it.each([
    ['a b', 'schoolId'],
    ['x'.repeat(300), 'schoolId'],
    ['%F0%9F%92%A9', 'schoolId'],
    ['koulu-ä', 'schoolId'],
  ])('refuses the school id %s with 400 naming %s', async (schoolId, field) => {
    const answer = await students(encodeURI(schoolId).replace(/%25/g, '%'));
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(answer.body)).toContain(field);
  });

  it.each(ODD_PAGE_QUERIES)('refuses %s with 400 naming %s', async (query, field) => {
    const answer = await students(world.ids.school.m1, world.token.admin, query);
    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    expect(JSON.stringify(answer.body)).toContain(field);
  });
});
