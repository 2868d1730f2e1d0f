import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { EventStore, GlobalPosition, RecordedEvent, Subscription } from '@silta/event-store/port';
import { MessageHeaders } from '@silta/contracts';
import { ensureTopics } from '../kafka';
import { carriedContext, messagingTracer, traceHeaders } from '../trace-context';
import type { Logger } from '../logger';
import { LeaseLostError, RelayState } from './relay-state';

/** What the service publishes for one of its events; `undefined` keeps a private event private. */
export interface OutgoingMessage {
  readonly key: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: unknown;
}

export interface EventRelayOptions {
  /** Names the relay's checkpoint and lease, e.g. `roster`. One active instance per name. */
  readonly name: string;
  readonly topic: string;
  readonly store: EventStore;
  /** The service's database, where the checkpoint and lease live. */
  readonly stateDataSource: DataSource;
  readonly kafka: Kafka;
  /** Translates a private event into its public message and key, or skips it. */
  readonly translate: (event: RecordedEvent) => OutgoingMessage | undefined;
  readonly logger: Logger;
  /** How long a lease lasts without renewal; a crashed instance's lease frees after this. */
  readonly leaseMs?: number;
  /** Pause before retrying after a failure (broker or database down). */
  readonly retryDelayMs?: number;
  readonly maxBatchSize?: number;
  /** Partitions the relay gives its topic if it has to create it (default 6). */
  readonly topicPartitions?: number;
}

/**
 * Where a relay stands: `starting`, `active` (holds the lease, connected to Kafka, publishing),
 * `standby` (another instance holds the lease), `retrying` (after a broker or database failure),
 * `stopped`.
 */
export type RelayPhase = 'starting' | 'active' | 'standby' | 'retrying' | 'stopped';

export interface RelayStatus {
  readonly name: string;
  readonly topic: string;
  readonly state: RelayPhase;
  readonly since: Date;
  readonly lastError: string | undefined;
}

/**
 * Publishes a service's events from its event store to its Kafka topic: the log is the outbox.
 * At least once: a batch's checkpoint is saved only after Kafka acknowledged it (acks=all,
 * idempotent producer), so a crash re-publishes at most the last unsaved batch, and consumers
 * drop the duplicates by event id. A lease in the service's database keeps one instance active;
 * the others wait for it to lapse.
 */
export class EventRelay {
  private readonly instanceId = randomUUID();
  private readonly state: RelayState;
  private readonly leaseMs: number;
  private readonly retryDelayMs: number;
  private readonly maxBatchSize: number;
  private producer: Producer | undefined;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeFromPause: (() => void) | undefined;
  private active = false;
  private published = 0;
  private lastPublishAt: Date | undefined;
  private current: { state: RelayPhase; since: Date; lastError: string | undefined } = { state: 'stopped', since: new Date(), lastError: undefined };

  constructor(private readonly options: EventRelayOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.maxBatchSize = options.maxBatchSize ?? 1_000;
    this.state = new RelayState(options.stateDataSource, options.name, this.instanceId, this.leaseMs);
  }

  /** True while this instance holds the lease and publishes. */
  get isActive(): boolean {
    return this.active;
  }

  /** Where the relay stands now, with the last error it met. */
  get status(): RelayStatus {
    return { name: this.options.name, topic: this.options.topic, ...this.current };
  }

  /** Messages this instance has had acknowledged by Kafka. */
  get publishedCount(): number {
    return this.published;
  }

  /** When this instance last saved a published batch, or became active (undefined while it never was). */
  get lastPublishedAt(): Date | undefined {
    return this.lastPublishAt;
  }

  /** The store position published so far, by whichever instance holds the lease (the shared checkpoint). */
  publishedPosition(): Promise<GlobalPosition | undefined> {
    return this.state.checkpoint();
  }

  /** Events in the store after the published position, counted up to `limit` (a relay far behind reads as `limit`). */
  async eventsBehind(limit: number): Promise<number> {
    const after = await this.state.checkpoint();
    return (await this.options.store.readAll({ after, maxCount: limit })).length;
  }

