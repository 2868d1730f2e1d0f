import { DataSource } from 'typeorm';
import { encodeEvent, type EventStore, type ReadAllOptions } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { createTestDatabase, eventually, type TestDatabase } from '@silta/testing';
import { streams } from '../streams';
import { DirectoryStudentEntity, directoryEntities } from './directory.entities';
import { RosterDirectory } from './roster-directory';

// Two roster instances catching up at the same time on real PostgreSQL. The first has read the
// log up to a move to school-2 and has not yet written it; meanwhile the student moves on to
// school-3 and the second instance catches up. Unless the second waits for the first (the lock on
// the position row), it applies everything from the old position, commits school-3, and the first
// then writes its older school-2 over it: the student would be listed at a school they left.

describe('roster directory: two instances at once', () => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let dataSource: DataSource;
  const at = '2026-01-05T08:00:00.000Z';

  beforeAll(async () => {
    database = await createTestDatabase('silta_roster_directory');
    store = await SqlEventStore.connect({ type: 'postgres', url: database.url });
    dataSource = await new DataSource({ type: 'postgres', url: database.url, entities: directoryEntities, synchronize: true }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  const append = (event: { type: string; studentId: string; [field: string]: unknown }) => store.appendToStream(streams.student(event.studentId), [encodeEvent(event)], 'any');
  const move = (toSchoolId: string) => append({ type: 'StudentTransferred', studentId: 's-1', fromSchoolId: 'x', toSchoolId, transferredAt: at });

  it('never lets the slower instance write an older school over a newer one', async () => {
    await append({ type: 'StudentEnrolled', studentId: 's-1', schoolId: 'school-1', municipalityId: 'm', name: 'A', birthDate: '2013-01-01', group: '7A', enrolledAt: at });
    // Both instances have listed before: the position row exists and is committed.
    await new RosterDirectory(store, dataSource).catchUp();
    await move('school-2');

    // The first instance's log read returns, then waits for the test before the rows are written.
    let read!: () => void;
    let release!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const pausing = Object.assign(Object.create(store) as EventStore, {
      async readAll(options?: ReadAllOptions) {
        const events = await store.readAll(options);
        if (events.length) {
          read();
          await released;
        }
        return events;
      },
    });
    const first = new RosterDirectory(pausing, dataSource).catchUp();
    await hasRead;
    await move('school-3');

    // The second instance either finishes on its own (no lock) or waits for the first's lock.
    let secondDone = false;
    const second = new RosterDirectory(store, dataSource).catchUp().then(() => (secondDone = true));
    const waiters = async () => Number((await dataSource.query<Array<{ n: string }>>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')"))[0]!.n);
    await eventually(async () => secondDone || (await waiters()) > 0, 30_000, () => 'the second instance neither finished nor waited for a lock');
    release();
    await Promise.all([first, second]);

    expect((await dataSource.getRepository(DirectoryStudentEntity).findOneByOrFail({ studentId: 's-1' })).schoolId).toBe('school-3');
  });
});
