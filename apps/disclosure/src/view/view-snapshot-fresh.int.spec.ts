import type { DataSource } from 'typeorm';
import { ConsentGrantedV1, ConsentWithdrawnV1 } from '@silta/contracts';
import { eventually, uniqueName } from '@silta/testing';
import { startViewProjection, publicMessage, type ViewIntFixture } from './testing/view-int-fixture';
import { AssignmentEntity, ConsentEntity, SchoolEntity, StudentEntity } from './view.entities';
import type { ViewReader } from './view-reader';

// The snapshot statement is prepared once per connection (issue 17): only its plan may be kept.
// A change the view applied after a snapshot must be in the very next snapshot, on the real
// broker and PostgreSQL: a withdrawal denies the next decision, an ended assignment too.

describe("disclosure's view snapshot after a change", () => {
  let view: ViewIntFixture;
  let dataSource: DataSource;
  let reader: ViewReader;

  beforeAll(async () => {
    view = await startViewProjection('snapshot-fresh');
    ({ dataSource, reader } = view);
  });
  afterAll(() => view?.stop());

  it('answers the withdrawal and the ended assignment the view applied since the last snapshot', async () => {
    const [student, schoolId, consentId, assignmentId] = [uniqueName('student'), uniqueName('school'), uniqueName('c'), uniqueName('a')];
    await dataSource.manager.insert(SchoolEntity, { schoolId, municipalityId: 'm', servedBy: 'w' });
    await dataSource.manager.insert(StudentEntity, { studentId: student, schoolId, enrolledAt: null, decidesForSelf: false, welfareAccessActive: true });
    await dataSource.manager.insert(AssignmentEntity, { assignmentId, professionalId: 'p-1', role: 'curator', welfareAreaId: 'w', schoolId, validFrom: '2020-01-01', validUntil: null, ended: false });
    const requester = { professionalId: 'p-1', welfareAreaId: 'w', org: 'welfare-area:w' };
    const snapshot = () => reader.snapshot(student, requester);
    const grantedAt = new Date().toISOString();
    await view.send(
      publicMessage(
        ConsentGrantedV1.type,
        { consentId, version: 1, studentId: student, grantedBy: { kind: 'guardian', id: 'g-1' }, categories: ['absences'], recipient: { welfareAreaId: 'w' }, purpose: 'support', validFrom: grantedAt, grantedAt },
        student,
      ),
    );
    await eventually(async () => (await dataSource.manager.countBy(ConsentEntity, { consentId, status: 'active' })) === 1, 60_000, () => 'the grant was not applied');
    // More snapshots than pg needs to settle on a generic plan (five), all before the changes.
    for (let i = 0; i < 6; i++) expect((await snapshot()).consents.map((c) => c.status)).toEqual(['active']);

    await view.send(publicMessage(ConsentWithdrawnV1.type, { consentId, version: 2, studentId: student, at: new Date().toISOString() }, student));
    await eventually(async () => (await dataSource.manager.countBy(ConsentEntity, { consentId, status: 'withdrawn' })) === 1, 60_000, () => 'the withdrawal was not applied');
    await dataSource.manager.update(AssignmentEntity, { assignmentId }, { ended: true });

    const next = await snapshot();
    expect(next.consents.map((c) => c.status)).toEqual(['withdrawn']);
    expect(next.assignments.map((a) => a.ended)).toEqual([true]);
  });
});