  /** Starts the relay loop in the background; resolves at once. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.setState('starting');
    this.running = this.loop();
  }

  /** Stops publishing, gives up the lease and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeFromPause?.();
    await this.subscription?.stop();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.state.tryAcquire())) {
          this.setState('standby');
          await this.pause(this.leaseMs / 3);
          continue;
        }
        this.active = true;
        this.options.logger.log(`relay ${this.options.name}: active, publishing to ${this.options.topic}`);
        await this.publishUntilStopped();
      } catch (error) {
        this.active = false;
        if (this.stopping) break;
        const reason = error instanceof LeaseLostError ? error.message : `failed, retrying: ${describe(error)}`;
        this.setState('retrying', describe(error));
        this.options.logger.warn(`relay ${this.options.name}: ${reason}`);
        await this.disconnectProducer();
        await this.pause(this.retryDelayMs);
      }
    }
    this.active = false;
    await this.disconnectProducer();
    await this.state.release().catch(() => undefined);
    this.setState('stopped');
  }

  private async publishUntilStopped(): Promise<void> {
    const producer = await this.connectProducer();
    this.setState('active');
    this.lastPublishAt = new Date();
    const after = await this.state.checkpoint();
    const subscription = this.options.store.subscribeToAll({ after, batchSize: this.maxBatchSize });
    this.subscription = subscription;
    const renewal = setInterval(() => void this.state.renew().catch(() => subscription.stop()), this.leaseMs / 3);
    // A batch's checkpoint is saved while the next batch is published: it needs only its own batch
    // acknowledged, and the saves stay in order. A failed save is thrown once that next batch is
    // acknowledged, before its own checkpoint is saved (at least once: it will be published again).
    let saving: Promise<void> | undefined;
    try {
      for await (const batch of batches(subscription, this.maxBatchSize)) {
        await this.publish(producer, batch);
        await saving;
        saving = this.state.saveCheckpoint(batch[batch.length - 1]!.position).then(() => {
          this.lastPublishAt = new Date();
        });
        saving.catch(() => undefined); // awaited (and thrown) at the next batch or the end
      }
      await saving;
      if (!this.stopping) throw new LeaseLostError(this.options.name);
    } finally {
      clearInterval(renewal);
      await subscription.stop();
    }
  }

  private async publish(producer: Producer, events: RecordedEvent[]): Promise<void> {
    const messages: Message[] = [];
    /** One producer span per message whose event carries a trace (trace-context.ts), ended when Kafka acknowledged it. */
    const spans: Span[] = [];
    for (const event of events) {
      const outgoing = this.options.translate(event);
      if (!outgoing) continue;
      const message = toKafkaMessage(event, outgoing);
      const parent = carriedContext(event.metadata);
      if (parent) {
        const span = messagingTracer().startSpan(
          `${this.options.topic} publish`,
          { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': this.options.topic, 'silta.event.type': outgoing.type } },
          parent,
        );
        Object.assign(message.headers!, traceHeaders(span));
        spans.push(span);
      }
      messages.push(message);
    }
    if (messages.length === 0) return;
    try {
      await producer.send({ topic: this.options.topic, messages, acks: -1 });
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
    this.published += messages.length;
  }

  private async connectProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    // Idempotent: broker-side de-duplication of the producer's own retries, which requires
    // acks=all and at most 5 requests in flight; 1 keeps per-partition order on retries too.
    await ensureTopics(this.options.kafka, [this.options.topic], this.options.topicPartitions ?? 6);
    const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async disconnectProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private setState(state: RelayPhase, error?: string): void {
    const lastError = error ?? (state === 'active' || state === 'standby' ? undefined : this.current.lastError);
    if (state !== this.current.state || lastError !== this.current.lastError) this.current = { state, since: new Date(), lastError };
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeFromPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The Kafka message for an event: the public payload as JSON, identity and lineage in headers. */
export function toKafkaMessage(event: RecordedEvent, outgoing: OutgoingMessage): Message {
  const headers: Record<string, string> = {
    [MessageHeaders.eventId]: event.id,
    [MessageHeaders.eventType]: outgoing.type,
    [MessageHeaders.schemaVersion]: String(outgoing.schemaVersion),
    [MessageHeaders.occurredAt]: event.recordedAt.toISOString(),
    [MessageHeaders.sourcePosition]: event.position.toString(),
  };
  const { correlationId, causationId } = event.metadata;
  if (typeof correlationId === 'string') headers[MessageHeaders.correlationId] = correlationId;
  if (typeof causationId === 'string') headers[MessageHeaders.causationId] = causationId;
  return { key: outgoing.key, value: JSON.stringify(outgoing.payload), headers };
}

/**
 * Groups a subscription into batches while reading ahead: a pump keeps pulling events from the
 * subscription (up to `readAhead` waiting) while the caller publishes the previous batch, so the
 * store is read while Kafka acknowledges. Each batch takes what is waiting, up to `maxSize`; after
 * waiting for an empty queue it gives the subscription one tick to deliver the rest of what it
 * already read (no artificial linger). Order is the subscription's; a subscription failure is
 * thrown after the events read before it.
 */
export async function* batches(events: AsyncIterable<RecordedEvent>, maxSize: number, readAhead = maxSize * 2): AsyncGenerator<RecordedEvent[]> {
  const queue: RecordedEvent[] = [];
  let ended = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wakeBatcher: (() => void) | undefined;
  let wakePump: (() => void) | undefined;
  const wake = (which: 'batcher' | 'pump') => {
    const resolve = which === 'batcher' ? wakeBatcher : wakePump;
    if (which === 'batcher') wakeBatcher = undefined;
    else wakePump = undefined;
    resolve?.();
  };
  void (async () => {
    try {
      for await (const event of events) {
        queue.push(event);
        wake('batcher');
        while (queue.length >= readAhead && !stopped) await new Promise<void>((resolve) => (wakePump = resolve));
        if (stopped) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      wake('batcher');
    }
  })();
  try {
    for (;;) {
      if (queue.length === 0 && !ended) {
        while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wakeBatcher = resolve));
        await nextTick();
      }
      if (queue.length === 0) {
        if (failure) throw failure.error;
        return;
      }
      const batch = queue.splice(0, maxSize);
      wake('pump');
      yield batch;
    }
  } finally {
    // The pump ends when the caller stops the subscription; it is not awaited here because a
    // caught-up subscription only returns once stopped.
    stopped = true;
    wake('pump');
  }
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
