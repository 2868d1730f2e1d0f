import { randomUUID } from 'node:crypto';
import { commandFrom, handleCommand, typedEventCodec, type Decider, type RetryPolicy } from './decider';
import { WrongExpectedVersionError, type EventStore, type NewEvent, type RecordedEvent } from './port';
import { SqlEventStore } from './sql';

// The one command path on an in-memory SQLite event store (needs nothing running). A course with
// two seats stands in for any decider: its decision depends on what the stream holds.

type Enrol = { readonly type: 'Enrol'; readonly studentId: string };
type Enrolled = { readonly type: 'Enrolled'; readonly studentId: string };

class CourseFull extends Error {}

const course: Decider<Enrol, Enrolled, readonly string[]> = {
  initialState: [],
  decide: (command, enrolled) => {
    if (enrolled.includes(command.studentId)) return [];
    if (enrolled.length >= 2) throw new CourseFull('course_full');
    return [{ type: 'Enrolled', studentId: command.studentId }];
  },
  evolve: (enrolled, event) => [...enrolled, event.studentId],
};

const STREAM = 'course-1';
const enrol = (studentId: string): Enrol => ({ type: 'Enrol', studentId });
const enrolled = (studentId: string): NewEvent => ({ id: randomUUID(), type: 'Enrolled', data: { studentId } });

describe('handleCommand', () => {
  let store: SqlEventStore;
  let reads: number;
  const waits: number[] = [];
  const retry = (policy: Partial<RetryPolicy> = {}): Partial<RetryPolicy> => ({
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
    ...policy,
  });

  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    reads = 0;
    waits.length = 0;
  });

  afterEach(() => store.close());

  /** The store, with another writer enrolling `rivals` one by one, each right after a read of the stream. */
  function contested(...rivals: string[]): EventStore {
    return {
      appendToStream: (...args) => store.appendToStream(...args),
      readStream: async (streamId, options) => {
        reads++;
        const events = await store.readStream(streamId, options);
        const rival = rivals.shift();
        if (rival !== undefined) await store.appendToStream(streamId, [enrolled(rival)], 'any');
        return events;
      },
      readAll: (options) => store.readAll(options),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: () => store.close(),
    };
  }

  const studentsOnStream = async () => (await store.readStream(STREAM)).map((e) => (e.data as { studentId: string }).studentId);

  it('appends at no_stream on an empty stream, with schema version 1 in the metadata', async () => {
    const handled = await handleCommand(store, STREAM, course, enrol('aino'));

    const [stored] = await store.readStream(STREAM);
    expect(handled).toMatchObject({ events: [{ type: 'Enrolled', studentId: 'aino' }], state: ['aino'], eventIds: [stored!.id], revision: 0n });
    expect(stored).toMatchObject({ type: 'Enrolled', data: { studentId: 'aino' }, metadata: { schemaVersion: 1 } });
  });

  it("records the command's metadata on every new event, through a typed codec too", async () => {
    const metadata = { correlationId: 'req-1', actor: 'teacher-7' };
    await handleCommand(store, STREAM, course, enrol('aino'), { metadata });
    await handleCommand(store, STREAM, course, enrol('eino'), { metadata: { ...metadata, schemaVersion: 7 }, codec: typedEventCodec<Enrolled>(['Enrolled']) });

    const stored = await store.readStream(STREAM);
    expect(stored.map((e) => e.metadata)).toEqual([
      { correlationId: 'req-1', actor: 'teacher-7', schemaVersion: 1 },
      // The codec's own version wins over one a caller names.
      { correlationId: 'req-1', actor: 'teacher-7', schemaVersion: 1 },
    ]);
  });

  it('decides again when another writer appended first, and lands after a jittered wait', async () => {
    const handled = await handleCommand(contested('eino'), STREAM, course, enrol('aino'), { retry: retry() });

    expect(handled.state).toEqual(['eino', 'aino']);
    expect(await studentsOnStream()).toEqual(['eino', 'aino']);
    expect(waits).toEqual([2.5]);
  });

  it('decides against the new state: a retry can refuse what the first attempt accepted', async () => {
    await store.appendToStream(STREAM, [enrolled('eino')], 'no_stream');

    const handled = handleCommand(contested('venla'), STREAM, course, enrol('aino'), { retry: retry() });

    await expect(handled).rejects.toThrow(CourseFull);
    expect(await studentsOnStream()).toEqual(['eino', 'venla']);
  });

  it('builds a command from the state again on each attempt', async () => {
    const seen: (readonly string[])[] = [];
    await handleCommand(contested('eino'), STREAM, course, commandFrom((state: readonly string[]) => {
      seen.push(state);
      return enrol('aino');
    }), { retry: retry() });

    expect(seen).toEqual([[], ['eino']]);
  });

  it('decides a command that is itself a function as given, without calling it', async () => {
    // A command type may be callable (a thunk naming the student); only commandFrom builds from state.
    const byThunk: Decider<() => string, { type: 'Enrolled'; studentId: string }, readonly string[]> = {
      initialState: [],
      decide: (command) => [{ type: 'Enrolled', studentId: command() }],
      evolve: (state, event) => [...state, event.studentId],
    };

    await handleCommand(store, STREAM, byThunk, () => 'aino');

    expect(await studentsOnStream()).toEqual(['aino']);
  });

  it('gives up after the attempts allowed, rethrowing the conflict, waiting longer each time up to the cap', async () => {
    // A course without a limit, so every attempt would append if its writer got through.
    const unlimited: typeof course = { ...course, decide: (command) => [{ type: 'Enrolled', studentId: command.studentId }] };
    const rivals = Array.from({ length: 10 }, (_, i) => `rival-${i}`);

    const handled = handleCommand(contested(...rivals), STREAM, unlimited, enrol('aino'), {
      retry: retry({ attempts: 6, baseDelayMs: 5, maxDelayMs: 20 }),
    });

    await expect(handled).rejects.toThrow(WrongExpectedVersionError);
    expect(reads).toBe(6);
    expect(waits).toEqual([2.5, 5, 10, 10, 10]);
    expect(await studentsOnStream()).not.toContain('aino');
  });

  it('never retries a refusal', async () => {
    await store.appendToStream(STREAM, [enrolled('eino'), enrolled('venla')], 'no_stream');

    await expect(handleCommand(contested(), STREAM, course, enrol('aino'), { retry: retry() })).rejects.toThrow(CourseFull);
    expect(reads).toBe(1);
    expect(waits).toEqual([]);
  });

  it("folds through the codec's decode, which upcasts an older schema version", async () => {
    // Version 1 named the student `pupil`; version 2 renamed it.
    await store.appendToStream(STREAM, [{ id: randomUUID(), type: 'Enrolled', data: { pupil: 'aino' }, metadata: { schemaVersion: 1 } }], 'no_stream');
    const codec = typedEventCodec<Enrolled>(['Enrolled'], {
      schemaVersion: 2,
      upcast: (recorded) => ({ type: 'Enrolled', studentId: (recorded.data as { pupil: string }).pupil }),
    });

    const again = await handleCommand(store, STREAM, course, enrol('aino'), { codec });
    const other = await handleCommand(store, STREAM, course, enrol('eino'), { codec });

    expect(again.events).toEqual([]);
    expect(other.state).toEqual(['aino', 'eino']);
    expect((await store.readStream(STREAM)).at(-1)).toMatchObject({ data: { studentId: 'eino' }, metadata: { schemaVersion: 2 } });
  });
});

