import type { ProjectionValue } from '../port';

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
  /** A projection row's value as the driver wants to bind it. */
  projectionParam(value: ProjectionValue): string | number | boolean | null;
  /**
   * Statement run first inside every append transaction. On PostgreSQL it takes a transaction-scoped
   * advisory lock, so positions are assigned and committed in one order: a reader that has seen
   * position N can never later see a smaller one commit (the classic out-of-order-commit trap).
   */
  readonly appendLock: string | undefined;
}

const TABLE = 'silta_events';
/** The channel the log table's trigger notifies when an append commits (PostgreSQL). */
export const APPEND_CHANNEL = 'silta_events_appended';

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
    // Every append statement notifies, inside the appending transaction, so listeners in other
    // processes hear of it only once it commits (pg-append-listener.ts). One DO block under a lock,
    // so stores connecting at once do not race on creating the function and trigger.
    `DO $do$ BEGIN
       PERFORM pg_advisory_xact_lock(333179);
       CREATE OR REPLACE FUNCTION ${TABLE}_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
         BEGIN PERFORM pg_notify('${APPEND_CHANNEL}', ''); RETURN NULL; END
       $fn$;
       IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${TABLE}_appended' AND tgrelid = '${TABLE}'::regclass) THEN
         CREATE TRIGGER ${TABLE}_appended AFTER INSERT ON ${TABLE} FOR EACH STATEMENT EXECUTE FUNCTION ${TABLE}_notify();
       END IF;
     END $do$`,
  ],
  placeholder: (n) => `$${n}`,
  bigintParam: (value) => value.toString(),
  projectionParam: (value) => value,
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
  // better-sqlite3 binds no booleans; SQLite keeps them as 1 and 0, as TypeORM writes them.
  projectionParam: (value) => (typeof value === 'boolean' ? Number(value) : value),
  // SQLite has one writer; the adapter serialises its own access (see SqlEventStore).
  appendLock: undefined,
};

export const EVENTS_TABLE = TABLE;
