/**
 * The options of the commands that read an event store (verify, replay, export), and how the store
 * is found and opened: with the code the services open theirs with (@silta/platform/persistence).
 */
import { existsSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { EventStore } from '@silta/event-store';
import type { CliDeps, CliIo, StoreSource } from './command';
import { UsageError } from './failures';

export const STORE_OPTIONS = {
  'database-url': { type: 'string' },
  sqlite: { type: 'string' },
  'page-size': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type StoreValues = { readonly 'database-url'?: string; readonly sqlite?: string };

/** Opens the store the options name, runs `work` on it (told where it is) and closes it. */
export async function withStore<T>(values: StoreValues, io: CliIo, deps: CliDeps, work: (store: EventStore, source: StoreSource) => Promise<T>): Promise<T> {
  const source = storeSource(values, io.env);
  const store = await (deps.openStore ?? openStore)(source);
  try {
    return await work(store, source);
  } finally {
    await store.close();
  }
}

export function storeSource(values: StoreValues, env: CliIo['env']): StoreSource {
  if (values.sqlite !== undefined && values['database-url'] !== undefined) throw new UsageError('give --sqlite or --database-url, not both');
  if (values.sqlite !== undefined) {
    if (!existsSync(values.sqlite)) throw new UsageError(`--sqlite ${values.sqlite}: no such file`);
    return { kind: 'sqlite', file: values.sqlite };
  }
  if (values['database-url'] !== undefined) return { kind: 'postgres', url: values['database-url'] };
  if (env.EVENTSTORE_CONNECTION_STRING) return { kind: 'esdb', connectionString: env.EVENTSTORE_CONNECTION_STRING };
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  throw new UsageError('no event store: give --database-url or --sqlite, or set EVENTSTORE_CONNECTION_STRING or DATABASE_URL');
}

/**
 * The store as the services open it, with a small PostgreSQL pool (the CLI reads one page at a
 * time). Loaded only when a command needs a store, so offline commands start fast.
 */
export async function openStore(source: StoreSource): Promise<EventStore> {
  const { openEventStoreAt } = await import('@silta/platform/persistence');
  return openEventStoreAt(source, { poolSize: 2 });
}
