import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@silta/testing';
import { runEventStoreContract } from '../testing/event-store.contract';
import { SqlEventStore } from './sql-event-store';

runEventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const store = await SqlEventStore.connect({ type: 'postgres', url: database.url, poolSize: 12 });
  return {
    store,
    teardown: async () => {
      await store.close();
      await database.drop();
    },
  };
});

runEventStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'silta-sqlite-'));
  const store = await SqlEventStore.connect({ type: 'better-sqlite3', database: join(folder, 'events.db') });
  return {
    store,
    teardown: async () => {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
