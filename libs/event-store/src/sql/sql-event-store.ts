import { DataSource, type DataSourceOptions } from 'typeorm';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  InlineProjection,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../port';
import { PollingSubscription } from '../subscription';
import { GroupCommit } from './group-commit';
import { PgAppendListener } from './pg-append-listener';
import { appendAlone } from './single-append';
import { postgresDialect, sqliteDialect, type SqlDialect } from './sql-dialect';
import { toRecordedEvent, toStoreError, type Append, type EventRow } from './sql-log';
import { allQuery, streamQuery, type SqlQuery } from './sql-reads';

export interface SqlEventStoreOptions {
  /** How often a caught-up subscription polls: the fallback for a missed wake-up (PostgreSQL's listener down). */
  readonly pollIntervalMs?: number;
}

/**
 * The event store on PostgreSQL or SQLite, through a TypeORM DataSource. One table holds the log;
 * a unique (stream_id, revision) pair enforces optimistic concurrency and a unique event_id makes
 * retries idempotent. Reads are single SELECTs (sql-reads.ts); appends share group commits on
 * PostgreSQL (group-commit.ts) and run one per transaction on SQLite (single-append.ts); both
 * decide by the rules in append-rules.ts.
 */
export class SqlEventStore implements EventStore {
  private readonly dialect: SqlDialect;
  private readonly subscriptions = new Set<PollingSubscription>();
  /** SQLite has one connection: appends and reads are queued so no read sees a half-done append. */
  private queue: Promise<unknown> = Promise.resolve();
  /** PostgreSQL's appends, grouped; undefined where appends run one at a time (SQLite). */
  private readonly groupCommit: GroupCommit | undefined;
  /** Wakes subscriptions on appends by other processes (PostgreSQL); started with the first subscription. */
  private appendListener: PgAppendListener | undefined;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly options: SqlEventStoreOptions,
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? postgresDialect : sqliteDialect;
    const { appendLock } = this.dialect;
    this.groupCommit = appendLock ? new GroupCommit(dataSource, { ...this.dialect, appendLock }, () => this.notifySubscriptions()) : undefined;
  }

  /** Connects, creates the log table if needed, and returns a ready store. */
  /** The connection pool's use (PostgreSQL), or undefined for SQLite (one connection, queued). */
  poolUsage(): PoolUsage | undefined {
    return poolUsageOf(this.dataSource);
  }

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
    return this.append({ streamId, events, expected });
  }

  /** The rows go to this store's database, in the append's transaction (and its group commit, on PostgreSQL). */
  async appendWithProjection(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, projection: InlineProjection): Promise<AppendResult> {
    return this.append({ streamId, events, expected, projection });
  }

  private async append(append: Append): Promise<AppendResult> {
    const { events } = append;
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const distinctIds = new Set(events.map((e) => e.id));
    if (distinctIds.size !== events.length) throw new RangeError('event ids in one append must be distinct');
    if (this.groupCommit) return this.groupCommit.append(append);
    return this.exclusive(() => appendAlone(this.dataSource, this.dialect, append, () => this.notifySubscriptions()));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.read(streamQuery(this.dialect, streamId, options));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.read(allQuery(this.dialect, options));
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription: PollingSubscription = new PollingSubscription(
      (after, maxCount) => this.readAll({ after, maxCount }),
      { after: options.after, batchSize: options.batchSize ?? 500, pollIntervalMs: this.options.pollIntervalMs ?? 100 },
    );
    this.subscriptions.add(subscription);
    if (this.dataSource.options.type === 'postgres') this.appendListener ??= PgAppendListener.start(this.dataSource.options, () => this.notifySubscriptions());
    const stop = subscription.stop.bind(subscription);
    subscription.stop = async () => {
      this.subscriptions.delete(subscription);
      await stop();
    };
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.appendListener?.stop();
    await this.queue.catch(() => undefined);
    await this.groupCommit?.settled();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async read({ sql, params }: SqlQuery): Promise<RecordedEvent[]> {
    const rows = await this.exclusive(async () => {
      try {
        return (await this.dataSource.query(sql, params)) as EventRow[];
      } catch (error) {
        throw toStoreError(error);
      }
    });
    return rows.map(toRecordedEvent);
  }

  private notifySubscriptions(): void {
    this.subscriptions.forEach((s) => s.notify());
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect.name !== 'sqlite') return work();
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** How many connections a pool holds, how many of them are idle, and how many callers wait for one. */
export interface PoolUsage {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** A TypeORM data source's pool use when it is PostgreSQL's (node-postgres Pool counters); undefined otherwise. */
export function poolUsageOf(dataSource: DataSource): PoolUsage | undefined {
  if (dataSource.options.type !== 'postgres' || !dataSource.isInitialized) return undefined;
  const pool = (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
}
