/**
 * The few places where PostgreSQL and SQLite differ for the event log. Everything else in the
 * SQL adapter is shared, so both databases pass the same contract suite.
 */
export interface SqlDialect {
  readonly name: 'postgres' | 'sqlite';
  /** DDL that creates the log table and its indexes if missing. */
  readonly schema: readonly string[];
  /** The n-th (1-based) bind placeholder. */
  placeholder(n: number): string;
  /** A bigint as the driver wants to bind it. */
  bigintParam(value: bigint): string | number;
  /**
   * Statement run first inside every append transaction. On PostgreSQL it takes a transaction-scoped
   * advisory lock, so positions are assigned and committed in one order: a reader that has seen
   * position N can never later see a smaller one commit (the classic out-of-order-commit trap).
   */
  readonly appendLock: string | undefined;
}

const TABLE = 'silta_events';

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  schema: [
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
       position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       stream_id text NOT NULL,
       revision bigint NOT NULL,
       event_id text NOT NULL UNIQUE,
       type text NOT NULL,
       data text NOT NULL,
       metadata text NOT NULL,
       recorded_at timestamptz NOT NULL,
       UNIQUE (stream_id, revision)
     )`,
  ],
  placeholder: (n) => `$${n}`,
  bigintParam: (value) => value.toString(),
  // An arbitrary fixed key that means "the Silta event log" in this database.
  appendLock: 'SELECT pg_advisory_xact_lock(333178)',
};

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  schema: [
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
       position INTEGER PRIMARY KEY AUTOINCREMENT,
       stream_id TEXT NOT NULL,
       revision INTEGER NOT NULL,
       event_id TEXT NOT NULL UNIQUE,
       type TEXT NOT NULL,
       data TEXT NOT NULL,
       metadata TEXT NOT NULL,
       recorded_at TEXT NOT NULL,
       UNIQUE (stream_id, revision)
     )`,
  ],
  placeholder: () => '?',
  bigintParam: (value) => {
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`position ${value} exceeds SQLite's safe range`);
    return Number(value);
  },
  // SQLite has one writer; the adapter serialises its own access (see SqlEventStore).
  appendLock: undefined,
};

export const EVENTS_TABLE = TABLE;
