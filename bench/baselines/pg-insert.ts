// The durable-write floor: single-row INSERTs, each its own committed transaction, from
// `connections` clients at once, on the same PostgreSQL server the event store uses.
import { Client } from 'pg';
import { createTestDatabase } from '@silta/testing';

/** Rows committed per second over `durationSeconds`, one run. */
export async function insertCommitRate(connections: number, durationSeconds: number): Promise<number> {
  const db = await createTestDatabase('silta_bench_pg_floor');
  const clients: Client[] = [];
  try {
    for (let i = 0; i < connections; i++) {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      clients.push(client);
    }
    await clients[0]!.query('CREATE TABLE floor_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id text NOT NULL UNIQUE, data text NOT NULL)');
    const payload = JSON.stringify({ type: 'DisclosureDecided', padding: 'x'.repeat(1500) });
    const deadline = Date.now() + durationSeconds * 1000;
    let rows = 0;
    const started = Date.now();
    await Promise.all(
      clients.map(async (client, c) => {
        for (let n = 0; Date.now() < deadline; n++) {
          await client.query('INSERT INTO floor_rows (event_id, data) VALUES ($1, $2)', [`${c}-${n}`, payload]);
          rows++;
        }
      }),
    );
    return rows / ((Date.now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await db.drop();
  }
}
