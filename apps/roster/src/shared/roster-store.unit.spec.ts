import { Refusal, decodePositionToken } from '@silta/contracts';
import { SqlEventStore } from '@silta/event-store/sql';
import { schoolDecider } from '../domain/school';
import { studentDecider, type StudentCommand } from '../domain/student';
import { RosterStore, positionTokenOf } from './roster-store';
import { streams } from './streams';

// Roster's store helper on an in-memory SQLite event store (needs nothing running): what a write
// answers must name the very event it stored, since disclosure waits for that id on silta.roster.v1.

describe('roster store', () => {
  let events: SqlEventStore;
  let roster: RosterStore;
  const metadata = { actor: 'admin-1', correlationId: 'request-1' };
  const at = '2026-01-05T08:00:00.000Z';

  beforeEach(async () => {
    events = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    roster = new RosterStore(events);
    await roster.execute(streams.school('school-1'), schoolDecider, { type: 'RegisterSchool', schoolId: 'school-1', name: 'A', byMunicipalityId: 'vantaa', registeredAt: at }, metadata);
    const school = await roster.school('school-1');
    await run({ type: 'EnrollStudent', studentId: 's-1', school, name: 'Aino', birthDate: '2012-05-06', group: '8B', educationForm: 'basic_education', inCompulsoryEducation: false, byMunicipalityId: 'vantaa', enrolledAt: at });
    await run({ type: 'LinkGuardian', studentId: 's-1', guardianId: 'g-1', name: 'Ilona', contact: { email: 'i@example.invalid' }, byMunicipalityId: 'vantaa', linkedAt: at });
  });

  afterEach(() => events.close());

  const run = (command: StudentCommand) => roster.execute(streams.student('s-1'), studentDecider, command, metadata);

  it('answers the ids of what it appended and a position token naming the last of them', async () => {
    const appended = await run({ type: 'UnlinkGuardian', studentId: 's-1', guardianId: 'g-1', byMunicipalityId: 'vantaa', unlinkedAt: at });

    const stored = (await events.readStream(streams.student('s-1'))).at(-1)!;
    expect(stored.type).toBe('GuardianUnlinked');
    expect(appended.eventIds).toEqual([stored.id]);
    expect(decodePositionToken(positionTokenOf(appended, streams.student('s-1')))).toEqual({ service: 'roster', eventId: stored.id });
  });

  it('answers no token when the command changed nothing, and refuses to invent one', async () => {
    const unchanged = await run({ type: 'RecordCapacity', studentId: 's-1', decidesForSelf: false, byMunicipalityId: 'vantaa', recordedAt: at });

    expect(unchanged).toEqual({ events: [], eventIds: [], positionToken: undefined });
    expect(() => positionTokenOf(unchanged, streams.student('s-1'))).toThrow('appended no event');
  });

  it('refuses with 400, naming the field, and appends nothing, what the public contract would refuse', async () => {
    const before = (await events.readAll()).length;
    // A municipality claim the token allowed but SchoolRegisteredV1 does not (over 200 characters):
    // published, it would be dead-lettered by every consumer.
    const register = roster.execute(
      streams.school('school-2'),
      schoolDecider,
      { type: 'RegisterSchool', schoolId: 'school-2', name: 'B', byMunicipalityId: 'm'.repeat(250), registeredAt: at },
      metadata,
    );

    await expect(register).rejects.toThrow(Refusal);
    await expect(register).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_request', detail: expect.stringContaining('municipalityId') });
    expect((await events.readAll()).length).toBe(before);
  });

  it('refuses a service declaration whose welfare area the contract would refuse', async () => {
    const declare = roster.execute(
      streams.school('school-1'),
      schoolDecider,
      { type: 'DeclareSchoolService', schoolId: 'school-1', welfareAreaId: 'w'.repeat(201), byMunicipalityId: 'vantaa', declaredAt: at },
      metadata,
    );

    await expect(declare).rejects.toMatchObject({ kind: 'invalid', detail: expect.stringContaining('welfareAreaId') });
    expect(await events.readStream(streams.school('school-1'))).toHaveLength(1);
  });
});
