import { ODD_PAGE_QUERIES, listWorld } from '../testing/list-world';
import { startRoster, type RosterIntFixture } from '../testing/roster-int-fixture';

// GET /v1/assignments on real PostgreSQL: a welfare admin sees their own welfare area's
// assignments, ended ones marked, optionally at one school, and never another area's, whatever
// school they ask for. Odd queries are 400 naming the field; nothing is written.

describe("GET /v1/assignments: the welfare admin's own welfare area's assignments", () => {
  let roster: RosterIntFixture;
  let world: Awaited<ReturnType<typeof listWorld>>;

  beforeAll(async () => {
    roster = await startRoster('roster_list_assignments');
    world = await listWorld(roster);
  });

  afterAll(() => roster?.close());

  const assignments = (query = '', bearer = world.token.welfareAdmin) => roster.call('GET', `/v1/assignments${query}`, bearer);
  const idsOf = (answer: { body: { assignments: Array<{ assignmentId: string }> } }) => answer.body.assignments.map((a) => a.assignmentId);

  it('lists the area\'s assignments in both municipalities, the ended one marked', async () => {
    const { ids } = world;
    const answer = await assignments();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      assignments: [
        { assignmentId: ids.assignment.a1, professionalId: world.professional('curator', ids.area), role: 'curator', schoolId: ids.school.m1, validFrom: '2024-08-01', assignedAt: expect.any(String), ended: false, current: true },
        {
          assignmentId: ids.assignment.a2,
          professionalId: world.professional('nurse', ids.area),
          role: 'nurse',
          schoolId: ids.school.m1,
          validFrom: '2024-08-01',
          assignedAt: expect.any(String),
          ended: true,
          endedAt: expect.any(String),
          current: false,
        },
        expect.objectContaining({ assignmentId: ids.assignment.a3, schoolId: ids.school.o1, ended: false }),
      ],
      nextCursor: null,
    });
  });

  it('narrows to one school, and finds none of its own at a school another area serves', async () => {
    const { ids } = world;
    expect(idsOf(await assignments(`?schoolId=${ids.school.m1}`))).toEqual([ids.assignment.a1, ids.assignment.a2]);
    expect(idsOf(await assignments(`?schoolId=${ids.school.m2}`))).toEqual([]);
    expect(idsOf(await assignments(`?schoolId=${ids.school.m2}`, world.token.otherWelfareAdmin))).toEqual([ids.assignment.b1]);
  });

  it("gives another welfare area's admin only their own", async () => {
    const answer = await assignments('', world.token.otherWelfareAdmin);
    expect(idsOf(answer)).toEqual([world.ids.assignment.b1]);
  });

  it('pages with limit and the cursor it gave', async () => {
    const first = await assignments('?limit=2');
    expect(idsOf(first)).toEqual([world.ids.assignment.a1, world.ids.assignment.a2]);
    const second = await assignments(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ assignments: [{ assignmentId: world.ids.assignment.a3 }], nextCursor: null });
  });

  it('refuses other roles and a welfare admin of no welfare area, writing nothing', async () => {
    const stray = await roster.user('wadmin-stray', 'welfare_admin', `municipality:${world.ids.municipality}`);
    const curator = await roster.user('curator-1', 'curator', `welfare-area:${world.ids.area}`);
    await roster.expectRefusedWritingNothing([
      ['a school admin', () => assignments('', world.token.admin), 403, 'forbidden_role'],
      ['a curator of the area', () => assignments('', curator), 403, 'forbidden_role'],
      ['a welfare admin of no welfare area', () => assignments('', stray), 403, 'other_organisation'],
    ]);
  });

  const oddQueries: ReadonlyArray<readonly [string, string]> = [
    ...ODD_PAGE_QUERIES.filter(([query]) => query !== '?sort=name'),
    ['?schoolId=a%20b', 'schoolId'],
    ['?schoolId=' + 'x'.repeat(300), 'schoolId'],
    ['?schoolId=a&schoolId=b', 'schoolId'],
    ['?welfareAreaId=v', 'welfareAreaId'],
  ];

  it.each(oddQueries)(
    'refuses %s with 400 naming %s',
    async (query, field) => {
      const answer = await assignments(query);
      expect(answer).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
      expect(JSON.stringify(answer.body)).toContain(field);
    },
  );
});
