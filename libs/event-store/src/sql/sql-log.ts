/**
 * The log table as the SQL adapter's modules share it: its rows, how an event becomes one and back,
 * and what a driver error means. Reads (sql-reads.ts) and both append paths (single-append.ts,
 * group-commit.ts) use these, so a row is written and read one way.
 */
import { storeUnavailable } from '../append-rules';
import { EventStoreError, type EventMetadata, type ExpectedRevision, type InlineProjection, type NewEvent, type RecordedEvent, type StreamRevision } from '../port';
import type { SqlDialect } from './sql-dialect';

/** One call to appendToStream, checked (at least one event, distinct ids). */
export interface Append {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  /** Rows to write in the append's transaction when it is fresh (appendWithProjection). */
  readonly projection?: InlineProjection;
}

/** A row of the log table as the drivers return it. */
export interface EventRow {
  position: string | number;
  stream_id: string;
  revision: string | number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string | Date;
}

export const SELECTED_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';
/** The columns an append writes, in the order of `rowValues`; the database assigns the position. */
export const INSERTED_COLUMNS = '(stream_id, revision, event_id, type, data, metadata, recorded_at)';
const VALUES_PER_ROW = 7;

/** The bind values of one event's row, in INSERTED_COLUMNS order. */
export function rowValues(dialect: SqlDialect, streamId: string, revision: StreamRevision, event: NewEvent, recordedAt: string): unknown[] {
  return [
    streamId,
    dialect.bigintParam(revision),
    event.id,
    event.type,
    JSON.stringify(event.data ?? null),
    JSON.stringify(withDefaults(event.metadata)),
    recordedAt,
  ];
}

/** `(p1, …, p7)` for the `row`-th row (0-based) of a multi-row INSERT. */
export function rowPlaceholders(dialect: SqlDialect, row: number): string {
  return `(${Array.from({ length: VALUES_PER_ROW }, (_, i) => dialect.placeholder(row * VALUES_PER_ROW + i + 1)).join(', ')})`;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

/**
 * The store's typed errors and caller mistakes (RangeError) pass through; anything else from the
 * driver means the database failed. (Unique violations cannot come from Silta's own writers:
 * appends are serialised, see SqlDialect.)
 */
export function toStoreError(error: unknown): Error {
  if (error instanceof EventStoreError || error instanceof RangeError) return error;
  return storeUnavailable('event store', error);
}

function withDefaults(metadata: EventMetadata | undefined): EventMetadata {
  return { schemaVersion: 1, ...metadata };
}
