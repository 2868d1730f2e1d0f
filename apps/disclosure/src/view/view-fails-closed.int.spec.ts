import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ConsentGrantedV1, ConsentWithdrawnV1 } from '@silta/contracts';
import { ConsumerAlarmEntity } from '@silta/messaging';
import { eventually, uniqueName } from '@silta/testing';
import { decide, type Policy } from '@silta/decision';
import { startViewProjection, publicMessage, type ViewIntFixture } from './testing/view-int-fixture';
import { AssignmentEntity, SchoolEntity, StudentEntity } from './view.entities';
import type { ViewReader } from './view-reader';

// A withdrawal that cannot be applied must not leave the student's data flowing (issue 10, item 7;
// DESIGN.md invariant 9): the consumer raises an alarm and disclosure's decisions about that
// student deny, on the real broker and PostgreSQL.

const policy: Policy = {
  id: 'municipality:m/disclosure-policy',
  version: '1',
  hash: '0'.repeat(64),
  municipality: 'm',
  necessity: { curator: [], psychologist: [], nurse: [], doctor: [] },
  emergency: { categories: [], windowMinutes: 60 },
  requireWelfareAccessActivation: false,
  consentFrom: 'any_guardian',
  minJustificationLength: 10,
};

describe("disclosure's view fails closed on a narrowing message it cannot apply", () => {
  let view: ViewIntFixture;
  let dataSource: DataSource;
  let reader: ViewReader;

  beforeAll(async () => {
    view = await startViewProjection('fails-closed');
    ({ dataSource, reader } = view);
  });
  afterAll(() => view?.stop());

  it('denies every decision about the student whose withdrawal was dead-lettered, and only that student', async () => {
    const [student, neighbour, schoolId] = [uniqueName('student-x'), uniqueName('student-y'), uniqueName('school')];
    await dataSource.manager.insert(SchoolEntity, { schoolId, municipalityId: 'm', servedBy: 'w' });
    for (const studentId of [student, neighbour]) {
      await dataSource.manager.insert(StudentEntity, { studentId, schoolId, enrolledAt: null, decidesForSelf: false, welfareAccessActive: true });
    }
    await dataSource.manager.insert(AssignmentEntity, {
      assignmentId: uniqueName('a'), professionalId: 'p-1', role: 'curator', welfareAreaId: 'w', schoolId, validFrom: '2020-01-01', validUntil: null, ended: false,
    });
    const requester = { professionalId: 'p-1', welfareAreaId: 'w', org: 'welfare-area:w' };
    const decideFor = async (studentId: string) =>
      decide({
        request: { requestId: randomUUID(), studentId, categories: ['identification'], basis: 'identification', purpose: 'support' },
        requester: { professionalId: 'p-1', role: 'curator', welfareAreaId: 'w' },
        snapshot: await reader.snapshot(studentId, requester),
        policy,
        now: new Date().toISOString(),
      }).categories.map((c) => `${c.outcome}:${c.reason}`);
    expect(await decideFor(student)).toEqual(['permit:identification_data']);

    const grantedAt = new Date().toISOString();
    await view.send(
      publicMessage(
        ConsentGrantedV1.type,
        { consentId: uniqueName('c'), version: 1, studentId: student, grantedBy: { kind: 'guardian', id: 'g-1' }, categories: ['absences'], recipient: { welfareAreaId: 'w' }, purpose: 'support', validFrom: grantedAt, grantedAt },
        student,
      ),
      // the guardian's withdrawal, with an id its contract refuses: it cannot be applied
      publicMessage(ConsentWithdrawnV1.type, { consentId: 'c'.repeat(250), version: 2, studentId: student, at: grantedAt }, student),
    );
    await eventually(async () => (await dataSource.manager.countBy(ConsumerAlarmEntity, { messageKey: student })) === 1, 60_000, () => 'no alarm was raised');

    expect(await decideFor(student)).toEqual(['deny:view_incomplete']);
    expect(await decideFor(neighbour)).toEqual(['permit:identification_data']);

    // the operator deals with it and resolves the alarm: decisions about the student resume
    await dataSource.manager.update(ConsumerAlarmEntity, { messageKey: student }, { resolvedAt: new Date() });
    expect(await decideFor(student)).toEqual(['permit:identification_data']);
  });
});
