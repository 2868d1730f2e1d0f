/**
 * Pure translations between the event store port and `@eventstore/db-client` 6.x, kept apart from
 * the adapter so they can be tested without a server.
 */
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  NO_STREAM,
  START,
  convertToCommandError,
  isCommandError,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type JSONType,
  type ReadPosition,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { classifyAppend, storeUnavailable, type RetryVerdict } from '../append-rules';
import {
  EventStoreError,
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  type EventMetadata,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../port';

export { firstRevisionAfter } from '../append-rules';

/** Maps the port's expected revision to the client's (`no_stream`, `any` or an exact revision). */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (expected < 0n) throw new RangeError(`expected revision must not be negative, got ${expected}`);
  return expected;
}

/** Maps the port's stream read options; a backwards read without a start begins at the end. */
export function toEsdbReadStreamOptions(options: ReadStreamOptions = {}): EsdbReadStreamOptions {
  const backwards = options.direction === 'backwards';
  return {
    direction: backwards ? BACKWARDS : FORWARDS,
    // The client defaults to START whatever the direction, which would read one event backwards.
    fromRevision: options.fromRevision ?? (backwards ? END : START),
    ...(options.maxCount !== undefined ? { maxCount: Math.max(0, Math.floor(options.maxCount)) } : {}),
  };
}

/**
 * Where to start reading or subscribing to `$all` for an exclusive checkpoint. Events written
 * through the gRPC API have commit position = prepare position = their own log position, so
 * `{commit: after, prepare: after}` names the checkpoint event itself. Reads from a position
 * include it and subscriptions start after it; callers drop it with `isAfterCheckpoint` so the
 * checkpoint stays exclusive whichever way the server treats it.
 */
export function checkpointStart(after: GlobalPosition | undefined): ReadPosition {
  return after === undefined ? START : { commit: after, prepare: after };
}

/** True if an event at `position` comes strictly after the checkpoint (or there is none). */
export function isAfterCheckpoint(position: GlobalPosition, after: GlobalPosition | undefined): boolean {
  return after === undefined || position > after;
}

/** ESDB's own events (`$metadata`, `$statsCollected`, projections' `$>` links…) and streams start with `$`. */
export function isSystemEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/**
 * The store-wide position of an event: its commit position. ESDB reports an unknown position as
 * -1 read as unsigned (2^64 - 1), which stream reads do before server 22.6.
 */
export function globalPositionOf(event: Pick<EsdbRecordedEvent, 'id' | 'streamId' | 'position'>): GlobalPosition {
  const commit = event.position?.commit;
  if (commit === undefined || commit < 0n || commit >= 2n ** 63n) {
    throw new Error(
      `EventStoreDB did not report the position of event ${event.id} in ${event.streamId}; ` +
        'the adapter needs EventStoreDB 22.6 or later',
    );
  }
  return commit;
}

/**
 * Silta's metadata as stored in ESDB. Correlation and causation ids use ESDB's `$correlationId`
 * and `$causationId` names so its system projections (`$by_correlation_id`) can follow them;
 * the schema version is always written, 1 unless the writer said otherwise.
 */
export function toEsdbMetadata(metadata: EventMetadata | undefined): Record<string, unknown> {
  const { correlationId, causationId, schemaVersion, ...rest } = metadata ?? {};
  return {
    ...rest,
    ...(correlationId !== undefined ? { $correlationId: correlationId } : {}),
    ...(causationId !== undefined ? { $causationId: causationId } : {}),
    schemaVersion: schemaVersion ?? 1,
  };
}

