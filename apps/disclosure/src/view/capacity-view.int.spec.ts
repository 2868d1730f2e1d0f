import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { CapacityAssessedV1, MessageHeaders } from '@silta/contracts';
import { ProcessedEventEntity } from '@silta/messaging';
import { eventually, uniqueName } from '@silta/testing';
import { startViewProjection, publicMessage, type ViewIntFixture } from './testing/view-int-fixture';
import { CapacityEntity, SchoolEntity, StudentEntity } from './view.entities';
import type { ViewReader } from './view-reader';

// Consent's CapacityAssessed reaches disclosure's view over the real broker and lands in real
// PostgreSQL, where the view reader's one-statement snapshot puts it in `student.capacity`.

describe("disclosure's view of capacity assessments (PostgreSQL, Kafka)", () => {
  const requester = { professionalId: 'p-nurse', welfareAreaId: 'w', org: 'welfare-area:w' };
  let view: ViewIntFixture;
  let dataSource: DataSource;
  let reader: ViewReader;

  beforeAll(async () => {
    view = await startViewProjection('capacity-view');
    ({ dataSource, reader } = view);
  });
  afterAll(() => view?.stop());

  /** Students of their own, enrolled at a school of their own served by the welfare area. */
  async function enrolled(...names: string[]): Promise<string[]> {
    const schoolId = uniqueName('school');
    await dataSource.manager.insert(SchoolEntity, { schoolId, municipalityId: 'm', servedBy: 'w' });
    const studentIds = names.map(uniqueName);
    for (const studentId of studentIds) {
      await dataSource.manager.insert(StudentEntity, { studentId, schoolId, enrolledAt: null, decidesForSelf: true, welfareAccessActive: true });
    }
    return studentIds;
  }

  const assessed = (studentId: string, field: string, decidesForSelf: boolean, by: { id: string; role: string }, assessedAt: string) =>
    publicMessage(CapacityAssessedV1.type, { studentId, field, decidesForSelf, assessedOn: assessedAt.slice(0, 10), assessedBy: { kind: 'professional', ...by }, assessedAt }, studentId);
  const nurse = { id: 'p-nurse', role: 'nurse' };
  const doctor = { id: 'p-doctor', role: 'doctor' };
  const curator = { id: 'p-curator', role: 'curator' };

  it("puts the newest assessment per field in the student's snapshot; an older or repeated message changes nothing", async () => {
    const [student, unassessed] = await enrolled('student-x', 'student-y');
    const newest = assessed(student, 'health_care', true, nurse, '2026-03-03T08:00:00.000Z');
    const messages = [
      assessed(student, 'health_care', false, doctor, '2026-03-02T08:00:00.000Z'),
      newest,
      assessed(student, 'social_welfare', false, curator, '2026-03-02T08:00:00.000Z'),
      // The nurse's again under another event id, then one older than it arriving last.
      { ...newest, headers: { ...newest.headers, [MessageHeaders.eventId]: randomUUID() } },
      assessed(student, 'health_care', false, doctor, '2026-03-01T08:00:00.000Z'),
    ];
    await view.send(...messages);
    const eventIds = messages.map((m) => String(m.headers?.[MessageHeaders.eventId]));
    await eventually(async () => (await dataSource.manager.countBy(ProcessedEventEntity, { eventId: In(eventIds) })) === 5, 60_000, () => 'the view did not apply every message');

    const snapshot = await reader.snapshot(student, requester);
    expect(snapshot.student?.capacity).toEqual({
      health_care: { decidesForSelf: true, assessedOn: '2026-03-03', assessedBy: { professionalId: 'p-nurse', role: 'nurse' } },
      social_welfare: { decidesForSelf: false, assessedOn: '2026-03-02', assessedBy: { professionalId: 'p-curator', role: 'curator' } },
    });
    expect(await dataSource.manager.countBy(CapacityEntity, { studentId: student })).toBe(2);
    // Another student, nobody assessed: present and empty, never roster's flag.
    expect((await reader.snapshot(unassessed, requester)).student?.capacity).toEqual({});
  });
});
