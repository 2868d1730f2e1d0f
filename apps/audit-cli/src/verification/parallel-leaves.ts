/**
 * verify's read of a PostgreSQL store, in parallel: leaves are independent until the Merkle
 * frontier, so worker threads (leaf-worker.ts) check and hash them while this thread reads the
 * table and the caller folds the hashes into the tree in log order.
 *
 * The table is read with one `COPY (SELECT ... ORDER BY position) TO STDOUT` in binary format (the
 * same rows in the same order as the port's readAll, one snapshot): PostgreSQL sends each row as
 * one CopyData message, so this thread only frames rows, decodes each stream id (a leaf's index and
 * its stream's previous leaf are settled here, in order) and copies the raw bytes into a batch that
 * is transferred, not copied, to a worker; the worker decodes and hashes them and transfers the
 * batch's buffer back for reuse. At most two batches per worker are in flight: beyond that the
 * socket is paused, so memory holds a few batches however long the log is.
 */
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { Client, type Connection, type Submittable } from 'pg';
import type { GlobalPosition } from '@silta/event-store';
import { AUDIT_STREAM_PREFIX } from '../audit-log';
import { AuditFailure, type AuditFailureCode } from '../failures';
import { COPY_COLUMNS, Column, frameRow, headerLength, rowFields, textOf } from './copy-rows';
import type { LeafBatch, PayloadReading, PreviousLeaves } from './leaf-check';

/** A batch for a worker: rows as raw COPY bytes, each row's leaf index (-1: not an audit event) and its stream's previous leaf (-1: none). */
export interface LeafJob {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly leaves: number;
  readonly index: Float64Array;
  readonly previous: Float64Array;
  readonly payloads: PayloadReading;
}

/** A worker's answer: the batch's leaf hashes up to its first failure, or an error that is not a verdict. */
export interface LeafJobResult {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly hashes: Uint8Array;
  readonly spliced: boolean;
  readonly failure?: { readonly at: number; readonly code: AuditFailureCode; readonly message: string };
  readonly error?: string;
}

export interface ParallelReadOptions {
  readonly workers: number;
  /** Rows per batch at most (verify's page size); a batch also closes at BATCH_BYTES. */
  readonly rowsPerBatch: number;
  readonly payloads: PayloadReading;
  /** The rows after this position; the first audit row among them is leaf `firstLeaf`. */
  readonly after?: GlobalPosition;
  readonly firstLeaf: number;
  /** The streams' latest leaves so far (continued by this read). */
  readonly previousLeaves: PreviousLeaves;
  readonly onPosition?: (position: GlobalPosition) => void;
}

/** Bytes of rows per batch: large enough that a message per batch costs nothing, small enough that a few in flight stay a few MB. */
const BATCH_BYTES = 512 * 1024;

