// Filling a PostgreSQL event store fast for the benchmarks that read one (relay, verify): rows go
// straight into the store's own table in big multi-row INSERTs. This is setup, not measurement;
// the table itself is created by SqlEventStore, so the schema is the product's.
import { Client } from 'pg';
import { SqlEventStore } from '@silta/event-store/sql';

/** One event as a row of silta_events; data and metadata already JSON text. */
export interface SeedRow {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
}

/** Creates the event log table (the product's DDL) in the database at `url`. */
export async function createEventTable(url: string): Promise<void> {
  const store = await SqlEventStore.connect({ type: 'postgres', url });
  await store.close();
}

/**
 * Appends rows in the order given, one INSERT per call: positions (an identity column) follow that
 * order because the rows are numbered and inserted sorted by their number.
 */
export async function insertRows(client: Client, rows: readonly SeedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO silta_events (stream_id, revision, event_id, type, data, metadata, recorded_at)
     SELECT s, r, e, t, d, m, a
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
            WITH ORDINALITY AS x(s, r, e, t, d, m, a, n)
      ORDER BY n`,
    [
      rows.map((row) => row.streamId),
      rows.map((row) => row.revision),
      rows.map((row) => row.eventId),
      rows.map((row) => row.type),
      rows.map((row) => row.data),
      rows.map((row) => row.metadata),
      rows.map((row) => row.recordedAt),
    ],
  );
}

/** A connected pg client; the caller ends it. */
export async function pgClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Runs `work` with a client on the server's admin database (create and drop databases). */
export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pgClient(adminUrl());
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The admin URL (TEST_POSTGRES_URL or the local trust default), as libs/testing uses it. */
export function adminUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The URL of database `name` on the same server. */
export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** A tiny deterministic PRNG (mulberry32), so a seed is the same on every run and machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic UUID-shaped id from a namespace letter and a number. */
export function seededId(namespace: number, n: number): string {
  const hex = (namespace.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0')).slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}
