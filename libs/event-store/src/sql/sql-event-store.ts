import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import {
  EventStoreError,
  EventStoreUnavailableError,
  IdempotencyConflictError,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import { PollingSubscription } from '../subscription';
import { EVENTS_TABLE, postgresDialect, sqliteDialect, type SqlDialect } from './sql-dialect';

export interface SqlEventStoreOptions {
  /** How often a caught-up subscription polls for events appended by other processes. */
  readonly pollIntervalMs?: number;
}

interface EventRow {
  position: string | number;
  stream_id: string;
  revision: string | number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string | Date;
}

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

/** At most this many appends share one group-commit transaction (PostgreSQL). */
const MAX_APPENDS_PER_COMMIT = 200;
/** Rows per INSERT statement (7 bind parameters each, well under PostgreSQL's 65,535). */
const ROWS_PER_INSERT = 500;

/** An append waiting for the next group commit. */
interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/**
 * The event store on PostgreSQL or SQLite, through a TypeORM DataSource. One table holds the log;
 * a unique (stream_id, revision) pair enforces optimistic concurrency and a unique event_id makes
 * retries idempotent.
 */
export class SqlEventStore implements EventStore {
  private readonly dialect: SqlDialect;
  private readonly subscriptions = new Set<PollingSubscription>();
  /** SQLite has one connection: appends and reads are queued so no read sees a half-done append. */
  private queue: Promise<unknown> = Promise.resolve();
  /** PostgreSQL: appends waiting for the next group commit, and whether one is under way. */
  private pending: PendingAppend[] = [];
  private committing = false;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly options: SqlEventStoreOptions,
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? postgresDialect : sqliteDialect;
  }

  /** Connects, creates the log table if needed, and returns a ready store. */
  static async connect(options: DataSourceOptions, storeOptions: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    if (options.type !== 'postgres' && options.type !== 'better-sqlite3') {
      throw new Error(`SqlEventStore supports postgres and better-sqlite3, not ${options.type}`);
    }
    const dataSource = new DataSource(options);
    await dataSource.initialize();
    const store = new SqlEventStore(dataSource, storeOptions);
    for (const ddl of store.dialect.schema) await dataSource.query(ddl);
    return store;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const distinctIds = new Set(events.map((e) => e.id));
    if (distinctIds.size !== events.length) throw new RangeError('event ids in one append must be distinct');
    if (!this.dialect.appendLock) return this.exclusive(() => this.withTransaction((runner) => this.appendIn(runner, streamId, events, expected)));
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events, expected, resolve, reject });
      void this.drainAppends();
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamId];
    let where = `stream_id = ${this.p(1)}`;
    if (options.fromRevision !== undefined) {
      params.push(this.dialect.bigintParam(options.fromRevision));
      where += ` AND revision ${backwards ? '<=' : '>='} ${this.p(2)}`;
    }
    const limit = options.maxCount !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.maxCount))}` : '';
    const rows = await this.exclusive(() =>
      this.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE ${where} ORDER BY revision ${backwards ? 'DESC' : 'ASC'}${limit}`,
        params,
      ),
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const params: unknown[] = [];
    let where = '';
    if (options.after !== undefined) {
      params.push(this.dialect.bigintParam(options.after));
      where = ` WHERE position > ${this.p(1)}`;
    }
    const limit = options.maxCount !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.maxCount))}` : '';
    const rows = await this.exclusive(() =>
      this.query<EventRow>(`SELECT ${COLUMNS} FROM ${EVENTS_TABLE}${where} ORDER BY position ASC${limit}`, params),
    );
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription: PollingSubscription = new PollingSubscription(
      (after, maxCount) => this.readAll({ after, maxCount }),
      { after: options.after, batchSize: options.batchSize ?? 500, pollIntervalMs: this.options.pollIntervalMs ?? 100 },
    );
    this.subscriptions.add(subscription);
    const stop = subscription.stop.bind(subscription);
    subscription.stop = async () => {
      this.subscriptions.delete(subscription);
      await stop();
    };
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.queue.catch(() => undefined);
    while (this.committing || this.pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async appendIn(
    runner: QueryRunner,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const retried = await this.alreadyWritten(runner, streamId, events);
    if (retried) return retried;

    const [head] = await runner.query(
      `SELECT MAX(revision) AS revision FROM ${EVENTS_TABLE} WHERE stream_id = ${this.p(1)}`,
      [streamId],
    );
    const current: bigint | undefined = head?.revision == null ? undefined : BigInt(head.revision);
    checkExpected(streamId, expected, current);

    const now = new Date().toISOString();
    let revision = current === undefined ? 0n : current + 1n;
    let position: GlobalPosition = 0n;
    for (const event of events) {
      const [row] = await runner.query(
        `INSERT INTO ${EVENTS_TABLE} (stream_id, revision, event_id, type, data, metadata, recorded_at)
         VALUES (${[1, 2, 3, 4, 5, 6, 7].map((n) => this.p(n)).join(', ')}) RETURNING position`,
        [
          streamId,
          this.dialect.bigintParam(revision),
          event.id,
          event.type,
          JSON.stringify(event.data ?? null),
          JSON.stringify(withDefaults(event.metadata)),
          now,
        ],
      );
      position = BigInt(row.position);
      revision += 1n;
    }
    return { nextExpectedRevision: revision - 1n, position, repeated: false };
  }

  /**
   * Group commit (PostgreSQL). The append lock serialises every writer of the log, so holding it
   * for one append per transaction bounds the log at one lock-and-commit per append. Instead, the
   * appends that arrive while a commit is under way wait for the next one, which takes the lock
   * once, checks and inserts them all, and commits once. Each caller's promise settles only after
   * that COMMIT: nothing is reported appended before it is durable. A typed error (expected
   * revision, idempotency) fails only its own append; a database error fails the whole batch.
   */
  private async drainAppends(): Promise<void> {
    if (this.committing) return;
    this.committing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_APPENDS_PER_COMMIT);
        let outcomes: Array<AppendResult | Error>;
        try {
          outcomes = await this.withLockedTransaction((runner) => this.appendBatchIn(runner, batch));
        } catch (error) {
          const failure = mapError(error);
          batch.forEach((append) => append.reject(failure));
          continue;
        }
        batch.forEach((append, i) => {
          const outcome = outcomes[i]!;
          if (outcome instanceof Error) append.reject(outcome);
          else append.resolve(outcome);
        });
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * A PostgreSQL transaction holding the append lock, in as few round trips as the driver allows:
   * BEGIN and the lock travel as one simple-protocol message, then `work`, then COMMIT. Everything
   * waiting for the next group commit waits for these round trips, so each one counts.
   */
  private async withLockedTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.query(`BEGIN; ${this.dialect.appendLock}`);
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
      throw unavailable(error);
    }
    try {
      const result = await work(runner);
      await runner.query('COMMIT');
      this.subscriptions.forEach((s) => s.notify());
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw mapError(error);
    } finally {
      await runner.release();
    }
  }

  /**
   * Decides every append of a batch in order against the log as it stands plus the earlier appends
   * of the same batch (the same rules as appendIn), then inserts all accepted events. Two
   * statements whatever the batch size: look up the ids and the stream heads together, insert.
   */
  private async appendBatchIn(runner: QueryRunner, batch: readonly PendingAppend[]): Promise<Array<AppendResult | Error>> {
    const ids = [...new Set(batch.flatMap((a) => a.events.map((e) => e.id)))];
    const streams = [...new Set(batch.map((a) => a.streamId))];
    type Placed = { stream_id: string; revision: bigint; position?: bigint };
    const placed = new Map<string, Placed>();
    const heads = new Map<string, bigint>();
    // Rows with an event_id are events already written (a retry); rows without are stream heads.
    for (const row of (await runner.query(
      `SELECT event_id, stream_id, revision, position FROM ${EVENTS_TABLE} WHERE event_id = ANY($1)
       UNION ALL
       SELECT NULL, stream_id, MAX(revision), NULL FROM ${EVENTS_TABLE} WHERE stream_id = ANY($2) GROUP BY stream_id`,
      [ids, streams],
    )) as Array<{ event_id: string | null; stream_id: string; revision: string; position: string | null }>) {
      if (row.event_id === null) heads.set(row.stream_id, BigInt(row.revision));
      else placed.set(row.event_id, { stream_id: row.stream_id, revision: BigInt(row.revision), position: BigInt(row.position!) });
    }

    const now = new Date().toISOString();
    const rows: unknown[][] = [];
    /** Per append: an error, or the event id whose position (once inserted) and revision answer it. */
    const answers: Array<Error | { lastEventId: string; repeated: boolean }> = batch.map(({ streamId, events, expected }) => {
      const found = events.map((e) => placed.get(e.id));
      if (found.some((f) => f !== undefined)) {
        const first = found[0];
        const clean = first !== undefined && found.every((f, i) => f !== undefined && f.stream_id === streamId && f.revision === first.revision + BigInt(i));
        if (!clean) return new IdempotencyConflictError(streamId, events.filter((_, i) => found[i]).map((e) => e.id));
        return { lastEventId: events[events.length - 1]!.id, repeated: true };
      }
      const current = heads.get(streamId);
      try {
        checkExpected(streamId, expected, current);
      } catch (error) {
        return error as Error;
      }
      let revision = current === undefined ? 0n : current + 1n;
      for (const event of events) {
        placed.set(event.id, { stream_id: streamId, revision });
        rows.push([streamId, this.dialect.bigintParam(revision), event.id, event.type, JSON.stringify(event.data ?? null), JSON.stringify(withDefaults(event.metadata)), now]);
        revision += 1n;
      }
      heads.set(streamId, revision - 1n);
      return { lastEventId: events[events.length - 1]!.id, repeated: false };
    });

    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const values = chunk.map((_, r) => `(${[1, 2, 3, 4, 5, 6, 7].map((n) => this.p(r * 7 + n)).join(', ')})`).join(', ');
      const inserted: Array<{ event_id: string; position: string }> = await runner.query(
        `INSERT INTO ${EVENTS_TABLE} (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES ${values} RETURNING event_id, position`,
        chunk.flat(),
      );
      for (const row of inserted) placed.get(row.event_id)!.position = BigInt(row.position);
    }
    return answers.map((answer) => {
      if (answer instanceof Error) return answer;
      const last = placed.get(answer.lastEventId)!;
      return { nextExpectedRevision: last.revision, position: last.position!, repeated: answer.repeated };
    });
  }

  /**
   * A retry of an earlier append carries the same event ids. If all of them are already in this
   * stream, in the same order and contiguous, the retry succeeds with the original result and
   * writes nothing; any other overlap is a conflict.
   */
  private async alreadyWritten(runner: QueryRunner, streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const ids = events.map((e) => e.id);
    const rows: Array<Pick<EventRow, 'event_id' | 'stream_id' | 'revision' | 'position'>> = await runner.query(
      `SELECT event_id, stream_id, revision, position FROM ${EVENTS_TABLE}
       WHERE event_id IN (${ids.map((_, i) => this.p(i + 1)).join(', ')})`,
      ids,
    );
    if (rows.length === 0) return undefined;
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    const found = ids.map((id) => byId.get(id));
    const first = found[0];
    const clean =
      first !== undefined &&
      found.every(
        (row, i) => row !== undefined && row.stream_id === streamId && BigInt(row.revision) === BigInt(first.revision) + BigInt(i),
      );
    if (!clean) throw new IdempotencyConflictError(streamId, rows.map((r) => r.event_id));
    const last = found[found.length - 1]!;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position), repeated: true };
  }

  private async withTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    let runner: QueryRunner;
    try {
      runner = this.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
    } catch (error) {
      throw unavailable(error);
    }
    try {
      const result = await work(runner);
      await runner.commitTransaction();
      this.subscriptions.forEach((s) => s.notify());
      return result;
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw mapError(error);
    } finally {
      await runner.release();
    }
  }

  private async query<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return await this.dataSource.query(sql, params);
    } catch (error) {
      throw mapError(error);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect.name !== 'sqlite') return work();
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private p(n: number): string {
    return this.dialect.placeholder(n);
  }
}

function checkExpected(streamId: string, expected: ExpectedRevision, current: bigint | undefined): void {
  if (expected === 'any') return;
  if (expected === 'no_stream') {
    if (current !== undefined) throw new WrongExpectedVersionError(streamId, expected, current);
    return;
  }
  if (current !== expected) throw new WrongExpectedVersionError(streamId, expected, current ?? 'no_stream');
}

function withDefaults(metadata: EventMetadata | undefined): EventMetadata {
  return { schemaVersion: 1, ...metadata };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
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
 * The store's typed errors pass through; anything else from the driver means the database failed.
 * (Unique violations cannot come from Silta's own writers: appends are serialised, see SqlDialect.)
 */
function mapError(error: unknown): Error {
  if (error instanceof EventStoreError || error instanceof RangeError) return error;
  return unavailable(error);
}

function unavailable(error: unknown): EventStoreUnavailableError {
  const message = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`event store failed: ${message}`, { cause: error });
}
