/**
 * The rules of an append that every adapter applies the same way, written once: when an append's
 * event ids make it a retry of an earlier append, what an expected revision allows, and how a
 * failure of the database or server is reported. Plain TypeScript, so they are tested without one.
 *
 * What stays per adapter, because it is not the same rule: how ids are looked up (SQL looks them
 * up across the whole log and exactly; EventStoreDB only within a window of one stream, and ignores
 * the case of its UUIDs), and which driver or client errors mean a version conflict or a caller's
 * mistake rather than an unavailable store (EventStoreDB checks expected revisions on the server
 * and names its own errors; SQL checks them itself, so every driver error is a failed database).
 */
import { EventStoreUnavailableError, WrongExpectedVersionError, type ExpectedRevision, type StreamRevision } from './port';

/** An event already stored, as far as the retry rule looks at it. */
export interface StoredPlace {
  readonly streamId: string;
  readonly revision: StreamRevision;
}

/** What the events already stored say about an append. */
export type RetryVerdict<Stored extends StoredPlace = StoredPlace> =
  | { readonly kind: 'new' }
  | { readonly kind: 'retry'; readonly last: Stored }
  | { readonly kind: 'conflict'; readonly ids: readonly string[] };

/**
 * Compares an append with what is stored under its ids: `found[i]` is the stored event carrying
 * `ids[i]`, if any. None stored: a new append. All stored in order at consecutive revisions (of
 * `streamId`, when the lookup can see other streams): a retry of that earlier append, answered with
 * its last event, and nothing is written. Any other overlap is a conflict naming the reused ids.
 */
export function classifyAppend<Stored extends StoredPlace>(
  ids: readonly string[],
  found: readonly (Stored | undefined)[],
  streamId?: string,
): RetryVerdict<Stored> {
  const reused = ids.filter((_, i) => found[i] !== undefined);
  if (reused.length === 0) return { kind: 'new' };
  const first = found[0];
  const retry =
    first !== undefined &&
    found.every((f, i) => f !== undefined && (streamId === undefined || f.streamId === streamId) && f.revision === first.revision + BigInt(i));
  return retry ? { kind: 'retry', last: found[found.length - 1]! } : { kind: 'conflict', ids: reused };
}

/**
 * The expected-revision rule, for an adapter that checks it itself: `current` is the revision of
 * the stream's last event, undefined when it has none. Throws WrongExpectedVersionError on a mismatch.
 */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, current: StreamRevision | undefined): void {
  if (expected === 'any') return;
  if (expected === 'no_stream') {
    if (current !== undefined) throw new WrongExpectedVersionError(streamId, expected, current);
    return;
  }
  if (current !== expected) throw new WrongExpectedVersionError(streamId, expected, current ?? 'no_stream');
}

/** The revision the next event of a stream gets, after its last one (or 'no_stream'). */
export function firstRevisionAfter(last: 'no_stream' | StreamRevision): StreamRevision {
  return last === 'no_stream' ? 0n : last + 1n;
}

/** The database or server failed: callers fail closed. `store` names it in the message. */
export function storeUnavailable(store: string, cause: unknown, message = cause instanceof Error ? cause.message : String(cause)): EventStoreUnavailableError {
  return new EventStoreUnavailableError(`${store} failed: ${message}`, { cause });
}
