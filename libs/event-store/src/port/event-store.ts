/**
 * The event store port. Services depend on this file only; adapters (SQL through TypeORM,
 * EventStoreDB) implement it. Plain TypeScript: no framework, driver or client imports here.
 */

/**
 * A position in the store-wide log: strictly increasing in commit order, but sparse (on
 * EventStoreDB it is a byte offset), so never count events by subtracting positions.
 */
export type GlobalPosition = bigint;

/** Revision of a stream: 0 for its first event. */
export type StreamRevision = bigint;

/** Metadata every Silta event carries; adapters store it next to the payload. */
export interface EventMetadata {
  /** The HTTP request id of the request that led to the event. */
  readonly correlationId?: string;
  /** The id of the message or command that caused the event, when there is one. */
  readonly causationId?: string;
  /** The caller's `sub` (ids only, no other personal data). */
  readonly actor?: string;
  /** Version of the payload's shape, for upcasting on read. Defaults to 1. */
  readonly schemaVersion?: number;
  readonly [key: string]: unknown;
}

/** An event as a writer hands it to the store. `id` (a UUID) makes retries idempotent. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

/** An event as the store recorded it. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly streamId: string;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

/**
 * What the writer expects the stream to look like before the append:
 * `no_stream` (it must not exist), `any` (no check), or an exact revision of its last event.
 */
export type ExpectedRevision = 'no_stream' | 'any' | StreamRevision;

export interface AppendResult {
  /** Revision of the last event written (or already present, on an idempotent retry). */
  readonly nextExpectedRevision: StreamRevision;
  /** Global position of the last event written (or already present, on an idempotent retry). */
  readonly position: GlobalPosition;
  /**
   * True when every event was already stored (a retry with the same ids) and nothing was written,
   * so a caller learns whether its own events or earlier ones stand without reading them back.
   */
  readonly repeated: boolean;
}

/** A value of a projection row's column, as every SQL database can bind it. */
export type ProjectionValue = string | number | boolean | null;

/**
 * Rows of one read-model table, named by the table's own column names, to be inserted or, where a
 * row with the same `key` already exists, updated (an upsert). Columns a row leaves out are not
 * written.
 */
export interface ProjectionRows {
  readonly table: string;
  /** The columns of a unique key of the table (its primary key, usually). */
  readonly key: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, ProjectionValue>>>;
}

/**
 * The rows an append writes beside its events (appendWithProjection), made from the append's own
 * result, since a row usually records where its event stands in the log. Called once the events
 * are placed and before anything commits, and only for a fresh append: a repeat (`repeated`) writes
 * nothing, so the rows its first append wrote stay as they are.
 */
export type InlineProjection = (appended: AppendResult) => ProjectionRows;

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive start revision; defaults to the first (forwards) or last (backwards) event. */
  readonly fromRevision?: StreamRevision;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omit to read from the beginning. */
  readonly after?: GlobalPosition;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events strictly after it. Omit to start from the beginning. */
  readonly after?: GlobalPosition;
  /** Events fetched per read while catching up. */
  readonly batchSize?: number;
}

/**
 * A catch-up subscription: it replays everything after the checkpoint, then goes live.
 * Iterate it with `for await`; the iteration ends after `stop()`. If the store becomes
 * unreachable the iteration throws EventStoreUnavailableError: resubscribe from your checkpoint.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  stop(): Promise<void>;
}

export interface EventStore {
  /** Appends atomically; all events or none. Retrying with the same event ids writes nothing new. */
  appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends as appendToStream does and writes the rows of `projection` in the same transaction:
   * the events and their rows commit together or not at all (a projection that throws, or rows
   * that fail to write, fail the append and leave nothing written). The rows go to the store's own
   * database, so use it only when the table is there. Absent where a store cannot write rows with
   * its events (EventStoreDB): append, then write the rows separately, and rebuild any row whose
   * write failed from the log.
   */
  appendWithProjection?(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, projection: InlineProjection): Promise<AppendResult>;
  /** Reads one stream; a stream with no events (never written) reads as empty, so callers need not catch. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Reads the store-wide log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription to the store-wide log, from an exclusive checkpoint. */
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Releases connections. */
  close(): Promise<void>;
}
