/**
 * `silta-audit verify`: recomputes the whole audit log from the store and checks it against every
 * signed checkpoint, in one streaming pass. Memory holds a few batches of events (a page through the
 * port; from PostgreSQL two batches per worker thread that hashes them, parallel-leaves.ts), a Merkle
 * frontier (one hash per set bit of the size) and the next checkpoint, however long the log grows.
 *
 * It also recomputes the per-student completeness map (each audit stream's latest leaf and count)
 * and checks it against every checkpoint that carries a map line: held in memory as one entry per
 * stream, its tree rehashed at each checkpoint only along the streams that changed since the last.
 *
 * A v2 payload stored as canonical text (as AuditLog.append stores it) is hashed spliced into its
 * leaf as it is, without first showing it canonical: a signed root recomputed over those hashes
 * can only match when each was the canonical leaf. When a root does not match, the whole log is
 * read again with every payload shown canonical or parsed (a log whose payloads were stored
 * otherwise still verifies that way), and that second reading's verdict is the answer.
 *
 * Consistency between consecutive checkpoints follows from that pass: both roots are recomputed
 * from the same leaf sequence, so when each matches, the older tree is a prefix of the newer one
 * (RFC 9162 consistency) without a proof; a checkpoint that is smaller than the one before it is a
 * log that shrank and is reported as such.
 */
