import type { EventStore } from '@silta/event-store';
import type { StoreSource } from '../command';
import { openStore as openAsServicesDo } from '../store-options';
import { withDirectPostgresReads } from './postgres-leaves';

/**
 * The store as every command opens it (store-options.ts); a PostgreSQL store is also marked so that
 * verify reads its table directly (verify/postgres-leaves.ts).
 */
export async function openStore(source: StoreSource): Promise<EventStore> {
  const store = await openAsServicesDo(source);
  return source.kind === 'postgres' ? withDirectPostgresReads(store, source.url) : store;
}
