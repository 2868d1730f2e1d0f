import type { ExpectedRevision, StreamRevision } from './event-store';

/** Base class of the store's typed errors; `code` is stable and safe to map at the edge. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'wrong_expected_version';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * A retried append whose event ids only partly match what was written before (or, on the SQL
 * adapter, match events of another stream): it is neither a clean retry nor a new append.
 */
export class IdempotencyConflictError extends EventStoreError {
  readonly code = 'idempotency_conflict';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${streamId}: event ids ${eventIds.join(', ')} were already written differently`);
    this.name = 'IdempotencyConflictError';
  }
}

/** The store could not be reached or failed; callers must fail closed. */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'event_store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
