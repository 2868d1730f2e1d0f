import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  FORWARDS,
  InvalidArgumentError,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  IdempotencyConflictError,
  WrongExpectedVersionError,
  type NewEvent,
  type RecordedEvent,
} from '../port';
import {
  checkpointStart,
  classifyRetry,
  firstRevisionAfter,
  fromEsdbMetadata,
  globalPositionOf,
  isAfterCheckpoint,
  isMissingStream,
  isSystemEvent,
  toEsdbEvent,
  toEsdbExpectedRevision,
  toEsdbMetadata,
  toEsdbReadStreamOptions,
  toRecordedEvent,
  toStoreError,
} from './esdb-mapping';

const ID_A = '0b6f1b1e-3c52-4f57-9d4e-2f4a6f1c0a01';
const ID_B = '0b6f1b1e-3c52-4f57-9d4e-2f4a6f1c0a02';
const ID_C = '0b6f1b1e-3c52-4f57-9d4e-2f4a6f1c0a03';

describe('expected revisions', () => {
  it('maps no_stream and any to the client constants', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
  });

  it('passes an exact revision through as a bigint, including 0', () => {
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
    expect(toEsdbExpectedRevision(2n ** 62n)).toBe(2n ** 62n);
  });

  it('rejects a negative revision rather than sending it to the server', () => {
    expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('names the revision the first appended event gets', () => {
    expect(firstRevisionAfter('no_stream')).toBe(0n);
    expect(firstRevisionAfter(0n)).toBe(1n);
    expect(firstRevisionAfter(9n)).toBe(10n);
  });
});

describe('stream read options', () => {
  it('reads forwards from the start by default', () => {
    expect(toEsdbReadStreamOptions()).toEqual({ direction: FORWARDS, fromRevision: START });
  });

  it('starts a backwards read at the end unless told otherwise', () => {
    expect(toEsdbReadStreamOptions({ direction: 'backwards' })).toEqual({ direction: BACKWARDS, fromRevision: END });
    expect(toEsdbReadStreamOptions({ direction: 'backwards', fromRevision: 2n })).toEqual({
      direction: BACKWARDS,
      fromRevision: 2n,
    });
  });

  it('passes a whole, non-negative maxCount', () => {
    expect(toEsdbReadStreamOptions({ fromRevision: 2n, maxCount: 2.7 })).toEqual({
      direction: FORWARDS,
      fromRevision: 2n,
      maxCount: 2,
    });
    expect(toEsdbReadStreamOptions({ maxCount: -3 }).maxCount).toBe(0);
  });
});

describe('positions and checkpoints', () => {
  it('starts from the beginning without a checkpoint, else at the checkpoint event itself', () => {
    expect(checkpointStart(undefined)).toBe(START);
    expect(checkpointStart(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
  });

  it('skips events at or before the checkpoint and keeps later ones', () => {
    const positions = [100n, 199n, 200n, 201n, 300n];
    expect(positions.filter((p) => isAfterCheckpoint(p, 200n))).toEqual([201n, 300n]);
    expect(positions.filter((p) => isAfterCheckpoint(p, undefined))).toEqual(positions);
    expect(isAfterCheckpoint(0n, 0n)).toBe(false);
  });

  it('uses the commit position, exactly, beyond the range of a JS number', () => {
    const big = 2n ** 60n + 1n;
    expect(globalPositionOf({ id: ID_A, streamId: 's', position: { commit: big, prepare: big } })).toBe(big);
  });

  it('refuses an event whose position the server did not report', () => {
    const unknown = 2n ** 64n - 1n;
    expect(() => globalPositionOf({ id: ID_A, streamId: 's', position: { commit: unknown, prepare: unknown } })).toThrow(
      /22\.6/,
    );
    expect(() => globalPositionOf({ id: ID_A, streamId: 's', position: undefined })).toThrow(/position/);
  });
});

describe('system events', () => {
  it.each([
    ['$metadata', 'student-1'],
    ['$statsCollected', '$stats-127.0.0.1:2113'],
    ['$>', '$ce-student'],
    ['$ProjectionUpdated', '$projections-$all'],
    ['SomethingHappened', '$$student-1'],
  ])('recognises type %s in stream %s as a system event', (type, streamId) => {
    expect(isSystemEvent({ type, streamId })).toBe(true);
  });

  it('keeps Silta events, even with a $ later in the name', () => {
    expect(isSystemEvent({ type: 'ConsentGranted', streamId: 'consent-1' })).toBe(false);
    expect(isSystemEvent({ type: 'Paid$Fee', streamId: 'school-$1' })).toBe(false);
  });
});

describe('metadata', () => {
  it("stores correlation and causation under ESDB's $-names, with schema version 1 by default", () => {
    expect(toEsdbMetadata({ correlationId: 'corr-1', causationId: 'cause-1', actor: 'admin-7' })).toEqual({
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
      schemaVersion: 1,
      actor: 'admin-7',
    });
    expect(toEsdbMetadata(undefined)).toEqual({ schemaVersion: 1 });
    expect(toEsdbMetadata({ schemaVersion: 3 })).toEqual({ schemaVersion: 3 });
  });

  it('round-trips through storage unchanged apart from the default schema version', () => {
    const metadata = { correlationId: 'corr-1', causationId: 'cause-1', schemaVersion: 2, actor: 'admin-7' };
    expect(fromEsdbMetadata(JSON.parse(JSON.stringify(toEsdbMetadata(metadata))))).toEqual(metadata);
    expect(fromEsdbMetadata(toEsdbMetadata({ correlationId: 'c' }))).toEqual({ correlationId: 'c', schemaVersion: 1 });
  });

  it('reads plain correlationId/causationId written by other tools', () => {
    expect(fromEsdbMetadata({ correlationId: 'c', causationId: 'k' })).toEqual({
      correlationId: 'c',
      causationId: 'k',
      schemaVersion: 1,
    });
  });

  it('gives schema version 1 to events with no, binary or non-object metadata', () => {
    expect(fromEsdbMetadata(undefined)).toEqual({ schemaVersion: 1 });
    expect(fromEsdbMetadata(new Uint8Array([1, 2]))).toEqual({ schemaVersion: 1 });
    expect(fromEsdbMetadata('text')).toEqual({ schemaVersion: 1 });
    expect(fromEsdbMetadata([1, 2])).toEqual({ schemaVersion: 1 });
  });
});

describe('events', () => {
  it('writes a port event as a JSON event with its id, type, payload and mapped metadata', () => {
    const data = { studentId: 'st-1', nested: [1, null] };
    expect(toEsdbEvent({ id: ID_A, type: 'StudentEnrolled', data, metadata: { correlationId: 'c' } })).toEqual({
      id: ID_A,
      contentType: 'application/json',
      type: 'StudentEnrolled',
      data,
      metadata: { $correlationId: 'c', schemaVersion: 1 },
    });
  });

  it('stores a missing payload as null', () => {
    expect(toEsdbEvent({ id: ID_A, type: 'Empty', data: undefined }).data).toBeNull();
  });

  it('refuses ids ESDB cannot store', () => {
    expect(() => toEsdbEvent({ id: 'order-42', type: 'X', data: {} })).toThrow(RangeError);
  });

  it('reads an ESDB event into the port shape', () => {
    const created = new Date('2025-03-01T10:00:00.000Z');
    const esdbEvent = {
      streamId: 'student-1',
      id: ID_A,
      isJson: true,
      revision: 7n,
      type: 'StudentEnrolled',
      created,
      data: { studentId: 'st-1' },
      metadata: { $correlationId: 'c', $causationId: 'k', schemaVersion: 2 },
      position: { commit: 9_007_199_254_740_993n, prepare: 9_007_199_254_740_993n },
    } as EsdbRecordedEvent;
    expect(toRecordedEvent(esdbEvent)).toEqual({
      id: ID_A,
      streamId: 'student-1',
      revision: 7n,
      position: 9_007_199_254_740_993n,
      type: 'StudentEnrolled',
      data: { studentId: 'st-1' },
      metadata: { correlationId: 'c', causationId: 'k', schemaVersion: 2 },
      recordedAt: created,
    });
  });
});

describe('retries', () => {
  const recorded = (id: string, revision: bigint): RecordedEvent => ({
    id,
    streamId: 's',
    revision,
    position: 1000n + revision,
    type: 'T',
    data: {},
    metadata: { schemaVersion: 1 },
    recordedAt: new Date(0),
  });
  const newEvent = (id: string): NewEvent => ({ id, type: 'T', data: {} });
  const stream = [recorded(ID_A, 0n), recorded(ID_B, 1n), recorded(ID_C, 2n)];

  it('sees a new append when none of its ids are in the stream', () => {
    expect(classifyRetry(stream, [newEvent('11111111-1111-4111-8111-111111111111')])).toEqual({ kind: 'new' });
    expect(classifyRetry([], [newEvent(ID_A)])).toEqual({ kind: 'new' });
  });

  it('recognises a retry by all its ids at consecutive revisions, answering with the last', () => {
    expect(classifyRetry(stream, [newEvent(ID_B), newEvent(ID_C)])).toEqual({ kind: 'retry', last: stream[2] });
    expect(classifyRetry(stream, [newEvent(ID_A.toUpperCase())])).toEqual({ kind: 'retry', last: stream[0] });
  });

  it('calls a partial overlap a conflict, naming the reused ids', () => {
    const fresh = newEvent('11111111-1111-4111-8111-111111111111');
    expect(classifyRetry(stream, [newEvent(ID_A), fresh])).toEqual({ kind: 'conflict', ids: [ID_A] });
  });

  it('calls the same ids out of order or with gaps a conflict', () => {
    expect(classifyRetry(stream, [newEvent(ID_B), newEvent(ID_A)])).toMatchObject({ kind: 'conflict' });
    expect(classifyRetry(stream, [newEvent(ID_A), newEvent(ID_C)])).toMatchObject({ kind: 'conflict' });
  });
});

describe('errors', () => {
  it("turns the client's version conflict into the port's, with expected and actual revisions", () => {
    const esdbError = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 'student-1',
      expected: 0n,
      current: 3n,
    });
    const error = toStoreError(esdbError, { streamId: 'student-1', expected: 0n });
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: 'student-1', expected: 0n, actual: 3n, code: 'wrong_expected_version' });
  });

  it('keeps no_stream as the actual revision of a missing stream', () => {
    const esdbError = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 'student-1',
      expected: 5n,
      current: 'no_stream',
    });
    expect(toStoreError(esdbError, { streamId: 'student-1', expected: 5n })).toMatchObject({
      expected: 5n,
      actual: 'no_stream',
    });
  });

  it("falls back to the client's stream name and expectation without context", () => {
    const esdbError = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 'student-2',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(toStoreError(esdbError)).toMatchObject({ streamId: 'student-2', expected: 'any', actual: 'no_stream' });
  });

  it('knows a missing or deleted stream, which the port reads as empty, from other failures', () => {
    expect(isMissingStream(new EsdbStreamNotFoundError(undefined, 'student-1'))).toBe(true);
    expect(isMissingStream(StreamDeletedError.fromStreamName('student-2'))).toBe(true);
    expect(isMissingStream(new EsdbWrongExpectedVersionError(undefined, { streamName: 'student-2', expected: 'no_stream', current: 0n }))).toBe(false);
    expect(isMissingStream(new UnavailableError(undefined, '14 UNAVAILABLE: No connection established'))).toBe(false);
  });

  it('turns an unreachable or failing server into EventStoreUnavailableError, keeping the cause', () => {
    const unavailable = new UnavailableError(undefined, '14 UNAVAILABLE: No connection established');
    const error = toStoreError(unavailable);
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(error.message).toMatch(/No connection established/);
    expect((error as EventStoreUnavailableError).cause).toBe(unavailable);
    expect(toStoreError(new DeadlineExceededError())).toBeInstanceOf(EventStoreUnavailableError);
  });

  it('recognises a raw gRPC error the client did not convert', () => {
    const raw = Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), {
      code: 14,
      details: 'Connection dropped',
    });
    expect(toStoreError(raw)).toBeInstanceOf(EventStoreUnavailableError);
  });

  it('treats a gossip discovery failure as unavailability', () => {
    expect(toStoreError(new Error('Failed to discover after 10 attempts.'))).toBeInstanceOf(EventStoreUnavailableError);
  });

  it("passes the port's own errors and caller mistakes through unchanged", () => {
    const conflict = new IdempotencyConflictError('s', [ID_A]);
    expect(toStoreError(conflict)).toBe(conflict);
    const range = new RangeError('append needs at least one event');
    expect(toStoreError(range)).toBe(range);
    const invalid = new InvalidArgumentError('fromRevision value must be a non-negative integer');
    expect(toStoreError(invalid)).toBe(invalid);
  });

  it('wraps something thrown that is not an Error', () => {
    expect(toStoreError('socket hang up')).toBeInstanceOf(EventStoreUnavailableError);
  });
});
