import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { DataSource } from 'typeorm';
import { SqlEventStore } from '@silta/event-store/sql';
import { tracedEventStore } from './traced-event-store';
import { installTracing } from './tracing';

/**
 * With tracing on, a decision's audit append goes through appendWithProjection (its decision row in
 * the same transaction): the traced store must give it its span and traceparent as it does a plain
 * append, and pass the projection on. An embedded SQLite store, as `npm start` runs.
 */
describe('the traced event store', () => {
  let folder: string;
  let store: SqlEventStore;
  let reader: DataSource;
  let exporter: InMemorySpanExporter;
  let uninstall: () => Promise<void>;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'silta-traced-store-'));
    const options = { type: 'better-sqlite3' as const, database: join(folder, 'events.db') };
    store = await SqlEventStore.connect(options);
    reader = await new DataSource(options).initialize();
    await reader.query('CREATE TABLE decision_rows (id text PRIMARY KEY, position text NOT NULL)');
    exporter = new InMemorySpanExporter();
    uninstall = installTracing(exporter, 'disclosure');
  });

  afterAll(async () => {
    await uninstall();
    await store.close();
    await reader.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('traces an append with a projection and passes the projection on', async () => {
    const traced = tracedEventStore(store, 'disclosure');
    const id = randomUUID();
    const result = await traced.appendWithProjection!('audit-student-1', [{ id, type: 'DisclosureDecided', data: { outcome: 'deny' } }], 'any', (appended) => ({
      table: 'decision_rows',
      key: ['id'],
      rows: [{ id, position: appended.position.toString() }],
    }));

    const [span] = exporter.getFinishedSpans().filter((s) => s.name === 'event-store append audit');
    expect(span?.attributes).toMatchObject({ 'silta.service': 'disclosure', 'silta.stream.kind': 'audit', 'silta.events': 1 });
    const [stored] = await store.readStream('audit-student-1');
    expect(stored!.metadata.traceparent).toContain(span!.spanContext().traceId);
    expect(await reader.query('SELECT id, position FROM decision_rows')).toEqual([{ id, position: result.position.toString() }]);
  });
});
