import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsumerAlarmEntity, type IncomingMessage } from '@silta/messaging';
import { loadConfig } from '@silta/platform';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { ViewReader } from './view-reader';
import { viewEntities } from './view.entities';
import { ViewProjection } from './view.projection';

// Consent's CapacityAssessed in disclosure's view, on in-memory SQLite (needs nothing running):
// the newest assessment per student and field wins whatever order messages arrive in, a replayed
// message changes nothing, and every snapshot of a known student carries the assessments.

const config = loadConfig('disclosure', { KAFKA_USERNAME: 'disclosure', KAFKA_PASSWORD: 'not-used-without-a-broker', INTERNAL_TOKEN_SECRET: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40) });
const requester = { professionalId: 'p-nurse', welfareAreaId: 'w-1', org: 'welfare-area:w-1' };

describe("disclosure's view of capacity assessments", () => {
  let dataSource: DataSource;
  let reader: ViewReader;
  const projection = new ViewProjection();

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...viewEntities, DecisionRecordEntity, ConsumerAlarmEntity], synchronize: true }).initialize();
    reader = new ViewReader(dataSource, config);
    await apply('SchoolRegistered', { schoolId: 'school-1', municipalityId: 'm-1' });
    await apply('StudentEnrolled', { studentId: 's-1', schoolId: 'school-1', enrolledAt: '2026-01-01T08:00:00Z' });
  });

  afterEach(() => dataSource.destroy());

  function apply(type: string, payload: object): Promise<void> {
    const message: IncomingMessage = {
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      payload,
      key: undefined,
      topic: 'silta.consent.v1',
      partition: 0,
      offset: '0',
      occurredAt: undefined,
      correlationId: undefined,
      causationId: undefined,
    };
    return dataSource.transaction((manager) => projection.handle(message, manager));
  }

  const assessed = (field: string, decidesForSelf: boolean, by: { id: string; role: string }, assessedAt: string) => ({
    studentId: 's-1',
    field,
    decidesForSelf,
    assessedOn: assessedAt.slice(0, 10),
    assessedBy: { kind: 'professional', ...by },
    assessedAt,
  });
  const nurse = { id: 'p-nurse', role: 'nurse' };
  const doctor = { id: 'p-doctor', role: 'doctor' };
  const curator = { id: 'p-curator', role: 'curator' };
  const capacity = async () => (await reader.snapshot('s-1', requester)).student?.capacity;

  it('is empty, and present, for a student nobody has assessed', async () => {
    expect(await capacity()).toEqual({});
  });

  it('holds the latest assessment per field, with the day and who assessed (id and role)', async () => {
    await apply('CapacityAssessed', assessed('health_care', true, nurse, '2026-03-02T08:00:00.000Z'));
    await apply('CapacityAssessed', assessed('social_welfare', false, curator, '2026-03-02T09:00:00.000Z'));
    await apply('CapacityAssessed', assessed('health_care', false, doctor, '2026-03-03T08:00:00.000Z'));
    expect(await capacity()).toEqual({
      health_care: { decidesForSelf: false, assessedOn: '2026-03-03', assessedBy: { professionalId: 'p-doctor', role: 'doctor' } },
      social_welfare: { decidesForSelf: false, assessedOn: '2026-03-02', assessedBy: { professionalId: 'p-curator', role: 'curator' } },
    });
  });

  it('ignores an assessment older than the one it holds, whatever its offset, and a replayed one changes nothing', async () => {
    const newest = assessed('health_care', true, nurse, '2026-03-03T08:00:00.000Z');
    await apply('CapacityAssessed', newest);
    // 09:00+02:00 is 07:00Z: older, though it reads later.
    await apply('CapacityAssessed', { ...assessed('health_care', false, doctor, '2026-03-03T09:00:00+02:00'), assessedOn: '2026-03-03' });
    await apply('CapacityAssessed', assessed('health_care', false, doctor, '2026-03-01T08:00:00.000Z'));
    const expected = { health_care: { decidesForSelf: true, assessedOn: '2026-03-03', assessedBy: { professionalId: 'p-nurse', role: 'nurse' } } };
    expect(await capacity()).toEqual(expected);
    await apply('CapacityAssessed', newest);
    expect(await capacity()).toEqual(expected);
  });

  it("is the student's own: another student's assessments are not in their snapshot", async () => {
    await apply('StudentEnrolled', { studentId: 's-2', schoolId: 'school-1', enrolledAt: '2026-01-01T08:00:00Z' });
    await apply('CapacityAssessed', { ...assessed('health_care', true, nurse, '2026-03-02T08:00:00.000Z'), studentId: 's-2' });
    expect(await capacity()).toEqual({});
    expect((await reader.snapshot('s-2', requester)).student?.capacity).toEqual({ health_care: expect.objectContaining({ decidesForSelf: true }) });
  });
});
