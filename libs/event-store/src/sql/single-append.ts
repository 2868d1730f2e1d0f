/**
 * One append in its own transaction: the path where appends are not grouped (SQLite, whose single
 * connection the store already queues, so there is one writer at a time).
 */
import type { DataSource, QueryRunner } from 'typeorm';
import { checkExpectedRevision, classifyAppend, firstRevisionAfter, storeUnavailable } from '../append-rules';
import { IdempotencyConflictError, type AppendResult, type GlobalPosition } from '../port';
import { EVENTS_TABLE, type SqlDialect } from './sql-dialect';
import { writeProjectionRows } from './projection-rows';
import { INSERTED_COLUMNS, rowPlaceholders, rowValues, toStoreError, type Append, type EventRow } from './sql-log';

/**
 * Appends in one transaction, with the rows of the append's projection when it is fresh, and
 * commits; `onCommitted` runs after the COMMIT, before the answer.
 */
export async function appendAlone(dataSource: DataSource, dialect: SqlDialect, append: Append, onCommitted: () => void): Promise<AppendResult> {
  let runner: QueryRunner;
  try {
    runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
  } catch (error) {
    throw storeUnavailable('event store', error);
  }
  try {
    const result = await appendIn(runner, dialect, append);
    await runner.commitTransaction();
    onCommitted();
    return result;
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw toStoreError(error);
  } finally {
    await runner.release();
  }
}

async function appendIn(runner: QueryRunner, dialect: SqlDialect, { streamId, events, expected, projection }: Append): Promise<AppendResult> {
  const ids = events.map((e) => e.id);
  const stored: Array<Pick<EventRow, 'event_id' | 'stream_id' | 'revision' | 'position'>> = await runner.query(
    `SELECT event_id, stream_id, revision, position FROM ${EVENTS_TABLE} WHERE event_id IN (${ids.map((_, i) => dialect.placeholder(i + 1)).join(', ')})`,
    ids,
  );
  const byId = new Map(stored.map((row) => [row.event_id, { streamId: row.stream_id, revision: BigInt(row.revision), position: BigInt(row.position) }]));
  const verdict = classifyAppend(ids, ids.map((id) => byId.get(id)), streamId);
  if (verdict.kind === 'conflict') throw new IdempotencyConflictError(streamId, verdict.ids);
  if (verdict.kind === 'retry') return { nextExpectedRevision: verdict.last.revision, position: verdict.last.position, repeated: true };

  const [head] = await runner.query(`SELECT MAX(revision) AS revision FROM ${EVENTS_TABLE} WHERE stream_id = ${dialect.placeholder(1)}`, [streamId]);
  const current: bigint | undefined = head?.revision == null ? undefined : BigInt(head.revision);
  checkExpectedRevision(streamId, expected, current);

  const now = new Date().toISOString();
  let revision = firstRevisionAfter(current ?? 'no_stream');
  let position: GlobalPosition = 0n;
  for (const event of events) {
    const [row] = await runner.query(
      `INSERT INTO ${EVENTS_TABLE} ${INSERTED_COLUMNS} VALUES ${rowPlaceholders(dialect, 0)} RETURNING position`,
      rowValues(dialect, streamId, revision, event, now),
    );
    position = BigInt(row.position);
    revision += 1n;
  }
  const appended: AppendResult = { nextExpectedRevision: revision - 1n, position, repeated: false };
  if (projection) await writeProjectionRows(runner, dialect, [projection(appended)]);
  return appended;
}
