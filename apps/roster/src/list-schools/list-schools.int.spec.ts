import { ODD_PAGE_QUERIES, listWorld } from '../testing/list-world';
import { startRoster, type RosterIntFixture } from '../testing/roster-int-fixture';

// GET /v1/schools on real PostgreSQL: a school admin sees their own municipality's schools (name,
// serving welfare area) and never another municipality's; odd queries are 400 naming the field.

describe("GET /v1/schools: the school admin's own municipality's schools", () => {
  let roster: RosterIntFixture;
  let world: Awaited<ReturnType<typeof listWorld>>;

  beforeAll(async () => {
    roster = await startRoster('roster_list_schools');
    world = await listWorld(roster);
  });

  afterAll(() => roster?.close());

  it('lists the municipality\'s schools with their names and who serves them, ordered by id', async () => {
    const { ids } = world;
    const answer = await roster.call('GET', '/v1/schools', world.token.admin);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      schools: [
        { schoolId: ids.school.m1, name: 'Myllypuron koulu', servedByWelfareAreaId: ids.area },
        { schoolId: ids.school.m2, name: 'Kivikon koulu', servedByWelfareAreaId: ids.otherArea },
      ],
      nextCursor: null,
    });
  });

  it("gives another municipality's admin only their own school", async () => {
    const answer = await roster.call('GET', '/v1/schools', world.token.otherAdmin);
    expect(answer.body).toEqual({ schools: [{ schoolId: world.ids.school.o1, name: 'Muun kunnan koulu', servedByWelfareAreaId: world.ids.area }], nextCursor: null });
  });

  it('sees a school registered after an earlier list at once', async () => {
    await roster.call('GET', '/v1/schools', world.token.admin);
    const late = `${world.ids.school.m2}-late`;
    await roster.registerSchool(world.token.admin, late, 'Uusi koulu');
    const answer = await roster.call('GET', '/v1/schools', world.token.admin);
    expect(answer.body.schools.map((s: { schoolId: string }) => s.schoolId)).toContain(late);
  });

  it('pages with limit and the cursor it gave, through every school once', async () => {
    const all = (await roster.call('GET', '/v1/schools', world.token.admin)).body.schools.map((s: { schoolId: string }) => s.schoolId);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await roster.call('GET', `/v1/schools?limit=1${cursor ? `&cursor=${cursor}` : ''}`, world.token.admin);
      expect(page.body.schools.length).toBeLessThanOrEqual(1);
      paged.push(...page.body.schools.map((s: { schoolId: string }) => s.schoolId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it.each(ODD_PAGE_QUERIES)('refuses %s with 400 naming %s, writing nothing', async (query, field) => {
    await roster.expectRefusedWritingNothing([[query, () => roster.call('GET', `/v1/schools${query}`, world.token.admin), 400, 'invalid_request']]);
    expect(JSON.stringify((await roster.call('GET', `/v1/schools${query}`, world.token.admin)).body)).toContain(field);
  });

  it('refuses other roles, and a school admin whose token names no municipality', async () => {
    const sis = await roster.user('sis-1', 'sis', `municipality:${world.ids.municipality}`);
    const curator = await roster.user('curator-1', 'curator', `welfare-area:${world.ids.area}`);
    const stray = await roster.user('admin-stray', 'school_admin', `welfare-area:${world.ids.area}`);
    await roster.expectRefusedWritingNothing([
      ['welfare admin', () => roster.call('GET', '/v1/schools', world.token.welfareAdmin), 403, 'forbidden_role'],
      ['sis', () => roster.call('GET', '/v1/schools', sis), 403, 'forbidden_role'],
      ['curator', () => roster.call('GET', '/v1/schools', curator), 403, 'forbidden_role'],
      ['school admin of no municipality', () => roster.call('GET', '/v1/schools', stray), 403, 'other_organisation'],
    ]);
  });
});
