import { checkExpectedRevision, classifyAppend, storeUnavailable } from './append-rules';
import { EventStoreUnavailableError, WrongExpectedVersionError } from './port';

describe('whether an append is new, a retry or a conflict', () => {
  const at = (revision: bigint, streamId = 'student-1') => ({ streamId, revision });

  it('is new when none of its ids are stored', () => {
    expect(classifyAppend(['a', 'b'], [undefined, undefined], 'student-1')).toEqual({ kind: 'new' });
  });

  it('is a retry when all its ids are stored in order at consecutive revisions, answered with the last', () => {
    const last = at(4n);
    expect(classifyAppend(['a', 'b', 'c'], [at(2n), at(3n), last], 'student-1')).toEqual({ kind: 'retry', last });
    expect(classifyAppend(['a'], [at(0n)])).toEqual({ kind: 'retry', last: at(0n) });
  });

  it('is a conflict, naming the reused ids, when only some of its ids are stored', () => {
    expect(classifyAppend(['a', 'b', 'c'], [at(2n), undefined, at(4n)], 'student-1')).toEqual({ kind: 'conflict', ids: ['a', 'c'] });
  });

  it('is a conflict when its ids are stored out of order or with a gap', () => {
    expect(classifyAppend(['a', 'b'], [at(3n), at(2n)], 'student-1')).toMatchObject({ kind: 'conflict' });
    expect(classifyAppend(['a', 'b'], [at(2n), at(4n)], 'student-1')).toMatchObject({ kind: 'conflict' });
  });

  it('is a conflict when its ids are stored in another stream', () => {
    expect(classifyAppend(['a', 'b'], [at(0n, 'student-2'), at(1n, 'student-2')], 'student-1')).toEqual({ kind: 'conflict', ids: ['a', 'b'] });
  });
});

describe('the expected-revision rule', () => {
  it('lets any append through with any', () => {
    expect(() => checkExpectedRevision('s', 'any', undefined)).not.toThrow();
    expect(() => checkExpectedRevision('s', 'any', 7n)).not.toThrow();
  });

  it('allows no_stream only while the stream has no events', () => {
    expect(() => checkExpectedRevision('s', 'no_stream', undefined)).not.toThrow();
    expect(() => checkExpectedRevision('s', 'no_stream', 0n)).toThrow(expect.objectContaining({ expected: 'no_stream', actual: 0n }));
  });

  it('allows an exact revision only when it is the last event, naming what it found', () => {
    expect(() => checkExpectedRevision('s', 3n, 3n)).not.toThrow();
    expect(() => checkExpectedRevision('s', 3n, 4n)).toThrow(WrongExpectedVersionError);
    expect(() => checkExpectedRevision('s', 0n, undefined)).toThrow(expect.objectContaining({ streamId: 's', expected: 0n, actual: 'no_stream' }));
  });
});

describe('a failed store', () => {
  it('is reported as unavailable, naming the store and keeping the cause', () => {
    const cause = new Error('connection refused');
    const error = storeUnavailable('event store', cause);
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error.message).toBe('event store failed: connection refused');
    expect(error.cause).toBe(cause);
  });
});
