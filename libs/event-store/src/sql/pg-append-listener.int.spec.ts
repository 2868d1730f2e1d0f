import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import type { RecordedEvent } from '../port';
import { SqlEventStore } from './sql-event-store';

/** Long enough that a test passing by the poll would time out first: only a wake-up can deliver in time. */
const TEN_MINUTES = 10 * 60_000;

describe('PostgreSQL append notifications', () => {
  let database: TestDatabase;
  let writer: SqlEventStore;
  let reader: SqlEventStore;
  let admin: Client;

  beforeEach(async () => {
    database = await createTestDatabase();
    // Two store instances, each with its own pool: the reader never sees the writer's in-process signal.
    writer = await SqlEventStore.connect({ type: 'postgres', url: database.url }, { pollIntervalMs: TEN_MINUTES });
    reader = await SqlEventStore.connect({ type: 'postgres', url: database.url }, { pollIntervalMs: TEN_MINUTES });
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterEach(async () => {
    await admin.end();
    await writer.close();
    await reader.close();
    await database.drop();
  });

  const append = (type: string) => writer.appendToStream(`s-${randomUUID()}`, [{ id: randomUUID(), type, data: {}, metadata: {} }], 'no_stream');

  /** The backend that LISTENs for appends in this database, once it is listening. */
  async function listeningBackend(other?: number): Promise<number> {
    for (;;) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND state = 'idle' AND pid <> $1`,
        [other ?? 0],
      );
      if (rows[0]) return rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('wakes a subscription of another store instance when an append commits there, long before its poll', async () => {
    const subscription = reader.subscribeToAll();
    const events = subscription[Symbol.asyncIterator]();
    const first = events.next();
    await listeningBackend();
    await append('first');
    expect(((await first).value as RecordedEvent).type).toBe('first');
    const second = events.next();
    await append('second');
    expect(((await second).value as RecordedEvent).type).toBe('second');
    await subscription.stop();
  }, 20_000);

  it('wakes again after its listening connection is terminated', async () => {
    const subscription = reader.subscribeToAll();
    const events = subscription[Symbol.asyncIterator]();
    const killed = await listeningBackend();
    await admin.query('SELECT pg_terminate_backend($1)', [killed]);
    await listeningBackend(killed);
    const next = events.next();
    await append('after the kill');
    expect(((await next).value as RecordedEvent).type).toBe('after the kill');
    await subscription.stop();
  }, 20_000);
});
