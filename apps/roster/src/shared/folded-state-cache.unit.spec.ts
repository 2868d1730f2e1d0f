import { encodeEvent, type EventStore, type ReadStreamOptions } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { recordsOf, studentRecordsDecider, type EducationRecord } from '../domain/student-records';
import { FoldedStateCache } from './folded-state-cache';

// The cache of folded states on an in-memory SQLite event store (needs nothing running). Events are
// appended straight to the store, as another roster instance would: nothing tells the cache.

describe('folded state cache', () => {
  let store: SqlEventStore;
  /** Events the store handed out to reads: what the cache saves. */
  let eventsRead: number;
  let counting: EventStore;
  const at = '2026-01-05T08:00:00.000Z';

  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    eventsRead = 0;
    counting = Object.assign(Object.create(store) as EventStore, {
      async readStream(streamId: string, options?: ReadStreamOptions) {
        const events = await store.readStream(streamId, options);
        eventsRead += events.length;
        return events;
      },
    });
  });

  afterEach(() => store.close());

  const absence = (n: number): EducationRecord => ({ recordId: `r-${n}`, category: 'absences', date: '2026-02-02', hours: n });
  const ingest = (studentId: string, from: number, count: number) =>
    store.appendToStream(
      `student_records-${studentId}`,
      Array.from({ length: count }, (_, i) => encodeEvent({ type: 'RecordIngested', studentId, record: absence(from + i), ingestedAt: at })),
      'any',
    );
  const hours = async (cache: FoldedStateCache, studentId: string) =>
    recordsOf(await cache.load(counting, `student_records-${studentId}`, studentRecordsDecider), 'absences').map((r) => 'hours' in r && r.hours);

  it('answers a record appended after a cached read, by whoever appended it', async () => {
    const cache = new FoldedStateCache(1_000);
    await ingest('s-1', 1, 2);
    expect(await hours(cache, 's-1')).toEqual([1, 2]);

    await ingest('s-1', 3, 1);

    expect(await hours(cache, 's-1')).toEqual([1, 2, 3]);
  });

  it('reads only the events appended since the last read', async () => {
    const cache = new FoldedStateCache(1_000);
    await ingest('s-1', 1, 500);
    await hours(cache, 's-1');
    expect(eventsRead).toBe(500);

    await ingest('s-1', 501, 2);
    expect(await hours(cache, 's-1')).toHaveLength(502);
    await hours(cache, 's-1');

    expect(eventsRead).toBe(502);
  });

  it('keeps no more folded events than its budget, dropping the least recently read stream first', async () => {
    const cache = new FoldedStateCache(100);
    await ingest('s-1', 1, 60);
    await ingest('s-2', 1, 60);
    await hours(cache, 's-1');
    await hours(cache, 's-2'); // over the budget: s-1 goes
    eventsRead = 0;

    await hours(cache, 's-2');
    expect(eventsRead).toBe(0);
    await hours(cache, 's-1');
    expect(eventsRead).toBe(60);
  });

  it('answers the initial state for a stream never written, and its first event once written', async () => {
    const cache = new FoldedStateCache(1_000);
    expect(await hours(cache, 'nobody')).toEqual([]);

    await ingest('nobody', 1, 1);

    expect(await hours(cache, 'nobody')).toEqual([1]);
  });
});
