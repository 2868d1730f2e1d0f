/**
 * The audit log by time, for `replay --from/--to`: disclosure's checkpointer keeps the log's Merkle
 * tree in the service's database (libs/audit-trail, tree.entities.ts), one row per leaf with the
 * event's own time (`event_time`, indexed) and its global position. On PostgreSQL that table and
 * the event store's `silta_events` are in one database; a SQLite store keeps it in `read.db` beside
 * `events.db`. A period is then read through that index joined to the store's table, in leaf (log)
 * order, in keyset pages, instead of parsing the whole log.
 *
 * The index only narrows: replay applies its own time rule to every event it is given, so a row is
 * selected exactly as the whole-log scan selects it, provided the index hands it over (see
 * periodCondition for which times it finds). Events after the tree's head are not indexed yet; they
 * are read from the store after the head's position. Where the tables or their columns are missing
 * (EventStoreDB, a SQLite file without read.db, a database from before the index) or leaves from
 * before the index have no time, there is no index and replay scans.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { EVENTS_TABLE, SELECTED_COLUMNS, postgresDialect, sqliteDialect, toRecordedEvent, type EventRow, type SqlDialect } from '@silta/event-store/sql';
import { readAuditEvents } from '../audit-log';
import type { EventStoreLocation as StoreSource } from '@silta/platform/persistence';

/** A half-open period by the event's own time; either end may be open. */
export interface Period {
  readonly from?: Date;
  readonly to?: Date;
}

/** The tree's head: leaves [0, size) are indexed, events after `afterPosition` are not yet. */
interface TreeHead {
  readonly size: number;
  readonly afterPosition: bigint | undefined;
}

