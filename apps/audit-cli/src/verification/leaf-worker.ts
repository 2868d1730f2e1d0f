/**
 * A verify worker thread (parallel-leaves.ts starts it): takes a batch of event-table rows as raw
 * COPY bytes with each row's leaf index and its stream's previous leaf index, checks and hashes
 * every audit row with leafHashAsRead (the main thread's own code), and answers the hashes in order,
 * stopping at the first leaf that fails, with its AuditFailure's code and message.
 */
import { parentPort } from 'node:worker_threads';
import { AuditFailure } from '../failures';
import { Column, bigintOf, frameRow, rowFields, textOf } from './copy-rows';
import { leafHashAsRead } from './leaf-check';
import type { LeafJob, LeafJobResult } from './parallel-leaves';

const fields = rowFields();

function hashBatch(job: LeafJob): LeafJobResult {
  const bytes = Buffer.from(job.buffer, 0, job.length);
  const hashes = new Uint8Array(32 * job.leaves);
  let spliced = false;
  let at = 0;
  let leaf = 0;
  for (let row = 0; row < job.index.length; row++) {
    at = frameRow(bytes, at, fields);
    const index = job.index[row]!;
    if (index < 0) continue;
    const previous = job.previous[row]!;
    const event = {
      id: textOf(bytes, fields, Column.Id),
      streamId: textOf(bytes, fields, Column.Stream),
      revision: bigintOf(bytes, fields, Column.Revision),
      type: textOf(bytes, fields, Column.Type),
      dataText: textOf(bytes, fields, Column.Data),
      metadata: JSON.parse(textOf(bytes, fields, Column.Metadata)) as Record<string, unknown>,
    };
    try {
      const read = leafHashAsRead(index, event, previous < 0 ? null : previous, job.payloads);
      hashes.set(read.hash, 32 * leaf);
      spliced ||= read.spliced;
    } catch (error) {
      if (!(error instanceof AuditFailure)) throw error;
      return { id: job.id, buffer: job.buffer, hashes, spliced, failure: { at: leaf, code: error.code, message: error.message } };
    }
    leaf += 1;
  }
  return { id: job.id, buffer: job.buffer, hashes, spliced };
}

parentPort!.on('message', (job: LeafJob) => {
  let result: LeafJobResult;
  try {
    result = hashBatch(job);
  } catch (error) {
    result = { id: job.id, buffer: job.buffer, hashes: new Uint8Array(0), spliced: false, error: (error as Error).message };
  }
  parentPort!.postMessage(result, [result.buffer, result.hashes.buffer as ArrayBuffer]);
});
