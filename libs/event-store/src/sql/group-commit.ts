/**
 * Group commit (PostgreSQL). The append lock serialises every writer of the log, so holding it for
 * one append per transaction bounds the log at one lock-and-commit per append. Instead, the appends
 * that arrive while a commit is under way wait for the next one, which takes the lock once, checks
 * and inserts them all, and commits once. Each caller's promise settles only after that COMMIT:
 * nothing is reported appended before it is durable. A typed error (expected revision, idempotency)
 * fails only its own append; a database error fails the whole batch. The rows of the appends'
 * inline projections are written in the same transaction, one upsert per table for the batch; if
 * they fail, each append of the batch is committed alone, so only the one whose rows fail fails.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import { checkExpectedRevision, classifyAppend, firstRevisionAfter, storeUnavailable } from '../append-rules';
import { IdempotencyConflictError, type AppendResult, type StreamRevision } from '../port';
import { writeProjectionRows } from './projection-rows';
import { EVENTS_TABLE, type SqlDialect } from './sql-dialect';
import { INSERTED_COLUMNS, rowPlaceholders, rowValues, toStoreError, type Append } from './sql-log';

/** At most this many appends share one group-commit transaction. */
const MAX_APPENDS_PER_COMMIT = 200;
/** Rows per INSERT statement (7 bind parameters each, well under PostgreSQL's 65,535). */
const ROWS_PER_INSERT = 500;

/** An append waiting for the next group commit. */
interface PendingAppend extends Append {
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/** The rows of the batch's projections could not be made or written; `cause` says why. */
class ProjectionFailure extends Error {}

/** Where an event of the batch stands: already stored, or placed by an earlier append of the batch. */
interface Placed {
  readonly streamId: string;
  readonly revision: StreamRevision;
  position?: bigint;
}

export class GroupCommit {
  private pending: PendingAppend[] = [];
  private committing = false;

  /** `appendLock` is the dialect's lock statement; `onCommitted` runs after each COMMIT. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: SqlDialect & { readonly appendLock: string },
    private readonly onCommitted: () => void,
  ) {}

  /** Appends with the next group commit; settles after its COMMIT. */
  append(append: Append): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ ...append, resolve, reject });
      void this.drain();
    });
  }

  /** Resolves once no append is waiting or being committed. */
  async settled(): Promise<void> {
    while (this.committing || this.pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async drain(): Promise<void> {
    if (this.committing) return;
    this.committing = true;
    try {
      while (this.pending.length > 0) await this.commit(this.pending.splice(0, MAX_APPENDS_PER_COMMIT));
    } finally {
      this.committing = false;
    }
  }

  /**
   * Commits `batch` in one transaction and settles each of its appends. When the projections' rows
   * fail, nothing of the batch is committed; its appends are then committed one by one, so that
   * one append's bad rows fail that append only.
   */
  private async commit(batch: readonly PendingAppend[]): Promise<void> {
    let outcomes: Array<AppendResult | Error>;
    try {
      outcomes = await this.withLockedTransaction((runner) => this.appendBatchIn(runner, batch));
    } catch (error) {
      if (error instanceof ProjectionFailure && batch.length > 1) {
        for (const append of batch) await this.commit([append]);
        return;
      }
      const failure = toStoreError(error instanceof ProjectionFailure ? error.cause : error);
      batch.forEach((append) => append.reject(failure));
      return;
    }
    batch.forEach((append, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) append.reject(outcome);
      else append.resolve(outcome);
    });
  }

  /**
   * A transaction holding the append lock, in as few round trips as the driver allows: BEGIN and
   * the lock travel as one simple-protocol message, then `work`, then COMMIT. Everything waiting
   * for the next group commit waits for these round trips, so each one counts.
   */
  private async withLockedTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.query(`BEGIN; ${this.dialect.appendLock}`);
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
      throw storeUnavailable('event store', error);
    }
    try {
      const result = await work(runner);
      await runner.query('COMMIT');
      this.onCommitted();
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Decides every append of a batch in order against the log as it stands plus the earlier appends
   * of the same batch (the rules of append-rules.ts, as a single append applies them), then inserts
   * all accepted events and the rows of their projections. Two statements whatever the batch size
   * (look up the ids and the stream heads together, insert), and an upsert per projected table.
   */
  private async appendBatchIn(runner: QueryRunner, batch: readonly PendingAppend[]): Promise<Array<AppendResult | Error>> {
    const ids = [...new Set(batch.flatMap((a) => a.events.map((e) => e.id)))];
    const streams = [...new Set(batch.map((a) => a.streamId))];
    const placed = new Map<string, Placed>();
    const heads = new Map<string, StreamRevision>();
    // Rows with an event_id are events already written (a retry); rows without are stream heads.
    for (const row of (await runner.query(
      `SELECT event_id, stream_id, revision, position FROM ${EVENTS_TABLE} WHERE event_id = ANY($1)
       UNION ALL
       SELECT NULL, stream_id, MAX(revision), NULL FROM ${EVENTS_TABLE} WHERE stream_id = ANY($2) GROUP BY stream_id`,
      [ids, streams],
    )) as Array<{ event_id: string | null; stream_id: string; revision: string; position: string | null }>) {
      if (row.event_id === null) heads.set(row.stream_id, BigInt(row.revision));
      else placed.set(row.event_id, { streamId: row.stream_id, revision: BigInt(row.revision), position: BigInt(row.position!) });
    }

    const now = new Date().toISOString();
    const rows: unknown[][] = [];
    /** Per append: an error, or the event whose position (once inserted) and revision answer it. */
    const answers: Array<Error | { last: Placed; repeated: boolean }> = batch.map(({ streamId, events, expected }) => {
      const verdict = classifyAppend(
        events.map((e) => e.id),
        events.map((e) => placed.get(e.id)),
        streamId,
      );
      if (verdict.kind === 'conflict') return new IdempotencyConflictError(streamId, verdict.ids);
      if (verdict.kind === 'retry') return { last: verdict.last, repeated: true };
      const current = heads.get(streamId);
      try {
        checkExpectedRevision(streamId, expected, current);
      } catch (error) {
        return error as Error;
      }
      let revision = firstRevisionAfter(current ?? 'no_stream');
      let last: Placed | undefined;
      for (const event of events) {
        last = { streamId, revision };
        placed.set(event.id, last);
        rows.push(rowValues(this.dialect, streamId, revision, event, now));
        revision += 1n;
      }
      heads.set(streamId, revision - 1n);
      return { last: last!, repeated: false };
    });

    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const inserted: Array<{ event_id: string; position: string }> = await runner.query(
        `INSERT INTO ${EVENTS_TABLE} ${INSERTED_COLUMNS} VALUES ${chunk.map((_, r) => rowPlaceholders(this.dialect, r)).join(', ')} RETURNING event_id, position`,
        chunk.flat(),
      );
      for (const row of inserted) placed.get(row.event_id)!.position = BigInt(row.position);
    }
    const results = answers.map((answer) =>
      answer instanceof Error ? answer : { nextExpectedRevision: answer.last.revision, position: answer.last.position!, repeated: answer.repeated },
    );
    try {
      const projected = batch.flatMap(({ projection }, i) => {
        const result = results[i]!;
        return projection && !(result instanceof Error) && !result.repeated ? [projection(result)] : [];
      });
      await writeProjectionRows(runner, this.dialect, projected);
    } catch (error) {
      throw new ProjectionFailure('the rows of an inline projection failed', { cause: error });
    }
    return results;
  }
}
