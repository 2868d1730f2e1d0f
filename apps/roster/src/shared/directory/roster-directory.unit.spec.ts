import { DataSource } from 'typeorm';
import { encodeEvent } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { streams } from '../streams';
import { DirectoryStudentEntity, directoryEntities } from './directory.entities';
import { RosterDirectory } from './roster-directory';

// The directory on in-memory SQLite stores (needs nothing running): events appended straight to the
// log, as another roster instance would, reach the next list. Two instances at once: the int spec.

describe('roster directory', () => {
  let store: SqlEventStore;
  let dataSource: DataSource;
  const at = '2026-01-05T08:00:00.000Z';

  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: directoryEntities, synchronize: true }).initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
    await store.close();
  });

  const append = (streamId: string, event: { type: string; [field: string]: unknown }) => store.appendToStream(streamId, [encodeEvent(event)], 'any');
  const schoolOf = async (studentId: string) => (await dataSource.getRepository(DirectoryStudentEntity).findOneBy({ studentId }))?.schoolId;
  const enrol = (studentId: string, schoolId: string) =>
    append(streams.student(studentId), { type: 'StudentEnrolled', studentId, schoolId, municipalityId: 'm', name: 'A', birthDate: '2013-01-01', group: '7A', enrolledAt: at });
  const move = (studentId: string, fromSchoolId: string, toSchoolId: string) =>
    append(streams.student(studentId), { type: 'StudentTransferred', studentId, fromSchoolId, toSchoolId, transferredAt: at });

  it('holds each student at the school of their latest move, once it has read the log', async () => {
    const directory = new RosterDirectory(store, dataSource);
    await enrol('s-1', 'school-1');
    await directory.catchUp();
    expect(await schoolOf('s-1')).toBe('school-1');
    await move('s-1', 'school-1', 'school-2');
    await directory.catchUp();
    expect(await schoolOf('s-1')).toBe('school-2');
  });

  it('reads a log longer than one page to its end', async () => {
    const directory = new RosterDirectory(store, dataSource);
    for (let n = 0; n < 1_005; n++) await append(streams.studentRecords('s-1'), { type: 'RecordIngested', studentId: 's-1', record: { recordId: `r-${n}` }, ingestedAt: at });
    await enrol('s-1', 'school-1');
    await directory.catchUp();
    expect(await schoolOf('s-1')).toBe('school-1');
  });
});
