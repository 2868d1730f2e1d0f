import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Refusal } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import type { Role } from '@silta/platform';
import { uniqueName } from '@silta/testing';
import { ConfidentialityLog } from '../consent-store/confidentiality-log';
import { rosterEvents, startConsent, type ConsentIntFixture } from '../testing/consent-int-fixture';
import { SetGuardianVisibilityCommand } from './set-guardian-visibility.command';

// Who may read and change what a student's guardians see (issue 10, item 2), and that no
// declaration is stored that its public contract would refuse (item 7). Consent runs on real
// PostgreSQL; its roster view is fed over the real broker on silta.roster.v1.

const ids = {
  student: uniqueName('student'),
  school: uniqueName('school'),
  otherSchool: uniqueName('school-other'),
  area: uniqueName('area'),
  otherArea: uniqueName('area-other'),
  curator: uniqueName('curator'), // assigned to the student's school
  otherCurator: uniqueName('curator-other'), // of the other welfare area, assigned to its own school
  unassigned: uniqueName('curator-unassigned'), // of the student's welfare area, assigned nowhere
  endedCurator: uniqueName('curator-ended'), // was assigned to the student's school
};

describe("guardian visibility: only the student and the professionals assigned to the student's school", () => {
  let consent: ConsentIntFixture;
  let app: INestApplication;
  let store: EventStore;
  const path = (studentId: string) => `/v1/students/${studentId}/guardian-visibility`;
  const stream = (studentId = ids.student) => store.readStream(`confidentiality-${studentId}`);

  beforeAll(async () => {
    consent = await startConsent('visibility');
    ({ app, store } = consent);
    await consent.feedRoster(
      rosterEvents.schoolServed(ids.school, ids.area),
      rosterEvents.schoolServed(ids.otherSchool, ids.otherArea),
      rosterEvents.enrolled(ids.student, ids.school),
      rosterEvents.assigned(ids.curator, 'curator', ids.area, ids.school),
      rosterEvents.assigned(ids.otherCurator, 'curator', ids.otherArea, ids.otherSchool),
      rosterEvents.assigned(ids.endedCurator, 'curator', ids.area, ids.school),
      rosterEvents.assignmentEnded(ids.endedCurator, ids.school),
    );
  });

  afterAll(() => consent?.close());

  const token = (role: Role, sub: string, org?: string) => consent.token(role, sub, org);
  /** Reads or declares the visibility of the student's disclosures (this spec's student unless told). */
  const call = (method: 'GET' | 'PUT', bearer: string, body?: unknown, studentId = ids.student) => consent.call(method, path(studentId), bearer, body);

  it('lets the student hide curator visits, and the curator assigned to their school read and change it', async () => {
    expect(await call('PUT', await token('student', ids.student), { hiddenRoles: ['curator'] })).toMatchObject({ status: 200 });

    const curator = await token('curator', ids.curator, `welfare-area:${ids.area}`);
    expect(await call('GET', curator)).toMatchObject({ status: 200, body: { hiddenRoles: ['curator'], declaredBy: { kind: 'student', id: ids.student } } });
    expect(await call('PUT', curator, { hiddenRoles: ['curator', 'psychologist'] })).toMatchObject({ status: 200 });
    expect((await stream()).at(-1)!.data).toMatchObject({
      roles: ['curator', 'psychologist'],
      declaredBy: { kind: 'professional', id: ids.curator, role: 'curator', org: `welfare-area:${ids.area}` },
    });
  });

  it('refuses everyone else reading or overwriting it (403), and the stream stays as it was', async () => {
    // A student of the test's own, who has hidden curator and psychologist visits.
    const { studentId: pupil } = await consent.enrol(ids.school);
    expect(await call('PUT', await token('student', pupil), { hiddenRoles: ['curator', 'psychologist'] }, pupil)).toMatchObject({ status: 200 });
    const before = await stream(pupil);
    const outsiders: Array<[string, Role, string, string]> = [
      // Issue 10 item 2 as seen live: a curator of another welfare area, with no assignment to the student's school, un-hiding the visits.
      ['a curator of another welfare area (assigned to its own school)', 'curator', ids.otherCurator, `welfare-area:${ids.otherArea}`],
      ["a curator of the student's welfare area assigned nowhere", 'curator', ids.unassigned, `welfare-area:${ids.area}`],
      ["a curator whose assignment to the student's school has ended", 'curator', ids.endedCurator, `welfare-area:${ids.area}`],
      ['the assigned curator’s subject under another welfare area', 'curator', ids.curator, `welfare-area:${ids.otherArea}`],
      ['the assigned curator’s subject as a psychologist', 'psychologist', ids.curator, `welfare-area:${ids.area}`],
    ];
    for (const [who, role, sub, org] of outsiders) {
      const bearer = await token(role, sub, org);
      for (const [method, body] of [['GET', undefined], ['PUT', { hiddenRoles: [] }]] as const) {
        const answer = await call(method, bearer, body, pupil);
        expect({ who, method, status: answer.status, code: answer.body.code }).toEqual({ who, method, status: 403, code: 'not_assigned_to_student' });
        expect(answer.body).not.toHaveProperty('hiddenRoles');
      }
    }
    expect(await stream(pupil)).toEqual(before);
    expect((await call('GET', await token('student', pupil), undefined, pupil)).body).toMatchObject({ hiddenRoles: ['curator', 'psychologist'] });
  });

  it('refuses a caller whose subject is longer than the public contract allows, and writes nothing', async () => {
    const before = await stream();
    // As seen live: a 250-character `sub`. Whatever the edge says (401 once tokens bound their
    // claims, 403 since such a subject cannot be assigned), nothing is stored.
    const longSub = 'p'.repeat(250);
    const answer = await call('PUT', await token('curator', longSub, `welfare-area:${ids.area}`), { hiddenRoles: [] });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);

    // The write side on its own: a declaration the domain accepts but GuardianVisibilityChangedV1
    // would refuse (declaredBy.id over 200 characters) is refused with 400 before anything is appended.
    const log = app.get(ConfidentialityLog);
    const accepted = log.execute({
      type: 'SetGuardianVisibility',
      studentId: ids.student,
      hiddenRoles: [],
      actor: { kind: 'professional', id: longSub, role: 'curator', org: `welfare-area:${ids.area}` },
      standing: {
        schoolId: ids.school,
        schoolServedBy: ids.area,
        callerAssignments: [{ assignmentId: 'a-long', role: 'curator', welfareAreaId: ids.area, schoolId: ids.school, validFrom: '2020-01-01', ended: false }],
      },
      now: new Date(),
    }, {});
    await expect(accepted).rejects.toThrow(Refusal);
    await expect(accepted).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_request', detail: expect.stringContaining('declaredBy.id') });

    // And through the command handler, for a student whose own id is too long for the contract.
    const handled = app.get(CommandBus).execute(new SetGuardianVisibilityCommand({ sub: 's'.repeat(250), role: 'student' } as never, 's'.repeat(250), { hiddenRoles: ['curator'] }, {}));
    await expect(handled).rejects.toMatchObject({ kind: 'invalid', detail: expect.stringContaining('studentId') });

    expect(await stream()).toEqual(before);
    await expect(store.readStream(`confidentiality-${'s'.repeat(250)}`)).resolves.toEqual([]);
  });
});
