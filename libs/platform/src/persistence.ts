import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource, DataSourceOptions, EntitySchema } from 'typeorm';
import type { EventStore } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import type { ServiceConfig } from './config';

/**
 * The service's event store: EventStoreDB when EVENTSTORE_CONNECTION_STRING is set, else
 * PostgreSQL when DATABASE_URL is set, else an embedded SQLite file under DATA_DIR/<service>.
 */
export async function openEventStore(config: ServiceConfig): Promise<EventStore> {
  if (config.EVENTSTORE_CONNECTION_STRING) return openEventStoreAt({ kind: 'esdb', connectionString: config.EVENTSTORE_CONNECTION_STRING });
  if (config.DATABASE_URL) return openEventStoreAt({ kind: 'postgres', url: config.DATABASE_URL });
  return openEventStoreAt({ kind: 'sqlite', file: sqliteFile(config, 'events.db') });
}

/** Where an event store is. */
export type EventStoreLocation =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'esdb'; readonly connectionString: string };

/**
 * The event store at `location`, opened with its adapter as the services open theirs (the audit
 * CLI opens stores here too). `poolSize`: PostgreSQL connections at most, 10 unless given.
 */
export async function openEventStoreAt(location: EventStoreLocation, options: { poolSize?: number } = {}): Promise<EventStore> {
  switch (location.kind) {
    case 'esdb': {
      // Loaded only here: its gRPC client is megabytes of code every app would otherwise hold unused.
      const { EsdbEventStore } = await import('@silta/event-store/esdb');
      return EsdbEventStore.fromConnectionString(location.connectionString);
    }
    case 'postgres':
      // LISTEN/NOTIFY wakes subscriptions on every commit; the poll is only the fallback for when
      // the listening connection is down.
      return SqlEventStore.connect({ type: 'postgres', url: location.url, poolSize: options.poolSize ?? 10 }, { pollIntervalMs: 250 });
    case 'sqlite':
      return SqlEventStore.connect({ type: 'better-sqlite3', database: location.file }, { pollIntervalMs: 50 });
  }
}

/**
 * Whether the service's read-model tables are in its event store's database, so that a row may be
 * written in an append's transaction (EventStore.appendWithProjection): on PostgreSQL, where both
 * are at DATABASE_URL; not on SQLite (events.db and read.db are two files) nor on EventStoreDB.
 */
export function readModelsBesideEvents(config: ServiceConfig): boolean {
  return !config.EVENTSTORE_CONNECTION_STRING && config.DATABASE_URL !== undefined;
}

/** The service's read-model database: PostgreSQL when DATABASE_URL is set, else SQLite. */
export function readModelOptions(config: ServiceConfig, entities: Array<EntitySchema | (new () => unknown)>): DataSourceOptions {
  // Read models are projections that can be rebuilt from the log; their tables follow the entities.
  const common = { entities, synchronize: true } as const;
  if (config.DATABASE_URL) return { type: 'postgres', url: config.DATABASE_URL, poolSize: 10, ...common };
  return { type: 'better-sqlite3', database: sqliteFile(config, 'read.db'), enableWAL: true, ...common };
}

/**
 * better-sqlite3 gives TypeORM one connection, so a second transaction started while one is open
 * (two consumers, or a consumer and the audit checkpointer) fails with "cannot start a transaction
 * within a transaction". On SQLite, queue the data source's transactions; PostgreSQL pools
 * connections and needs nothing. A transaction must not start another one inside it.
 */
export function queueSqliteTransactions(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource;
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => transaction(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof manager.transaction;
  return dataSource;
}

function sqliteFile(config: ServiceConfig, name: string): string {
  const folder = resolve(config.DATA_DIR, config.service);
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
