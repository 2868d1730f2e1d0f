/**
 * A PostgreSQL store's audit events straight from its table, each payload as the JSON text the SQL
 * adapter wrote (verify's passes read the table in parallel instead: parallel-leaves.ts; this one
 * serves the read that names a changed leaf after a root mismatch). It reads the same rows
 * in the same order as `readAll` through the event-store port (the table by global position, audit
 * streams only), in pages of `pageSize` with the next page fetched while this one is hashed.
 * Any other store goes through the port (readAuditEvents).
 */
import { Client } from 'pg';
import type { EventStore, GlobalPosition, RecordedEvent } from '@silta/event-store';
import { AUDIT_STREAM_PREFIX } from '../audit-log';

/**
 * An audit event as verify reads it: parsed by the event-store port (`data`), or straight from
 * PostgreSQL with its payload as the stored JSON text (`dataText`, see postgres-leaves.ts).
 */
export type StoredAuditEvent = Pick<RecordedEvent, 'id' | 'streamId' | 'revision' | 'type' | 'metadata'> &
  ({ readonly data: unknown; readonly dataText?: undefined } | { readonly dataText: string });

/** The stores opened on a PostgreSQL URL, and that URL, so verify can read their table directly. */
const postgresUrls = new WeakMap<EventStore, string>();

/** Marks `store` as the SQL adapter on the PostgreSQL database at `url`; returns the store. */
export function withDirectPostgresReads<T extends EventStore>(store: T, url: string): T {
  postgresUrls.set(store, url);
  return store;
}

/** The PostgreSQL URL behind `store`, when it was opened with withDirectPostgresReads. */
export function directPostgresUrl(store: EventStore): string | undefined {
  return postgresUrls.get(store);
}

/** The SQL adapter's table (libs/event-store/src/sql); the columns read are the ones it writes. */
const QUERY = `SELECT position, event_id, stream_id, revision, type, data, metadata FROM silta_events WHERE position > $1 ORDER BY position ASC LIMIT $2`;

type Row = [position: string, id: string, streamId: string, revision: string, type: string, data: string, metadata: string];

/** The audit events after `after`, payloads as stored text; one connection, closed at the end. */
export async function* readPostgresAuditEvents(
  url: string,
  options: { readonly pageSize: number; readonly after?: GlobalPosition; readonly onPosition?: (position: GlobalPosition) => void },
): AsyncGenerator<StoredAuditEvent> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const read = (after: string) => {
      const page = client.query<Row>({ text: QUERY, values: [after, options.pageSize], rowMode: 'array' }).then((result) => result.rows);
      page.catch(() => undefined); // a caller that stops early leaves the read-ahead unawaited
      return page;
    };
    let next: Promise<Row[]> | undefined = read(options.after === undefined ? '0' : String(options.after));
    while (next) {
      const page: Row[] = await next;
      next = page.length < options.pageSize ? undefined : read(page[page.length - 1]![0]);
      for (const [position, id, streamId, revision, type, dataText, metadata] of page) {
        options.onPosition?.(BigInt(position));
        if (!streamId.startsWith(AUDIT_STREAM_PREFIX)) continue;
        yield { id, streamId, revision: BigInt(revision), type, dataText, metadata: JSON.parse(metadata) as Record<string, unknown> };
      }
    }
  } finally {
    await client.end();
  }
}
