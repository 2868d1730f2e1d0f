import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { createTestDatabase } from '@silta/testing';
import { EventStoreUnavailableError, type AppendResult, type InlineProjection, type NewEvent } from '../port';
import { SqlEventStore } from './sql-event-store';

interface Setup {
  readonly options: DataSourceOptions;
  readonly teardown: () => Promise<void>;
}

// A read-model table in the store's own database; a row whose note is 'refused' fails to write.
const TABLE = 'projected_rows';
const CREATE_TABLE = `CREATE TABLE ${TABLE} (id text PRIMARY KEY, position text NOT NULL, note text NOT NULL CHECK (note <> 'refused'), flag boolean)`;

/** The behaviour of appendWithProjection on one SQL database; `setup` gives a fresh, empty one. */
function describeAppendWithProjection(database: string, setup: () => Promise<Setup>): void {
  describe(`appendWithProjection on ${database}`, () => {
    let store: SqlEventStore;
    let reader: DataSource;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      const created = await setup();
      teardown = created.teardown;
      store = await SqlEventStore.connect(created.options);
      reader = await new DataSource(created.options).initialize();
      await reader.query(CREATE_TABLE);
    });
    afterAll(async () => {
      await store.close();
      await reader.destroy();
      await teardown();
    });

    /** The row `id` with `note`, recording the position the append answers. */
    const row =
      (id: string, note: string, flag: boolean | null = null): InlineProjection =>
      (appended: AppendResult) => ({ table: TABLE, key: ['id'], rows: [{ id, position: appended.position.toString(), note, flag }] });
    /** The n-th bind placeholder of the reader's database. */
    const param = (n: number) => (reader.options.type === 'postgres' ? `$${n}` : '?');
    const rowOf = async (id: string) => {
      const [found] = (await reader.query(`SELECT position, note, flag FROM ${TABLE} WHERE id = ${param(1)}`, [id])) as Array<{ position: string; note: string; flag: boolean | number | null }>;
      // SQLite keeps a boolean as 1 or 0.
      return found && { position: found.position, note: found.note, flag: found.flag === null ? null : Boolean(found.flag) };
    };
    const newStream = () => `projected-${randomUUID()}`;

    it('commits the rows with the events, each recording the position of its own append', async () => {
      const stream = newStream();
      const appended = await store.appendWithProjection(stream, [event(), event()], 'no_stream', row(stream, 'first', true));
      expect(appended.repeated).toBe(false);
      expect((await store.readStream(stream)).map((e) => e.position)).toContain(appended.position);
      expect(await rowOf(stream)).toEqual({ position: appended.position.toString(), note: 'first', flag: true });
    });

    it("writes every append's rows when appends arrive together (one group commit on PostgreSQL)", async () => {
      const streams = Array.from({ length: 30 }, newStream);
      const results = await Promise.all(streams.map((stream) => store.appendWithProjection(stream, [event()], 'any', row(stream, 'together'))));
      for (const [i, stream] of streams.entries()) {
        expect(await rowOf(stream)).toEqual({ position: results[i]!.position.toString(), note: 'together', flag: null });
      }
    });

    it('updates the row of a key that is already there', async () => {
      const stream = newStream();
      await reader.query(`INSERT INTO ${TABLE} (id, position, note) VALUES (${param(1)}, ${param(2)}, ${param(3)})`, [stream, '0', 'before']);
      const appended = await store.appendWithProjection(stream, [event()], 'no_stream', row(stream, 'after'));
      expect(await rowOf(stream)).toEqual({ position: appended.position.toString(), note: 'after', flag: null });
    });

    it('leaves nothing written when the rows fail to write: no event, no row', async () => {
      const stream = newStream();
      await expect(store.appendWithProjection(stream, [event()], 'no_stream', row(stream, 'refused'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(await store.readStream(stream)).toEqual([]);
      expect(await rowOf(stream)).toBeUndefined();
    });

    it('leaves nothing written when the projection throws', async () => {
      const stream = newStream();
      const throwing: InlineProjection = () => {
        throw new RangeError('no row for this event');
      };
      await expect(store.appendWithProjection(stream, [event()], 'no_stream', throwing)).rejects.toThrow('no row for this event');
      expect(await store.readStream(stream)).toEqual([]);
    });

    it('fails only the append whose rows fail when others are appended with it', async () => {
      const [first, good, bad, alsoGood] = Array.from({ length: 4 }, newStream);
      // The first append starts a commit at once; the three that follow wait for the next, together.
      const outcomes = await Promise.allSettled([
        store.appendWithProjection(first!, [event()], 'no_stream', row(first!, 'first')),
        store.appendWithProjection(good!, [event()], 'no_stream', row(good!, 'good')),
        store.appendWithProjection(bad!, [event()], 'no_stream', row(bad!, 'refused')),
        store.appendWithProjection(alsoGood!, [event()], 'no_stream', row(alsoGood!, 'also good')),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(await store.readStream(bad!)).toEqual([]);
      expect(await rowOf(bad!)).toBeUndefined();
      for (const [stream, note] of [[good!, 'good'], [alsoGood!, 'also good']] as const) {
        expect((await store.readStream(stream)).length).toBe(1);
        expect((await rowOf(stream))?.note).toBe(note);
      }
    });

    it('writes no row for a repeated append: the first append’s row stays as it was', async () => {
      const stream = newStream();
      const events = [event()];
      const first = await store.appendWithProjection(stream, events, 'any', row(stream, 'first'));
      const repeated = await store.appendWithProjection(stream, events, 'any', row(stream, 'second'));
      expect(repeated).toEqual({ ...first, repeated: true });
      expect(await rowOf(stream)).toEqual({ position: first.position.toString(), note: 'first', flag: null });
      // Not even asked for rows: a projection that cannot make any does not fail a repeat.
      const throwing: InlineProjection = () => {
        throw new Error('asked for rows on a repeat');
      };
      await expect(store.appendWithProjection(stream, events, 'any', throwing)).resolves.toEqual({ ...first, repeated: true });
    });
  });
}

function event(): NewEvent {
  return { id: randomUUID(), type: 'Projected', data: { at: new Date().toISOString() } };
}

describeAppendWithProjection('PostgreSQL', async () => {
  const database = await createTestDatabase();
  return { options: { type: 'postgres', url: database.url, poolSize: 4 }, teardown: () => database.drop() };
});

describeAppendWithProjection('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'silta-sqlite-projection-'));
  return { options: { type: 'better-sqlite3', database: join(folder, 'events.db') }, teardown: async () => rmSync(folder, { recursive: true, force: true }) };
});
