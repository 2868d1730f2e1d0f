import type { Role } from '@silta/platform';
import { uniqueName } from '@silta/testing';
import { rosterEvents, rosterMessage, standings, startConsent, type ConsentIntFixture } from '../testing/consent-int-fixture';

// GET /v1/me/students against real PostgreSQL, with consent's roster view fed over the real broker:
// a guardian sees exactly the students linked to them (not another guardian's, not one unlinked, not
// one who turned 18), each with who decides per capacity field; a student sees themself; every other
// role is refused. Nothing is written by any of it. Each student carries the name roster's standing
// gives; no one the list leaves out has theirs shown to anyone.

const ids = {
  school: uniqueName('school'),
  area: uniqueName('area'),
  nurse: uniqueName('nurse'),
  mine: uniqueName('student-mine'),
  sibling: uniqueName('student-sibling'),
  unlinked: uniqueName('student-unlinked'),
  grownUp: uniqueName('student-adult'),
  other: uniqueName('student-other'),
  guardian: uniqueName('guardian'),
  otherGuardian: uniqueName('guardian-other'),
};

/** The names roster's stand-in answers (synthetic): each must reach only the student and their linked guardians. */
const names = {
  mine: 'Aino Esimerkki',
  sibling: 'Eero Esimerkki',
  unlinked: 'Ilmari Irrallinen',
  grownUp: 'Aada Aikuinen',
  other: 'Olli Muukalainen',
};

describe('GET /v1/me/students: a guardian their linked students, a student themself', () => {
  let consent: ConsentIntFixture;

  beforeAll(async () => {
    consent = await startConsent('my_students');
    consent.roster.standings.set(ids.mine, { ...standings.minor, name: names.mine });
    consent.roster.standings.set(ids.sibling, { ...standings.minor, name: names.sibling });
    consent.roster.standings.set(ids.unlinked, { ...standings.minor, name: names.unlinked });
    consent.roster.standings.set(ids.grownUp, { ...standings.adult, name: names.grownUp });
    consent.roster.standings.set(ids.other, { ...standings.minor, name: names.other });
    await consent.feedRoster(
      rosterEvents.schoolServed(ids.school, ids.area),
      rosterEvents.assigned(ids.nurse, 'nurse', ids.area, ids.school),
      ...[ids.mine, ids.sibling, ids.unlinked, ids.grownUp, ids.other].map((studentId) => rosterEvents.enrolled(studentId, ids.school)),
      rosterEvents.guardianLinked(ids.mine, ids.guardian),
      rosterEvents.guardianLinked(ids.sibling, ids.guardian),
      rosterEvents.guardianLinked(ids.unlinked, ids.guardian),
      rosterMessage('GuardianUnlinked', { studentId: ids.unlinked, guardianId: ids.guardian, unlinkedAt: '2026-01-02T08:00:00.000Z' }),
      rosterEvents.guardianLinked(ids.grownUp, ids.guardian),
      rosterEvents.guardianLinked(ids.other, ids.otherGuardian),
    );
    // The nurse judges the sibling to decide for themselves in health care.
    const nurse = await consent.token('nurse', ids.nurse, `welfare-area:${ids.area}`);
    const assessed = await consent.call('PUT', `/v1/students/${ids.sibling}/capacity/health_care`, nurse, { decidesForSelf: true, assessedOn: '2026-01-05' });
    expect(assessed.status).toBe(200);
  });

  afterAll(() => consent?.close());

  const mine = async (role: Role, sub: string, org?: string) => consent.call('GET', '/v1/me/students', await consent.token(role, sub, org));

  it("lists a guardian's linked minors only, with who decides per field", async () => {
    const answer = await mine('guardian', ids.guardian);
    expect(answer.status).toBe(200);
    const undecided = { decidesForSelf: false, guardianConsentsCount: true };
    expect(answer.body).toEqual({
      students: [
        { studentId: ids.mine, name: names.mine, schoolId: ids.school, welfareAreaId: ids.area, adult: false, capacity: { social_welfare: undecided, health_care: undecided } },
        {
          studentId: ids.sibling,
          name: names.sibling,
          schoolId: ids.school,
          welfareAreaId: ids.area,
          adult: false,
          capacity: { social_welfare: undecided, health_care: { decidesForSelf: true, assessedOn: '2026-01-05', guardianConsentsCount: false } },
        },
      ].sort((a, b) => a.studentId.localeCompare(b.studentId)),
    });
  });

  it("gives another student's guardian nothing of this guardian's students, and an unknown guardian nothing at all", async () => {
    const other = await mine('guardian', ids.otherGuardian);
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ students: [expect.objectContaining({ studentId: ids.other, name: names.other })] });
    expect(await mine('guardian', uniqueName('guardian-stranger'))).toMatchObject({ status: 200, body: { students: [] } });
  });

  it('names no student the list leaves out: not the unlinked one, not the one who turned 18, not another guardian\'s', async () => {
    const own = JSON.stringify((await mine('guardian', ids.guardian)).body);
    for (const name of [names.unlinked, names.grownUp, names.other]) expect(own).not.toContain(name);
    const other = JSON.stringify((await mine('guardian', ids.otherGuardian)).body);
    for (const name of [names.mine, names.sibling, names.unlinked, names.grownUp]) expect(other).not.toContain(name);
    const student = JSON.stringify((await mine('student', ids.sibling)).body);
    for (const name of [names.mine, names.unlinked, names.grownUp, names.other]) expect(student).not.toContain(name);
  });

  it('answers a null name for a student roster holds no name for', async () => {
    const nameless = uniqueName('student-nameless');
    const guardian = uniqueName('guardian-nameless');
    consent.roster.standings.set(nameless, standings.minor);
    await consent.feedRoster(rosterEvents.enrolled(nameless, ids.school), rosterEvents.guardianLinked(nameless, guardian));
    expect(await mine('guardian', guardian)).toMatchObject({ status: 200, body: { students: [{ studentId: nameless, name: null }] } });
  });

  it('lists a student as themself, and an adult as deciding everything', async () => {
    expect(await mine('student', ids.sibling)).toMatchObject({ status: 200, body: { students: [{ studentId: ids.sibling, name: names.sibling, adult: false }] } });
    const adult = await mine('student', ids.grownUp);
    expect(adult.body).toEqual({
      students: [
        {
          studentId: ids.grownUp,
          name: names.grownUp,
          schoolId: ids.school,
          welfareAreaId: ids.area,
          adult: true,
          capacity: { social_welfare: { decidesForSelf: true, guardianConsentsCount: false }, health_care: { decidesForSelf: true, guardianConsentsCount: false } },
        },
      ],
    });
  });

  it('refuses every other role with 403 and writes nothing', async () => {
    const before = (await consent.store.readAll()).length;
    for (const [role, org] of [['curator', `welfare-area:${ids.area}`], ['school_admin', 'municipality:vantaa'], ['auditor', 'municipality:vantaa'], ['welfare_admin', `welfare-area:${ids.area}`]] as const) {
      const answer = await mine(role, ids.guardian, org);
      expect(answer).toMatchObject({ status: 403, body: { code: 'forbidden_role' } });
    }
    expect((await consent.store.readAll()).length).toBe(before);
  });

  it('answers 502 roster_unavailable, not a list without the age check, while roster is down', async () => {
    await consent.withRosterDown(async () => {
      expect(await mine('guardian', ids.guardian)).toMatchObject({ status: 502, body: { code: 'roster_unavailable' } });
    });
  });
});