import type { EventStore, GlobalPosition } from '@silta/event-store';
import { createHash } from 'node:crypto';
import { MerkleFrontier, StreamMap, canonicalJsonHash, mapRootOf } from '@silta/transparency';
import { describeLeaf, latestCheckpointEvent, readAuditEvents, readCheckpointEvents } from '../audit-log';
import { openStoredCheckpoint, type VerifiedCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';
import { leavesOnThisThread, PreviousLeaves, type LeafBatch, type PayloadReading } from './leaf-check';
import { isCanonicalJsonText } from './leaf-hash';
import { defaultWorkers, readLeavesInParallel } from './parallel-leaves';
import { directPostgresUrl, readPostgresAuditEvents, type StoredAuditEvent } from './postgres-leaves';

export interface VerifyLogOptions {
  /** The party's verifier key (`name+hash+base64`). */
  readonly key: string;
  /** When given, every checkpoint must be for this log. Otherwise all must share the first one's origin. */
  readonly origin?: string;
  readonly pageSize: number;
  /** Worker threads hashing leaves read from PostgreSQL (default: defaultWorkers()); other stores are read on this thread. */
  readonly workers?: number;
  /** Checkpoints kept outside the store (witness copies), already opened; checked like stored ones. */
  readonly heldCheckpoints?: readonly VerifiedCheckpoint[];
  /** Called every `progressEvery` leaves. */
  readonly progressEvery?: number;
  readonly onProgress?: (leaves: number, expected: number | undefined) => void;
  /** Called when a root did not match over payloads hashed as stored, before the log is read again with every payload parsed. */
  readonly onReread?: (size: number) => void;
}

export interface VerifyLogReport {
  readonly leaves: number;
  readonly checkpoints: number;
  readonly heldCheckpoints: number;
  readonly latest?: VerifiedCheckpoint;
  readonly signers: readonly string[];
}

/** Throws AuditFailure naming the first divergence; returns what was verified otherwise. */
export async function verifyLog(store: EventStore, options: VerifyLogOptions): Promise<VerifyLogReport> {
  let mismatch: RootMismatch;
  try {
    return await verifyPass(store, options, 'as-stored');
  } catch (error) {
    if (!(error instanceof RootMismatch)) throw error;
    mismatch = error;
  }
  if (mismatch.splicedAsStored) {
    options.onReread?.(mismatch.to);
    try {
      return await verifyPass(store, options, 'exact');
    } catch (error) {
      if (!(error instanceof RootMismatch)) throw error;
      mismatch = error;
    }
  }
  throw (await changedPayload(auditEvents(store, options), mismatch.from, mismatch.to)) ?? mismatch.failure;
}

/** One streaming pass over the log; a root that does not match a checkpoint is thrown as RootMismatch. */
async function verifyPass(store: EventStore, options: VerifyLogOptions, payloads: PayloadReading): Promise<VerifyLogReport> {
  const frontier = new MerkleFrontier();
  const map = new StreamMap();
  const stored = storedCheckpoints(store, options);
  const held = [...(options.heldCheckpoints ?? [])].sort((a, b) => a.size - b.size);
  let heldIndex = 0;
  let next = await stored.next();
  let previous: VerifiedCheckpoint | undefined;
  /** The largest size at which the log is known to match a checkpoint: divergences lie after it. */
  let matchedSize = 0;
  let checkpoints = 0;
  /** Whether a v2 payload was hashed as stored, not shown canonical (only in an 'as-stored' pass). */
  let splicedAsStored = false;
  const signers = new Set<string>();

  const checkAt = (checkpoint: VerifiedCheckpoint) => {
    if (checkpoint.size !== frontier.size) return;
    if (!Buffer.from(frontier.root()).equals(Buffer.from(checkpoint.root))) {
      const size = checkpoint.size;
      const where =
        matchedSize > 0
          ? `the log still matches the checkpoint at size ${matchedSize}, so the divergence is among leaves ${matchedSize}..${size - 1}`
          : `the divergence is among leaves 0..${size - 1}`;
      throw new RootMismatch(
        matchedSize,
        size,
        splicedAsStored,
        new AuditFailure('root_mismatch', `root mismatch at size ${size}: leaves were changed, deleted or reordered before ${size} (${checkpoint.label}; ${where})`),
      );
    }
    const mapRoot = mapRootOf(checkpoint.extensions ?? []);
    if (mapRoot && !Buffer.from(map.rootHash()).equals(Buffer.from(mapRoot))) {
      throw new AuditFailure(
        'map_mismatch',
        `per-student map mismatch at size ${checkpoint.size}: the checkpoint's map line commits to ${Buffer.from(mapRoot).toString('base64')}, ` +
          `the log's leaves give ${Buffer.from(map.rootHash()).toString('base64')} (${checkpoint.label}): a student's count or latest leaf was misstated`,
      );
    }
    matchedSize = Math.max(matchedSize, checkpoint.size);
    checkpoint.verifiedBy.forEach((name) => signers.add(name));
  };

  /** Checks every checkpoint due at the frontier's current size. */
  const settle = async () => {
    for (;;) {
      if (!next.done && next.value.size === frontier.size) {
        checkAt(next.value);
        previous = next.value;
        checkpoints += 1;
        next = await stored.next();
        if (!next.done && next.value.size < previous.size) {
          throw new AuditFailure(
            'log_shrank',
            `${next.value.label} is at size ${next.value.size}, after ${previous.label} at size ${previous.size}: ` +
              'the log shrank, so the two are not consistent',
          );
        }
        continue;
      }
      const held1 = held[heldIndex];
      if (held1 !== undefined && held1.size === frontier.size) {
        checkAt(held1);
        heldIndex += 1;
        continue;
      }
      return;
    }
  };

  let after: GlobalPosition | undefined;
  const previousLeaves = new PreviousLeaves();
  const latest = await latestCheckpointEvent(store);
  const expected = latest && typeof (latest.data as { size?: unknown }).size === 'number' ? (latest.data as { size: number }).size : undefined;
  const progressEvery = options.progressEvery ?? 10_000;

  // Read to the end; if a checkpoint still waits for leaves, read again once from where the
  // first reading ended (a checkpoint read late may cover leaves appended meanwhile).
  for (let reading = 0; reading < 2; reading++) {
    const before = frontier.size;
    for await (const batch of leafBatches(store, options, payloads, { after, firstLeaf: frontier.size, previousLeaves, onPosition: (position) => (after = position) })) {
      splicedAsStored ||= batch.spliced;
      for (let i = 0; i < batch.streams.length; i++) {
        await settle();
        map.append(batch.streams[i]!, frontier.size);
        if (batch.failure?.at === i) throw batch.failure.error;
        frontier.append(batch.hashes.subarray(32 * i, 32 * i + 32));
        if (options.onProgress && frontier.size % progressEvery === 0) options.onProgress(frontier.size, expected);
      }
    }
    await settle();
    const waiting = !next.done ? next.value : held[heldIndex];
    if (waiting === undefined || frontier.size === before) break;
  }

  const waiting = !next.done ? next.value : held[heldIndex];
  if (waiting !== undefined) {
    throw new AuditFailure(
      'log_truncated',
      `log truncated: checkpoint at size ${waiting.size} but log has ${frontier.size} leaves (${waiting.label})`,
    );
  }
  if (checkpoints === 0) {
    throw new AuditFailure(
      'no_checkpoint',
      `no signed checkpoint in the store: the ${frontier.size} leaves match their recorded hashes, but nothing signed vouches for the log`,
    );
  }
  return { leaves: frontier.size, checkpoints, heldCheckpoints: held.length, latest: previous, signers: [...signers] };
}

/**
 * The leaves of a pass in log order from `read.firstLeaf` on: hashed in worker threads from
 * PostgreSQL's table when the store is one (parallel-leaves.ts), else read through the port and
 * hashed on this thread.
 */
function leafBatches(
  store: EventStore,
  options: VerifyLogOptions,
  payloads: PayloadReading,
  read: { after?: GlobalPosition; firstLeaf: number; previousLeaves: PreviousLeaves; onPosition: (position: GlobalPosition) => void },
): AsyncIterable<LeafBatch> {
  const postgresUrl = directPostgresUrl(store);
  if (postgresUrl) return readLeavesInParallel(postgresUrl, { ...read, workers: options.workers ?? defaultWorkers(), rowsPerBatch: options.pageSize, payloads });
  return leavesOnThisThread(readAuditEvents(store, { pageSize: options.pageSize, after: read.after, onPosition: read.onPosition }), read.firstLeaf, read.previousLeaves, payloads);
}

/** The audit events in log order, straight from PostgreSQL's table when the store is one (postgres-leaves.ts). */
function auditEvents(store: EventStore, options: VerifyLogOptions): AsyncIterable<StoredAuditEvent> {
  const readOptions = { pageSize: options.pageSize };
  const postgresUrl = directPostgresUrl(store);
  return postgresUrl ? readPostgresAuditEvents(postgresUrl, readOptions) : readAuditEvents(store, readOptions);
}

/**
 * A checkpoint's root differs from the recomputed one: the divergence lies among leaves from..to-1.
 * `splicedAsStored`: some v2 payload was hashed as stored, so the log may only have been stored otherwise than canonical.
 */
class RootMismatch extends Error {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly splicedAsStored: boolean,
    readonly failure: AuditFailure,
  ) {
    super(failure.message);
  }
}

