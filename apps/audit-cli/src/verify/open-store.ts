import type { EventStore } from '@silta/event-store';
import type { StoreSource } from '../cli';
import { withDirectPostgresReads } from './postgres-leaves';

/**
 * The adapters as cli.ts opens them, loaded only when a command needs a store; a PostgreSQL store is
 * also marked so that verify reads its table directly (verify/postgres-leaves.ts).
 */
export async function openStore(source: StoreSource): Promise<EventStore> {
  switch (source.kind) {
    case 'postgres': {
      const { SqlEventStore } = await import('@silta/event-store/sql');
      return withDirectPostgresReads(await SqlEventStore.connect({ type: 'postgres', url: source.url, poolSize: 2 }), source.url);
    }
    case 'sqlite': {
      const { SqlEventStore } = await import('@silta/event-store/sql');
      return SqlEventStore.connect({ type: 'better-sqlite3', database: source.file });
    }
    case 'esdb': {
      const { EsdbEventStore } = await import('@silta/event-store/esdb');
      return EsdbEventStore.fromConnectionString(source.connectionString);
    }
  }
}
