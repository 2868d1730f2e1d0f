import { ownIds, type RosterIntFixture } from './roster-int-fixture';

/**
 * A world for the list specs, with a neighbour of the wrong organisation for every object, made
 * through roster's own API: municipality M with schools m1 (served by welfare area W) and m2 (by
 * V); municipality O with o1 (also served by W). Students s1, s2 at m1, s3 at m2, s4 moved from m1
 * to m2, so1 at o1; s1 has guardian g1 and decides for themself, s2 has welfare access. W assigned
 * a curator to m1 (a1), a nurse to m1 and ended it (a2), and a curator to o1 (a3); V a nurse to m2 (b1).
 */
export async function listWorld(roster: RosterIntFixture) {
  const own = ownIds();
  const id = own.id;
  const ids = {
    municipality: id('m'),
    otherMunicipality: id('o'),
    area: id('w'),
    otherArea: id('v'),
    school: { m1: id('school-m1'), m2: id('school-m2'), o1: id('school-o1') },
    student: { s1: id('student-s1'), s2: id('student-s2'), s3: id('student-s3'), s4: id('student-s4'), so1: id('student-o1') },
    guardian: id('guardian-g1'),
    assignment: { a1: id('a1'), a2: id('a2'), a3: id('a3'), b1: id('b1') },
  };
  const token = {
    admin: await roster.user(id('admin'), 'school_admin', `municipality:${ids.municipality}`),
    otherAdmin: await roster.user(id('admin-o'), 'school_admin', `municipality:${ids.otherMunicipality}`),
    welfareAdmin: await roster.user(id('wadmin'), 'welfare_admin', `welfare-area:${ids.area}`),
    otherWelfareAdmin: await roster.user(id('wadmin-v'), 'welfare_admin', `welfare-area:${ids.otherArea}`),
  };
  const ok = async (method: string, path: string, bearer: string, body?: unknown) => {
    const answer = await roster.call(method, path, bearer, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  await roster.registerSchool(token.admin, ids.school.m1, 'Myllypuron koulu');
  await roster.registerSchool(token.admin, ids.school.m2, 'Kivikon koulu');
  await roster.registerSchool(token.otherAdmin, ids.school.o1, 'Muun kunnan koulu');
  await ok('PUT', `/v1/schools/${ids.school.m1}/service`, token.admin, { welfareAreaId: ids.area });
  await ok('PUT', `/v1/schools/${ids.school.m2}/service`, token.admin, { welfareAreaId: ids.otherArea });
  await ok('PUT', `/v1/schools/${ids.school.o1}/service`, token.otherAdmin, { welfareAreaId: ids.area });
  const enrol = (bearer: string, studentId: string, schoolId: string, name: string) => roster.enroll(bearer, { studentId, schoolId, name, birthDate: '2013-04-05', group: '7A' });
  await enrol(token.admin, ids.student.s1, ids.school.m1, 'Aino Oppilas');
  await enrol(token.admin, ids.student.s2, ids.school.m1, 'Eero Oppilas');
  await enrol(token.admin, ids.student.s3, ids.school.m2, 'Iida Oppilas');
  await enrol(token.admin, ids.student.s4, ids.school.m1, 'Onni Oppilas');
  await enrol(token.otherAdmin, ids.student.so1, ids.school.o1, 'Muu Oppilas');
  await ok('POST', `/v1/students/${ids.student.s4}/transfer`, token.admin, { schoolId: ids.school.m2 });
  await ok('POST', `/v1/students/${ids.student.s1}/guardians`, token.admin, { guardianId: ids.guardian, name: 'Ilona Huoltaja', contact: { email: 'ilona@example.invalid' } });
  await ok('PUT', `/v1/students/${ids.student.s1}/capacity`, token.admin, { decidesForSelf: true });
  await ok('PUT', `/v1/students/${ids.student.s2}/welfare-access`, token.admin, { active: true });
  const assign = (bearer: string, assignmentId: string, role: string, welfareAreaId: string, schoolId: string) =>
    ok('POST', '/v1/assignments', bearer, { assignmentId, professionalId: id(`${role}-${welfareAreaId}`), role, welfareAreaId, schoolId, validFrom: '2024-08-01' });
  await assign(token.welfareAdmin, ids.assignment.a1, 'curator', ids.area, ids.school.m1);
  await assign(token.welfareAdmin, ids.assignment.a2, 'nurse', ids.area, ids.school.m1);
  await ok('DELETE', `/v1/assignments/${ids.assignment.a2}`, token.welfareAdmin);
  await assign(token.welfareAdmin, ids.assignment.a3, 'curator', ids.area, ids.school.o1);
  await assign(token.otherWelfareAdmin, ids.assignment.b1, 'nurse', ids.otherArea, ids.school.m2);
  return { ids, token, professional: (role: string, area: string) => id(`${role}-${area}`) };
}

/** Odd queries every list refuses with 400 naming the field, and the field. */
export const ODD_PAGE_QUERIES: ReadonlyArray<readonly [string, string]> = [
  ['?limit=0', 'limit'],
  ['?limit=1001', 'limit'],
  ['?limit=ten', 'limit'],
  ['?limit=1&limit=2', 'limit'],
  ['?cursor=%F0%9F%92%A9', 'cursor'],
  ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ['?cursor=' + 'a'.repeat(700), 'cursor'],
  ['?sort=name', 'sort'],
];