describe('typedEventCodec', () => {
  const codec = typedEventCodec<Enrolled>(['Enrolled'], { schemaVersion: 2 });
  const stored = (type: string, schemaVersion: number | undefined, data: object = { studentId: 'aino' }): RecordedEvent => ({
    id: randomUUID(),
    streamId: 'course-1',
    type,
    data,
    metadata: schemaVersion === undefined ? {} : { schemaVersion },
    revision: 0n,
    position: 1n,
    recordedAt: new Date(0),
  });

  it('writes its schema version and reads that version back as stored', () => {
    const written = codec.encode({ type: 'Enrolled', studentId: 'aino' });

    expect(written).toMatchObject({ type: 'Enrolled', data: { studentId: 'aino' }, metadata: { schemaVersion: 2 } });
    expect(codec.decode(stored('Enrolled', 2))).toEqual({ type: 'Enrolled', studentId: 'aino' });
  });

  it('refuses a type it does not hold, and says which', () => {
    expect(codec.holds(stored('Dropped', 2))).toBe(false);
    expect(() => codec.decode(stored('Dropped', 2))).toThrow('course-1: unknown event type Dropped');
  });

  it('refuses an older version it has no upcast for, and a newer one always', () => {
    expect(() => codec.decode(stored('Enrolled', undefined))).toThrow('Enrolled has unknown schema version 1');
    expect(() => codec.decode(stored('Enrolled', 3))).toThrow('unknown schema version 3');
    const upcasting = typedEventCodec<Enrolled>(['Enrolled'], { schemaVersion: 2, upcast: () => ({ type: 'Enrolled', studentId: 'old' }) });
    expect(upcasting.decode(stored('Enrolled', 1))).toEqual({ type: 'Enrolled', studentId: 'old' });
    expect(() => upcasting.decode(stored('Enrolled', 3))).toThrow('unknown schema version 3');
  });
});
