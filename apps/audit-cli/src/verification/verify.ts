/**
 * `silta-audit verify`: recomputes the whole audit log from the store and checks it against every
 * signed checkpoint, in one streaming pass. Memory holds one page of events, a Merkle frontier
 * (one hash per set bit of the size) and the next checkpoint, however long the log grows.
 *
 * Consistency between consecutive checkpoints follows from that pass: both roots are recomputed
 * from the same leaf sequence, so when each matches, the older tree is a prefix of the newer one
 * (RFC 9162 consistency) without a proof; a checkpoint that is smaller than the one before it is a
 * log that shrank and is reported as such.
 */
import type { EventStore, GlobalPosition } from '@silta/event-store';
import { MerkleFrontier } from '@silta/transparency';
import { describeLeaf, latestCheckpointEvent, readAuditEvents, readCheckpointEvents } from '../audit-log';
import { openStoredCheckpoint, type VerifiedCheckpoint } from '../checkpoints';
import { AuditFailure } from '../failures';
import { fastEventLeafHash, storedTextLeafHash } from './leaf-hash';
import { directPostgresUrl, readPostgresAuditEvents, type StoredAuditEvent } from './postgres-leaves';

export interface VerifyLogOptions {
  /** The party's verifier key (`name+hash+base64`). */
  readonly key: string;
  /** When given, every checkpoint must be for this log. Otherwise all must share the first one's origin. */
  readonly origin?: string;
  readonly pageSize: number;
  /** Checkpoints kept outside the store (witness copies), already opened; checked like stored ones. */
  readonly heldCheckpoints?: readonly VerifiedCheckpoint[];
  /** Called every `progressEvery` leaves. */
  readonly progressEvery?: number;
  readonly onProgress?: (leaves: number, expected: number | undefined) => void;
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
  const frontier = new MerkleFrontier();
  const stored = storedCheckpoints(store, options);
  const held = [...(options.heldCheckpoints ?? [])].sort((a, b) => a.size - b.size);
  let heldIndex = 0;
  let next = await stored.next();
  let previous: VerifiedCheckpoint | undefined;
  /** The largest size at which the log is known to match a checkpoint: divergences lie after it. */
  let matchedSize = 0;
  let checkpoints = 0;
  const signers = new Set<string>();

  const checkAt = (checkpoint: VerifiedCheckpoint) => {
    if (checkpoint.size !== frontier.size) return;
    if (!Buffer.from(frontier.root()).equals(Buffer.from(checkpoint.root))) {
      const size = checkpoint.size;
      const where =
        matchedSize > 0
          ? `the log still matches the checkpoint at size ${matchedSize}, so the divergence is among leaves ${matchedSize}..${size - 1}`
          : `the divergence is among leaves 0..${size - 1}`;
      throw new AuditFailure(
        'root_mismatch',
        `root mismatch at size ${size}: leaves were changed, deleted or reordered before ${size} (${checkpoint.label}; ${where})`,
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
  const latest = await latestCheckpointEvent(store);
  const expected = latest && typeof (latest.data as { size?: unknown }).size === 'number' ? (latest.data as { size: number }).size : undefined;
  const progressEvery = options.progressEvery ?? 10_000;

  // Read to the end; if a checkpoint still waits for leaves, read again once from where the
  // first pass ended (a checkpoint read late may cover leaves appended meanwhile).
  for (let pass = 0; pass < 2; pass++) {
    const before = frontier.size;
    const readOptions = { pageSize: options.pageSize, after, onPosition: (position: GlobalPosition) => (after = position) };
    const postgresUrl = directPostgresUrl(store);
    const events: AsyncIterable<StoredAuditEvent> = postgresUrl ? readPostgresAuditEvents(postgresUrl, readOptions) : readAuditEvents(store, readOptions);
    for await (const event of events) {
      await settle();
      frontier.append(checkedLeafHash(frontier.size, event));
      if (options.onProgress && frontier.size % progressEvery === 0) options.onProgress(frontier.size, expected);
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
 * Recomputes the leaf hash from type and data and compares it with the one recorded at append.
 *
 * A payload read as text is first hashed as stored: AuditLog.append stores canonical JSON text, and
 * when the text is shown canonical (isCanonicalJsonText) `{"data":<text>,"type":<type>}` is the leaf
 * data itself, which the exact path below would rebuild byte for byte after parsing; so a match with
 * the recorded hash is the exact path's verdict. Anything else (a log written before payloads were
 * stored canonically, integer-like member names, a tampered row) is parsed and takes the exact path,
 * so every verdict and message is the one the port-based read gives.
 */
export function checkedLeafHash(index: number, event: StoredAuditEvent): Uint8Array {
  const recorded = event.metadata.leafHash;
  if (typeof recorded !== 'string' || !/^[0-9a-f]{64}$/.test(recorded)) {
    throw new AuditFailure('missing_leaf_hash', `${describeLeaf(index, event)}: has no recorded leafHash (64 lower-case hex digits)`);
  }
  let data: unknown;
  if (event.dataText !== undefined) {
    const asStored = storedTextLeafHash(event.type, event.dataText);
    if (asStored === recorded) return new Uint8Array(Buffer.from(asStored, 'hex'));
    data = JSON.parse(event.dataText) as unknown;
  } else {
    data = event.data;
  }
  let actual: Uint8Array;
  try {
    actual = fastEventLeafHash({ type: event.type, data });
  } catch (error) {
    throw new AuditFailure('leaf_hash_mismatch', `${describeLeaf(index, event)}: payload cannot be hashed: ${(error as Error).message}`);
  }
  const actualHex = Buffer.from(actual).toString('hex');
  if (actualHex !== recorded) {
    throw new AuditFailure(
      'leaf_hash_mismatch',
      `${describeLeaf(index, event)}: payload does not match its recorded hash (recorded ${recorded}, recomputed ${actualHex})`,
    );
  }
  return actual;
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