/**
 * After a root mismatch among leaves from..to-1, a second read names the first of them whose
 * payload no longer matches the hash recorded when it was appended (a v2 event's dataHash; v1
 * leaves were already compared on the first pass). Only a failing log pays for this read.
 */
async function changedPayload(events: AsyncIterable<StoredAuditEvent>, from: number, to: number): Promise<AuditFailure | undefined> {
  let index = 0;
  for await (const event of events) {
    if (index >= to) break;
    const recorded = event.metadata.dataHash;
    if (index >= from && event.metadata.leafVersion === 2 && typeof recorded === 'string') {
      const actual = storedDataHash(event);
      if (actual !== recorded) {
        return new AuditFailure('leaf_hash_mismatch', `${describeLeaf(index, event)}: payload does not match its recorded hash (recorded data hash ${recorded}, recomputed ${actual})`);
      }
    }
    index += 1;
  }
  return undefined;
}

/** SHA-256 of a stored payload's canonical text (the stored text itself when it is canonical). */
function storedDataHash(event: StoredAuditEvent): string {
  try {
    if (event.dataText !== undefined && isCanonicalJsonText(event.dataText)) return createHash('sha256').update(event.dataText).digest('hex');
    return canonicalJsonHash(event.dataText !== undefined ? JSON.parse(event.dataText) : (event.data ?? null));
  } catch (error) {
    return `<cannot be hashed: ${(error as Error).message}>`;
  }
}

/** The stored checkpoints in order, opened; all for one origin. */
async function* storedCheckpoints(store: EventStore, options: VerifyLogOptions): AsyncGenerator<VerifiedCheckpoint> {
  let ordinal = 0;
  let origin = options.origin;
  for await (const event of readCheckpointEvents(store, options.pageSize)) {
    ordinal += 1;
    const checkpoint = openStoredCheckpoint(event, ordinal, options.key, origin);
    origin ??= checkpoint.origin;
    yield checkpoint;
  }
}