/** The workers the machine can run beside this thread and PostgreSQL: at least one. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The audit events' leaf batches in log order, hashed by `options.workers` worker threads. */
export async function* readLeavesInParallel(url: string, options: ParallelReadOptions): AsyncGenerator<LeafBatch> {
  const workers = new LeafWorkers(options.workers);
  const client = new Client({ connectionString: url });
  /** Dispatched batches, in log order; each settles when its worker answers. */
  const pending: Array<Promise<LeafBatch>> = [];
  let done = false;
  let failed: unknown;
  let wake: () => void = () => undefined;
  let nextLeaf = options.firstLeaf;
  let nextId = 0;
  const fields = rowFields();
  let batch = new Batch(workers.spareBuffer(BATCH_BYTES), options.rowsPerBatch);

  const dispatch = () => {
    if (batch.rows === 0) return;
    const full = batch;
    options.onPosition?.(full.lastPosition());
    const job: LeafJob = {
      id: nextId++,
      buffer: full.buffer,
      length: full.length,
      leaves: full.streams.length,
      index: full.index.subarray(0, full.rows),
      previous: full.previous.subarray(0, full.rows),
      payloads: options.payloads,
    };
    const answer = workers.run(job).then((result) => asLeafBatch(result, full.streams));
    answer.catch(() => undefined); // awaited in order below; a later batch may fail first
    pending.push(answer);
    batch = new Batch(workers.spareBuffer(BATCH_BYTES), options.rowsPerBatch);
    if (pending.length >= 2 * options.workers) copy.pause();
    wake();
  };

  const onChunk = (chunk: Buffer) => {
    let at = copy.chunks++ === 0 ? headerLength(chunk) : 0;
    while (at < chunk.length) {
      const end = frameRow(chunk, at, fields);
      if (end === -1) return; // the trailer
      if (batch.length + (end - at) > batch.buffer.byteLength) {
        dispatch();
        if (end - at > batch.buffer.byteLength) batch = new Batch(new ArrayBuffer(end - at), options.rowsPerBatch);
      }
      const stream = textOf(chunk, fields, Column.Stream);
      const leaf = stream.startsWith(AUDIT_STREAM_PREFIX) ? nextLeaf++ : -1;
      batch.add(chunk, at, end, fields, leaf < 0 ? undefined : { stream, leaf, previous: options.previousLeaves.next(stream, leaf) });
      at = end;
      if (batch.rows === options.rowsPerBatch || batch.length >= BATCH_BYTES) dispatch();
    }
  };

  const after = options.after ?? 0n;
  if (typeof after !== 'bigint' || after < 0n) throw new Error(`not a position: ${String(after)}`);
  // COPY takes no parameters: the position is a bigint, written as its digits.
  const copy = new CopyOut(`COPY (SELECT ${COPY_COLUMNS} FROM silta_events WHERE position > ${after} ORDER BY position ASC) TO STDOUT (FORMAT binary)`, onChunk);
  try {
    await client.connect();
    client.query(copy);
    copy.done.then(
      () => {
        dispatch();
        done = true;
        wake();
      },
      (error: unknown) => {
        failed = error;
        wake();
      },
    );
    for (;;) {
      const next = pending.shift();
      if (next) {
        if (pending.length < 2 * options.workers) copy.resume();
        yield await next;
        continue;
      }
      if (failed !== undefined) throw failed;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await Promise.all([client.end().catch(() => undefined), workers.close()]);
  }
}

/** A worker's answer as the caller folds it; a failure becomes the AuditFailure the main thread would have thrown. */
function asLeafBatch(result: LeafJobResult, streams: readonly string[]): LeafBatch {
  if (result.error !== undefined) throw new Error(result.error);
  const failure = result.failure && { at: result.failure.at, error: new AuditFailure(result.failure.code, result.failure.message) };
  return { streams, hashes: result.hashes, spliced: result.spliced, ...(failure ? { failure } : {}) };
}

/** Rows being gathered for one worker job. */
class Batch {
  length = 0;
  rows = 0;
  readonly streams: string[] = [];
  readonly index: Float64Array;
  readonly previous: Float64Array;
  private readonly bytes: Buffer;
  private positionAt = 0;

  constructor(
    readonly buffer: ArrayBuffer,
    rows: number,
  ) {
    this.bytes = Buffer.from(buffer);
    this.index = new Float64Array(rows);
    this.previous = new Float64Array(rows);
  }

  /** Copies the framed row chunk[start..end) in; `leaf` when it is an audit event. */
  add(chunk: Buffer, start: number, end: number, fields: Int32Array, leaf?: { stream: string; leaf: number; previous: number | null }): void {
    chunk.copy(this.bytes, this.length, start, end);
    this.positionAt = this.length + fields[2 * Column.Position]! - start;
    this.index[this.rows] = leaf ? leaf.leaf : -1;
    this.previous[this.rows] = leaf?.previous ?? -1;
    if (leaf) this.streams.push(leaf.stream);
    this.length += end - start;
    this.rows += 1;
  }

  lastPosition(): bigint {
    return this.bytes.readBigInt64BE(this.positionAt);
  }
}

/** A COPY ... TO STDOUT on a pg client: each row to `onChunk`; the socket paused and resumed on demand. */
class CopyOut implements Submittable {
  /** CopyData messages so far: the first starts with the binary header. */
  chunks = 0;
  readonly done: Promise<void>;
  private connection?: Connection;
  private error?: unknown;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor(
    private readonly text: string,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined); // handled by the reader
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.error !== undefined) return;
    try {
      this.onChunk(message.chunk);
    } catch (error) {
      // Not a row this reader can frame: stop reading, fail when the statement ends.
      this.error = error;
      this.resume();
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.error === undefined) this.settle.resolve();
    else this.settle.reject(this.error);
  }

  handleError(error: unknown): void {
    this.settle.reject(error);
  }

  pause(): void {
    this.connection?.stream.pause();
  }

  resume(): void {
    this.connection?.stream.resume();
  }
}

/**
 * The worker threads, each with a capped heap. From the compiled build they run leaf-worker.js; from
 * the TypeScript sources (tests, `npm run audit`) each registers SWC first, as the main thread did.
 */
class LeafWorkers {
  private readonly workers: Worker[];
  private readonly busy: number[];
  private readonly waiting = new Map<number, { resolve: (result: LeafJobResult) => void; reject: (error: unknown) => void }>();
  private readonly spare: ArrayBuffer[] = [];
  private broken?: Error;

  constructor(count: number) {
    const compiled = extname(__filename) === '.js';
    const file = join(__dirname, `leaf-worker${extname(__filename)}`);
    this.workers = Array.from({ length: count }, () => {
      const worker = compiled
        ? new Worker(file, { resourceLimits: WORKER_LIMITS })
        : new Worker(`require('@swc-node/register'); require(${JSON.stringify(file)});`, { eval: true });
      worker.on('message', (result: LeafJobResult) => this.answer(result));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`a verify worker stopped (exit ${code})`)));
      return worker;
    });
    this.busy = this.workers.map(() => 0);
  }

  /** Hands the job to the least busy worker; its buffers are transferred. */
  run(job: LeafJob): Promise<LeafJobResult> {
    if (this.broken) return Promise.reject(this.broken);
    const chosen = this.busy.indexOf(Math.min(...this.busy));
    this.busy[chosen]! += 1;
    return new Promise((resolve, reject) => {
      this.waiting.set(job.id, {
        resolve: (result) => {
          this.busy[chosen]! -= 1;
          resolve(result);
        },
        reject,
      });
      this.workers[chosen]!.postMessage(job, [job.buffer, job.index.buffer as ArrayBuffer, job.previous.buffer as ArrayBuffer]);
    });
  }

  /** A batch buffer of at least `bytes`: one a worker gave back, or a new one. */
  spareBuffer(bytes: number): ArrayBuffer {
    const reused = this.spare.pop();
    return reused && reused.byteLength >= bytes ? reused : new ArrayBuffer(bytes);
  }

  async close(): Promise<void> {
    this.broken ??= new Error('the verify workers were closed');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private answer(result: LeafJobResult): void {
    this.spare.push(result.buffer);
    const waiting = this.waiting.get(result.id);
    this.waiting.delete(result.id);
    waiting?.resolve(result);
  }

  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

/**
 * A worker's heap: it holds one batch's decoded rows at a time (a few MB), so a small old space
 * suffices; the caps keep the process within verify's memory target however many workers run.
 */
const WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 8 };
