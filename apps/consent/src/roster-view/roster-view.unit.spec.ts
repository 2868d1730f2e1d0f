import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConsumerAlarmEntity, type IncomingMessage } from '@silta/messaging';
import { loadConfig } from '@silta/platform';
import { rosterViewEntities } from './roster-view.entities';
import { RosterViewProjection } from './roster-view.projection';
import { RosterView } from './roster-view.reader';

// The projection against an in-memory SQLite database (needs nothing running): messages arrive in
// any order and the view converges to what the latest changes say.

const config = loadConfig('consent', { KAFKA_USERNAME: 'consent', KAFKA_PASSWORD: 'not-used-without-a-broker', JWT_SECRET: 'j'.repeat(40), INTERNAL_TOKEN_SECRET: 'i'.repeat(40) });

describe('roster view', () => {
  let dataSource: DataSource;
  const projection = new RosterViewProjection();
  let view: RosterView;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...rosterViewEntities, ConsumerAlarmEntity], synchronize: true }).initialize();
    view = new RosterView(dataSource, config);
  });

  afterEach(() => dataSource.destroy());

  const apply = (type: string, payload: object) =>
    dataSource.transaction((manager) => projection.handle(message(type, payload), manager));

  it("records links, unlinks and the school's capacity record, which the domain's snapshot leaves out", async () => {
    await apply('StudentEnrolled', { studentId: 's-1', schoolId: 'school-1', enrolledAt: '2026-01-01T08:00:00Z' });
    await apply('GuardianLinked', { studentId: 's-1', guardianId: 'g-1', linkedAt: '2026-01-01T09:00:00Z' });
    await apply('GuardianLinked', { studentId: 's-1', guardianId: 'g-2', linkedAt: '2026-01-01T09:00:00Z' });
    await apply('GuardianUnlinked', { studentId: 's-1', guardianId: 'g-2', unlinkedAt: '2026-01-02T09:00:00Z' });
    await apply('StudentCapacityRecorded', { studentId: 's-1', decidesForSelf: true, recordedAt: '2026-01-03T09:00:00Z' });
    expect(await view.snapshot('s-1')).toEqual({ studentId: 's-1', linkedGuardianIds: ['g-1'] });
    const student = await dataSource.getRepository(rosterViewEntities[0]!).findOneByOrFail({ studentId: 's-1' });
    expect(student).toMatchObject({ decidesForSelf: true });
  });

  it('ignores changes older than what it holds, whatever order they arrive in', async () => {
    await apply('GuardianUnlinked', { studentId: 's-1', guardianId: 'g-1', unlinkedAt: '2026-01-02T09:00:00Z' });
    await apply('GuardianLinked', { studentId: 's-1', guardianId: 'g-1', linkedAt: '2026-01-01T09:00:00Z' });
    await apply('StudentCapacityRecorded', { studentId: 's-1', decidesForSelf: false, recordedAt: '2026-03-01T09:00:00+02:00' });
    await apply('StudentCapacityRecorded', { studentId: 's-1', decidesForSelf: true, recordedAt: '2026-03-01T08:00:00Z' });
    await apply('StudentTransferred', { studentId: 's-1', fromSchoolId: 'school-1', toSchoolId: 'school-2', transferredAt: '2026-02-01T08:00:00Z' });
    await apply('StudentEnrolled', { studentId: 's-1', schoolId: 'school-1', enrolledAt: '2026-01-01T08:00:00Z' });
    // 08:00Z is later than 09:00+02:00 (07:00Z): the school's capacity record holds.
    expect(await view.snapshot('s-1')).toEqual({ studentId: 's-1', linkedGuardianIds: [] });
    const student = await dataSource.getRepository(rosterViewEntities[0]!).findOneByOrFail({ studentId: 's-1' });
    expect(student).toMatchObject({ schoolId: 'school-2', decidesForSelf: true, capacityAsOf: '2026-03-01T08:00:00.000Z' });
  });

  it('knows nothing of a student it has not heard of, and ignores events consent does not need', async () => {
    await apply('SchoolRegistered', { schoolId: 'school-1', municipalityId: 'vantaa' });
    await apply('WelfareAccessChanged', { studentId: 's-9', active: true, changedAt: '2026-01-01T08:00:00Z' });
    expect(await view.snapshot('s-9')).toEqual({ studentId: 's-9', linkedGuardianIds: [] });
  });
});

