import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  excludeSystemEvents,
  type AppendResult as EsdbAppendResult,
  type ReadStreamOptions as EsdbReadStreamOptions,
} from '@eventstore/db-client';
import {
  IdempotencyConflictError,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeOptions,
  type Subscription,
} from '../port';
import {
  checkpointStart,
  classifyRetry,
  firstRevisionAfter,
  isAfterCheckpoint,
  isSystemEvent,
  toEsdbEvent,
  toEsdbExpectedRevision,
  toEsdbReadStreamOptions,
  toRecordedEvent,
  isMissingStream,
  toStoreError,
  type ErrorContext,
} from './esdb-mapping';
import { EsdbSubscription } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /**
   * How many of a stream's latest events an append with `any` searches for its event ids, and
   * how many events after the expected revision a rejected exact append searches. Defaults to 100.
   */
  readonly idempotencyWindow?: number;
  /** Optimistic attempts of an `any` append on a contended stream before it falls back to ESDB's `any`. */
  readonly anyAppendAttempts?: number;
}

/** A rejected exact append: the stream was not at the expected revision. */
interface Conflict {
  readonly actual: StreamRevision | 'no_stream';
}

/**
 * The event store on EventStoreDB through `@eventstore/db-client` 6.x. Needs EventStoreDB 22.6
 * or later (stream reads must report positions) and UUID event ids.
 *
 * Idempotency: ESDB itself recognises a retried append (same event ids) only when it carries an
 * exact expected revision or `no_stream`; with `any` it only consults a cache of recent writes.
 * So an `any` append first looks for its ids among the stream's latest events and then appends
 * at the exact revision it saw, retrying if another writer got in first; a retry is therefore
 * recognised as long as fewer than `idempotencyWindow` events were appended to the stream since.
 * Ids reused in another stream cannot be detected: ESDB has no index by event id.
 *
 * `repeated` is best-effort here: it is true when this adapter found the ids already in the
 * stream before appending (or after ESDB refused the append as a conflict). Two copies of one
 * append racing each other may both find nothing and both be answered `repeated: false`, as ESDB
 * accepts the second as idempotent without saying so.
 *
 * It has no appendWithProjection: EventStoreDB cannot write a read model's rows in the transaction
 * of an append, so callers write them after the append, as projections of the log.
 */