/** The few statements the index needs, on PostgreSQL or on SQLite with read.db attached. */
interface IndexDatabase {
  readonly dialect: SqlDialect;
  query<T>(sql: string, params: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The columns of audit_tree_leaves the index is read through (added to the tree in issue 14). */
const INDEX_COLUMNS = ['leaf_index', 'event_id', 'event_time', 'position'];

/** The checkpointer's one head row (its HEAD). */
const HEAD_ID = 'audit';
const DAY_MS = 86_400_000;

/** A leaf's row joined to its event; the event's columns are null when the store has no such event. */
type IndexedRow = Partial<EventRow> & { readonly leaf_index: number | string; readonly leaf_event_id: string };

export class TimeIndex {
  private constructor(
    private readonly db: IndexDatabase,
    /** Leaves in the index when it was opened; the tree may grow while replay reads. */
    readonly head: TreeHead,
  ) {}

  /**
   * The index of the store at `source`, or why that database has none to use. The caller closes
   * the index.
   */
  static async open(source: StoreSource): Promise<TimeIndex | { readonly missing: string }> {
    const opened = await indexDatabase(source);
    if ('missing' in opened) return opened;
    const db = opened;
    try {
      const missing = await whyUnusable(db);
      if (missing === undefined) return new TimeIndex(db, await readHead(db));
      await db.close();
      return { missing };
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /**
   * The audit events that may fall in `period`, in log order: the indexed leaves whose event time
   * is in it, then every audit event after the tree's head (unfiltered: the caller filters them
   * as it filters a scan).
   */
  async *eventsIn(store: EventStore, period: Period, pageSize: number): AsyncGenerator<RecordedEvent> {
    yield* this.indexedEvents(period, pageSize);
    yield* readAuditEvents(store, { pageSize, after: this.head.afterPosition });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * Keyset pages by leaf index between the period's first and last leaf, each leaf checked against
   * the event it names. Pages walk the leaves in log order, so bounding them keeps a page from
   * walking the rest of the log looking for leaves that are not there.
   */
  private async *indexedEvents(period: Period, pageSize: number): AsyncGenerator<RecordedEvent> {
    const span = await this.span(period);
    if (!span) return;
    const read = (after: number) => {
      const page = this.db.query<IndexedRow>(...this.pageQuery(period, after, span.last, pageSize));
      page.catch(() => undefined); // a caller that stops early leaves the read-ahead unawaited
      return page;
    };
    let next: Promise<IndexedRow[]> | undefined = read(span.first - 1);
    while (next) {
      const page: IndexedRow[] = await next;
      // Read ahead, as readAuditEvents does: the database fetches the next page while this one is replayed.
      next = page.length < pageSize ? undefined : read(Number(page[page.length - 1]!.leaf_index));
      for (const row of page) yield eventOf(row);
    }
  }

  /** The first and last indexed leaf in the period, found through the event_time index alone. */
  private async span(period: Period): Promise<{ first: number; last: number } | undefined> {
    const params: unknown[] = [this.head.size];
    const at = (value: unknown) => this.db.dialect.placeholder(params.push(value));
    // `+ 0` keeps PostgreSQL from answering MIN and MAX by walking the leaf_index key from either end.
    const sql =
      `SELECT MIN(l.leaf_index + 0) AS first, MAX(l.leaf_index + 0) AS last FROM audit_tree_leaves l ` +
      `WHERE l.leaf_index < ${this.db.dialect.placeholder(1)} AND ${periodCondition(period, at)}`;
    const [row] = await this.db.query<{ first: number | string | null; last: number | string | null }>(sql, params);
    return row?.first == null || row.last == null ? undefined : { first: Number(row.first), last: Number(row.last) };
  }

  private pageQuery(period: Period, afterLeaf: number, lastLeaf: number, pageSize: number): [string, unknown[]] {
    const params: unknown[] = [afterLeaf, lastLeaf];
    const at = (value: unknown) => this.db.dialect.placeholder(params.push(value));
    const inPeriod = periodCondition(period, at);
    const columns = SELECTED_COLUMNS.split(', ').map((column) => `e.${column}`).join(', ');
    const sql =
      `SELECT l.leaf_index, l.event_id AS leaf_event_id, ${columns} FROM audit_tree_leaves l ` +
      `LEFT JOIN ${EVENTS_TABLE} e ON e.position = CAST(l.position AS BIGINT) ` +
      `WHERE l.leaf_index > ${this.db.dialect.placeholder(1)} AND l.leaf_index <= ${this.db.dialect.placeholder(2)} AND ${inPeriod} ` +
      `ORDER BY l.leaf_index LIMIT ${at(pageSize)}`;
    return [sql, params];
  }
}

/**
 * Which leaves may fall in the period, as SQL over `l.event_time`, which holds each event's time as
 * the event wrote it. A time as Date.toISOString writes it, on a day every month has and an hour
 * before 24, sorts as text as it does as a time: those leaves are taken by the period's own text
 * range. Any other text (an offset instead of Z, no milliseconds, a 30 February, which JavaScript
 * reads as 2 March) can sort up to a day after its instant or four days before it, so those leaves
 * are taken from a range four days wider before and one day wider after, and replay's own rule
 * decides. Times not written as ISO 8601 dates (YYYY-MM-DD first) are not found through the index;
 * the services write every time with toISOString.
 */
function periodCondition(period: Period, at: (value: unknown) => string): string {
  const ordered = `(l.event_time LIKE '____-__-__T__:__:__.___Z' AND substr(l.event_time, 9, 2) <= '28' AND substr(l.event_time, 12, 2) <= '23')`;
  const range = (from: Date | undefined, to: Date | undefined) =>
    [from && `l.event_time >= ${at(from.toISOString())}`, to && `l.event_time < ${at(to.toISOString())}`].filter(Boolean).join(' AND ');
  const shifted = (date: Date | undefined, days: number) => date && new Date(date.getTime() + days * DAY_MS);
  const exact = range(period.from, period.to);
  const widened = range(shifted(period.from, -4), shifted(period.to, 1));
  return `((${ordered} AND ${exact}) OR (NOT ${ordered} AND ${widened}))`;
}

/**
 * The event a leaf names. A leaf whose position holds no event or another event means the index
 * was built from another log (or the log was altered): replay stops rather than miss events.
 */
function eventOf(row: IndexedRow): RecordedEvent {
  if (row.event_id !== row.leaf_event_id) {
    const found = row.event_id == null ? 'no event' : `event ${row.event_id}`;
    throw new Error(
      `the audit tree's time index names event ${row.leaf_event_id} for leaf ${row.leaf_index} but the store has ${found} at its position; ` +
        'run silta-audit verify, and rebuild the index (drop the audit_tree_* tables; the service rebuilds them)',
    );
  }
  return toRecordedEvent(row as EventRow);
}

/** The database holding the tree beside the store, or why there is none. */
async function indexDatabase(source: StoreSource): Promise<IndexDatabase | { readonly missing: string }> {
  if (source.kind === 'postgres') return postgresIndex(source.url);
  if (source.kind === 'esdb') return { missing: 'an EventStoreDB store has no audit tree beside it' };
  const readModel = join(dirname(source.file), 'read.db');
  return existsSync(readModel) ? sqliteIndex(source.file, readModel) : { missing: `no read.db beside ${source.file}` };
}

async function postgresIndex(url: string): Promise<IndexDatabase> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    dialect: postgresDialect,
    query: async <T>(sql: string, params: readonly unknown[]) => (await client.query({ text: sql, values: [...params] })).rows as T[],
    close: () => client.end(),
  };
}

/** The store's file with the service's read.db attached; table names resolve in either. */
async function sqliteIndex(eventsFile: string, readModel: string): Promise<IndexDatabase> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(eventsFile, { fileMustExist: true });
  db.prepare('ATTACH DATABASE ? AS tree').run(readModel);
  return {
    dialect: sqliteDialect,
    query: async <T>(sql: string, params: readonly unknown[]) => db.prepare(sql).all(...params) as T[],
    close: async () => void db.close(),
  };
}

/** Why the tree in `db` cannot serve as the index, or undefined when it can. */
async function whyUnusable(db: IndexDatabase): Promise<string | undefined> {
  const sql =
    db.dialect.name === 'postgres'
      ? `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_tree_leaves'`
      : `SELECT name FROM pragma_table_info('audit_tree_leaves')`;
  const present = new Set((await db.query<{ name: string }>(sql, [])).map((row) => row.name));
  if (!INDEX_COLUMNS.every((column) => present.has(column))) return 'the database has no audit tree with event times (audit_tree_leaves.event_time)';
  const untimed = await db.query(`SELECT leaf_index FROM audit_tree_leaves WHERE event_time IS NULL OR position IS NULL LIMIT 1`, []);
  return untimed.length > 0 ? 'leaves added before the index have no event time' : undefined;
}

/** The head row; no row means the checkpointer has not read the log yet, so nothing is indexed. */
async function readHead(db: IndexDatabase): Promise<TreeHead> {
  const [head] = await db.query<{ size: number | string; after_position: string | null }>(
    `SELECT size, after_position FROM audit_tree_head WHERE id = ${db.dialect.placeholder(1)}`,
    [HEAD_ID],
  );
  if (!head) return { size: 0, afterPosition: undefined };
  return { size: Number(head.size), afterPosition: head.after_position === null ? undefined : BigInt(head.after_position) };
}