/** Reads stored metadata back into the port's names; tolerates events written by other tools. */
export function fromEsdbMetadata(stored: unknown): EventMetadata {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored) || stored instanceof Uint8Array) {
    return { schemaVersion: 1 };
  }
  const { $correlationId, $causationId, correlationId, causationId, schemaVersion, ...rest } = stored as Record<
    string,
    unknown
  >;
  const correlation = $correlationId ?? correlationId;
  const causation = $causationId ?? causationId;
  return {
    ...rest,
    ...(typeof correlation === 'string' ? { correlationId: correlation } : {}),
    ...(typeof causation === 'string' ? { causationId: causation } : {}),
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns a port event into the client's JSON event; ESDB only accepts UUIDs as event ids. */
export function toEsdbEvent(event: NewEvent): EventData {
  if (!UUID.test(event.id)) throw new RangeError(`EventStoreDB needs UUID event ids, got "${event.id}"`);
  return jsonEvent({
    id: event.id,
    type: event.type,
    // JSON.stringify turns a missing payload into nothing at all; store an explicit null instead.
    data: (event.data ?? null) as JSONType,
    metadata: toEsdbMetadata(event.metadata),
  });
}

/** Turns an event read from ESDB into the port's recorded event. */
export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: globalPositionOf(event),
    type: event.type,
    data: event.data,
    metadata: fromEsdbMetadata(event.metadata),
    recordedAt: event.created,
  };
}

/**
 * Compares an append with a window of events read from its stream, by the rule every adapter
 * applies (classifyAppend): ESDB stores UUIDs, so ids match whatever their case, and the window
 * holds only this stream, so the ids' stream need not be checked.
 */
export function classifyRetry(recorded: readonly RecordedEvent[], events: readonly NewEvent[]): RetryVerdict<RecordedEvent> {
  const byId = new Map(recorded.map((e) => [e.id.toLowerCase(), e]));
  return classifyAppend(
    events.map((e) => e.id),
    events.map((e) => byId.get(e.id.toLowerCase())),
  );
}

/** Context an error is translated in: the stream and expected revision of the call that failed. */
export interface ErrorContext {
  readonly streamId?: string;
  readonly expected?: ExpectedRevision;
}

/**
 * Whether the client refused a read because the stream has no events: the port reads such a
 * stream as empty. Silta never deletes streams; a deleted one has no events to read, like a
 * missing one.
 */
export function isMissingStream(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const converted = isCommandError(error) ? error : convertToCommandError(error);
  return (
    isCommandError(converted) &&
    (converted.type === ErrorType.STREAM_NOT_FOUND || converted.type === ErrorType.STREAM_DELETED || converted.type === ErrorType.NO_STREAM)
  );
}

/**
 * Translates what the client throws into the port's typed errors. Concurrency gets its own
 * error; a server or connection failure of any kind becomes
 * EventStoreUnavailableError so callers fail closed; caller mistakes (invalid arguments,
 * oversized appends) and the port's own errors pass through unchanged.
 */
export function toStoreError(error: unknown, context: ErrorContext = {}): Error {
  if (error instanceof EventStoreError) return error;
  if (!(error instanceof Error)) return unavailable(String(error), error);

  // Some client paths reject with the raw gRPC error rather than the client's typed one.
  const converted = isCommandError(error) ? error : convertToCommandError(error);
  if (!isCommandError(converted)) {
    return /failed to discover/i.test(error.message) ? unavailable(error.message, error) : error;
  }

  switch (converted.type) {
    case ErrorType.WRONG_EXPECTED_VERSION:
      return new WrongExpectedVersionError(
        context.streamId ?? converted.streamName,
        context.expected ?? fromEsdbExpectedRevision(converted.expectedVersion),
        converted.actualVersion,
      );
    case ErrorType.UNAVAILABLE:
    case ErrorType.DEADLINE_EXCEEDED:
    case ErrorType.TIMEOUT:
    case ErrorType.CANCELLED:
    case ErrorType.NOT_LEADER:
    case ErrorType.UNKNOWN:
    case ErrorType.ACCESS_DENIED:
      return unavailable(converted.message, error);
    default:
      return converted;
  }
}

function fromEsdbExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  return typeof expected === 'bigint' || expected === 'no_stream' ? expected : 'any';
}

function unavailable(message: string, cause: unknown): EventStoreUnavailableError {
  return storeUnavailable('EventStoreDB', cause, message);
}