describe('roster view: assignments and the service relation', () => {
  let dataSource: DataSource;
  const projection = new RosterViewProjection();
  let view: RosterView;
  const assigned = { assignmentId: 'a-1', professionalId: 'p-1', role: 'curator', welfareAreaId: 'w-1', schoolId: 'school-1', validFrom: '2026-01-01' };
  const ended = { assignmentId: 'a-1', schoolId: 'school-1', endedAt: '2026-02-01T08:00:00Z' };

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...rosterViewEntities, ConsumerAlarmEntity], synchronize: true }).initialize();
    view = new RosterView(dataSource, config);
    await apply('StudentEnrolled', { studentId: 's-1', schoolId: 'school-1', enrolledAt: '2026-01-01T08:00:00Z' });
  });

  afterEach(() => dataSource.destroy());

  const apply = (type: string, payload: object) => dataSource.transaction((manager) => projection.handle(message(type, payload), manager));

  it("gives the student's school, who serves it, and the professional's assignments there", async () => {
    await apply('SchoolServiceDeclared', { schoolId: 'school-1', municipalityId: 'm-1', welfareAreaId: 'w-1', declaredAt: '2026-01-01T08:00:00Z' });
    await apply('ProfessionalAssigned', assigned);
    await apply('ProfessionalAssigned', { ...assigned, assignmentId: 'a-2', professionalId: 'p-2' });
    await apply('ProfessionalAssigned', { ...assigned, assignmentId: 'a-3', schoolId: 'school-2' });

    expect(await view.standing('s-1', 'p-1')).toEqual({
      schoolId: 'school-1',
      schoolServedBy: 'w-1',
      callerAssignments: [{ assignmentId: 'a-1', role: 'curator', welfareAreaId: 'w-1', schoolId: 'school-1', validFrom: '2026-01-01', ended: false }],
    });
    expect(await view.standing('s-9', 'p-1')).toEqual({ schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] });
  });

  it('keeps an end, whether it arrives before or after the assignment, and however often', async () => {
    await apply('AssignmentEnded', ended);
    await apply('ProfessionalAssigned', assigned);
    await apply('ProfessionalAssigned', assigned);
    await apply('AssignmentEnded', { ...ended, endedAt: '2026-03-01T08:00:00Z' });

    expect((await view.standing('s-1', 'p-1')).callerAssignments).toEqual([expect.objectContaining({ assignmentId: 'a-1', ended: true })]);
  });

  it('holds the newest service declaration, whatever order they arrive in', async () => {
    await apply('SchoolServiceDeclared', { schoolId: 'school-1', municipalityId: 'm-1', welfareAreaId: 'w-2', declaredAt: '2026-02-01T08:00:00Z' });
    await apply('SchoolServiceDeclared', { schoolId: 'school-1', municipalityId: 'm-1', welfareAreaId: 'w-1', declaredAt: '2026-01-01T08:00:00Z' });

    expect((await view.standing('s-1', 'p-1')).schoolServedBy).toBe('w-2');
  });
});

function message(type: string, payload: object): IncomingMessage {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    payload,
    key: undefined,
    topic: 'silta.roster.v1',
    partition: 0,
    offset: '0',
    occurredAt: undefined,
    correlationId: undefined,
    causationId: undefined,
  };
}

describe('roster view: failing closed on an alarm', () => {
  let dataSource: DataSource;
  let view: RosterView;
  const projection = new RosterViewProjection();
  const curator = { kind: 'professional', id: 'p-1', role: 'curator', org: 'welfare-area:w-1' } as const;
  const alarm = (messageKey: string | null, offset: string) =>
    dataSource.manager.insert(ConsumerAlarmEntity, {
      consumer: 'consent', topic: 'silta.roster.v1', partition: 0, offset, messageKey, eventType: 'AssignmentEnded', eventId: null, reason: 'invalid', raisedAt: new Date(), resolvedAt: null,
    });

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...rosterViewEntities, ConsumerAlarmEntity], synchronize: true }).initialize();
    view = new RosterView(dataSource, config);
    await dataSource.transaction((manager) => projection.handle(message('StudentEnrolled', { studentId: 's-1', schoolId: 'school-1', enrolledAt: '2026-01-01T08:00:00Z' }), manager));
  });
  afterEach(() => dataSource.destroy());

  it("refuses what would widen access while a roster message about the student's school could not be applied", async () => {
    await expect(view.standingFor(curator, 's-1')).resolves.toMatchObject({ schoolId: 'school-1' });
    await alarm('school-1', '7'); // e.g. the end of an assignment there, dead-lettered
    await expect(view.standingFor(curator, 's-1')).rejects.toMatchObject({ kind: 'unavailable', code: 'roster_view_incomplete' });
    await expect(view.assertComplete('s-1')).rejects.toMatchObject({ kind: 'unavailable', code: 'roster_view_incomplete' });
    await expect(view.assertComplete('s-other')).resolves.toBeUndefined();
    // the student's own declaration needs nothing from the view
    await expect(view.standingFor({ kind: 'student', id: 's-1' }, 's-1')).resolves.toMatchObject({ callerAssignments: [] });
    await dataSource.manager.update(ConsumerAlarmEntity, { offset: '7' }, { resolvedAt: new Date() });
    await expect(view.standingFor(curator, 's-1')).resolves.toMatchObject({ schoolId: 'school-1' });
  });

  it('fails closed for every student on an alarm about a message without a key, and for the student on one keyed by them', async () => {
    await alarm(null, '8');
    await expect(view.assertComplete('s-other')).rejects.toMatchObject({ kind: 'unavailable', code: 'roster_view_incomplete' });
    await dataSource.manager.update(ConsumerAlarmEntity, { offset: '8' }, { resolvedAt: new Date() });
    await alarm('s-1', '9');
    await expect(view.assertComplete('s-1')).rejects.toMatchObject({ kind: 'unavailable', code: 'roster_view_incomplete' });
    await expect(view.assertComplete('s-other')).resolves.toBeUndefined();
  });
});