export class EsdbEventStore implements EventStore {
  private readonly idempotencyWindow: number;
  private readonly anyAppendAttempts: number;
  private readonly subscriptions = new Set<EsdbSubscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.idempotencyWindow = options.idempotencyWindow ?? 100;
    this.anyAppendAttempts = options.anyAppendAttempts ?? 10;
  }

  /** Connects lazily to the server named by an `esdb://` connection string. */
  static fromConnectionString(connectionString: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (new Set(events.map((e) => e.id.toLowerCase())).size !== events.length) {
      throw new RangeError('event ids in one append must be distinct');
    }
    try {
      if (expected === 'any') return await this.appendAny(streamId, events);
      // ESDB accepts a clean retry without saying so; look first, so the answer says it was repeated.
      const earlier = await this.findRetry(streamId, events, { direction: FORWARDS, fromRevision: firstRevisionAfter(expected) });
      if (earlier) return earlier;
      const outcome = await this.appendExact(streamId, events, expected);
      if (!isConflict(outcome)) return outcome;
      // ESDB answers a clean retry itself, but reports a partial one as a plain version conflict.
      const retried = await this.findRetry(
        streamId,
        events,
        { direction: FORWARDS, fromRevision: firstRevisionAfter(expected) },
      );
      if (retried) return retried;
      throw new WrongExpectedVersionError(streamId, expected, outcome.actual);
    } catch (error) {
      throw toStoreError(error, { streamId, expected });
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readEsdbStream(streamId, toEsdbReadStreamOptions(options), { streamId });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return events;
    // The server counts system events and the checkpoint event against its own maxCount, so the
    // limit is applied here while streaming.
    const read = this.client.readAll({ fromPosition: checkpointStart(options.after) });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (event === undefined || isSystemEvent(event)) continue;
        const recorded = toRecordedEvent(event);
        if (!isAfterCheckpoint(recorded.position, options.after)) continue;
        events.push(recorded);
        if (events.length >= maxCount) break;
      }
    } catch (error) {
      throw toStoreError(error);
    }
    // Leaving the loop early only destroys the local stream; end the server's read as well.
    if (events.length >= maxCount) await read.cancel().catch(() => undefined);
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const source = this.client.subscribeToAll(
      { fromPosition: checkpointStart(options.after), filter: excludeSystemEvents() },
      // The client has no read batch size; bound how many events it buffers ahead instead.
      options.batchSize !== undefined ? { highWaterMark: options.batchSize } : {},
    );
    const subscription: EsdbSubscription = new EsdbSubscription(source, options.after, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  /**
   * An `any` append made idempotent: look for the ids among the stream's latest events, then
   * append at the exact revision seen, so ESDB also recognises a retry racing with this one.
   * Losing the race to another writer means reading again; after `anyAppendAttempts` losses the
   * append goes through with ESDB's own `any`, which still dedupes against its recent-write cache.
   */
  private async appendAny(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    for (let attempt = 1; attempt <= this.anyAppendAttempts; attempt++) {
      const latest = await this.readWindow(streamId, { direction: BACKWARDS, fromRevision: END });
      const verdict = classifyRetry(latest, events);
      if (verdict.kind === 'retry') return resultOf(verdict.last, true);
      if (verdict.kind === 'conflict') throw new IdempotencyConflictError(streamId, verdict.ids);
      const outcome = await this.appendExact(streamId, events, latest[0]?.revision ?? 'no_stream');
      if (!isConflict(outcome)) return outcome;
    }
    const outcome = await this.appendExact(streamId, events, 'any');
    if (isConflict(outcome)) throw new WrongExpectedVersionError(streamId, 'any', outcome.actual);
    return outcome;
  }

  /** Appends with the client; a version conflict is returned, not thrown, for the caller to examine. */
  private async appendExact(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | Conflict> {
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEsdbEvent), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) return { actual: error.actualVersion };
      throw error;
    }
    // Only a client built with `throwOnAppendFailure: false` answers a conflict this way.
    if (!result.success) return { actual: await this.lastRevision(streamId) };
    // The append's own position answers a first write, but on a retry ESDB recognised as
    // idempotent it is not reliably that of the last event; read it back so both answers agree.
    const [last] = await this.readEsdbStream(
      streamId,
      { direction: FORWARDS, fromRevision: result.nextExpectedRevision, maxCount: 1 },
      { streamId },
    );
    if (last === undefined) throw new Error(`stream ${streamId} has no event at ${result.nextExpectedRevision} after appending it`);
    return resultOf(last, false);
  }

  /** Looks for the append's ids in a window of the stream; undefined if none were written before. */
  private async findRetry(
    streamId: string,
    events: readonly NewEvent[],
    window: Pick<EsdbReadStreamOptions, 'direction' | 'fromRevision'>,
  ): Promise<AppendResult | undefined> {
    const recorded = await this.readWindow(streamId, window);
    const verdict = classifyRetry(recorded, events);
    if (verdict.kind === 'conflict') throw new IdempotencyConflictError(streamId, verdict.ids);
    return verdict.kind === 'retry' ? resultOf(verdict.last, true) : undefined;
  }

  private async readWindow(
    streamId: string,
    window: Pick<EsdbReadStreamOptions, 'direction' | 'fromRevision'>,
  ): Promise<RecordedEvent[]> {
    return this.readEsdbStream(streamId, { ...window, maxCount: this.idempotencyWindow }, { streamId });
  }

  private async lastRevision(streamId: string): Promise<StreamRevision | 'no_stream'> {
    const [last] = await this.readWindow(streamId, { direction: BACKWARDS, fromRevision: END });
    return last?.revision ?? 'no_stream';
  }

  private async readEsdbStream(
    streamId: string,
    options: EsdbReadStreamOptions,
    context: ErrorContext,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event !== undefined) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      // The port reads a stream with no events as empty (its doc comment).
      if (isMissingStream(error)) return [];
      throw toStoreError(error, context);
    }
    return events;
  }
}

function isConflict(outcome: AppendResult | Conflict): outcome is Conflict {
  return 'actual' in outcome;
}

function resultOf(last: RecordedEvent, repeated: boolean): AppendResult {
  return { nextExpectedRevision: last.revision, position: last.position, repeated };
}
