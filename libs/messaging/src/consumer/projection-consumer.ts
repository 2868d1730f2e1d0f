import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { In, IsNull } from 'typeorm';
import { MessageHeaders, deadLetterTopicOf, type ContractRegistry } from '@silta/contracts';
import { KAFKA_RETRY, ensureTopics } from '../kafka';
import type { Logger } from '../logger';
import { ConsumerAlarmEntity, type ConsumerAlarmRow } from './consumer-alarm';
import { parseMessage, type IncomingMessage, type ParseFailure } from './incoming-message';
import { ProcessedEventEntity, type ProcessedEventRow } from './processed-event';
import { SpanKind } from '@opentelemetry/api';
import { carriedContext, inSpan, messagingTracer, traceHeaders } from '../trace-context';

/** Applies one validated message to the read model, inside the transaction it is given. */
export type ProjectionHandler = (message: IncomingMessage, manager: EntityManager) => Promise<void>;

export interface ProjectionConsumerOptions {
  /** Consumer group id; also names the processed-event markers. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly kafka: Kafka;
  /** The service's read-model database. */
  readonly dataSource: DataSource;
  readonly contracts: ContractRegistry;
  readonly handle: ProjectionHandler;
  readonly logger: Logger;
  /**
   * The most messages applied in one database transaction, followed by one offset commit
   * (default 100). A message that fails its contract ends a chunk early.
   */
  readonly commitEvery?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Partitions of a subscribed topic this consumer creates if it is missing (default 6). */
  readonly topicPartitions?: number;
  /**
   * Called when a message that would have narrowed access (its contract says `narrowsAccess`, or
   * its type or version is unknown) is dead-lettered, inside the transaction that records the
   * alarm: fail closed for `key` there. Called once per message (a redelivery finds the alarm).
   */
  readonly onNarrowingDeadLetter?: NarrowingDeadLetterHook;
  /** Pause before restarting after a failed start or a crash kafkajs gave up on: doubles from 500 ms up to this (default 3 s). */
  readonly maxRestartDelayMs?: number;
  /**
   * Called once per applied message with its share of its chunk's time (validation, handlers and
   * the one transaction, divided evenly by the messages the chunk applied), in seconds.
   */
  readonly onApplied?: (seconds: number) => void;
}

/** A dead-lettered message that would have narrowed access, as the hook sees it. */
export interface NarrowingDeadLetter {
  /** The message key: the student (or, for assignments, the school) whose access it concerns. */
  readonly key: string | undefined;
  /** The event type from the headers, if there was one. */
  readonly type: string | undefined;
  readonly reason: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export type NarrowingDeadLetterHook = (deadLetter: NarrowingDeadLetter, manager: EntityManager) => Promise<void>;

/**
 * Where a consumer stands: `starting` (connecting, creating topics, joining), `joined` (consuming),
 * `rejoining` (kafkajs restarts it after a broker or group error), `crashed` (kafkajs gave up; it is
 * restarted after a pause), `stopped`.
 */
export type ConsumerState = 'starting' | 'joined' | 'rejoining' | 'crashed' | 'stopped';

export interface ConsumerStatus {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly state: ConsumerState;
  readonly since: Date;
  readonly lastError: string | undefined;
}

/** An open alarm, as readiness reports it. */
export type OpenConsumerAlarm = Pick<ConsumerAlarmRow, 'topic' | 'partition' | 'offset' | 'messageKey' | 'eventType' | 'reason' | 'raisedAt'>;

/** A valid message of a chunk: as kafkajs delivered it, and as the handler sees it. */
interface ChunkMessage {
  readonly raw: KafkaMessage;
  readonly incoming: IncomingMessage;
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Messages on the partition not yet committed by this group. */
  readonly lag: number;
}

/**
 * The base of every Silta consumer. Each message is validated against its contract; a message
 * that fails goes to the dead-letter topic with the reason and the consumer goes on. Valid ones
 * are applied in chunks (up to commitEvery), each in one database transaction together with their
 * processed-event markers, so a redelivered message changes nothing; offsets are committed only
 * after that transaction. Handlers get the chunk's EntityManager: they see the writes of earlier
 * messages of the chunk, and must not catch their own database errors (a failed statement aborts
 * the whole transaction) nor write the read model through another connection.
 */
export class ProjectionConsumer {
  private consumer: Consumer | undefined;
  private deadLetters: Producer | undefined;
  private admin: Admin | undefined;
  private applied = 0;
  private deadLettered = 0;
  private alarms = 0;
  private joins = 0;
  private current: { state: ConsumerState; since: Date; lastError: string | undefined } = { state: 'stopped', since: new Date(), lastError: undefined };
  private supervisor: Promise<void> | undefined;
  private stopping = false;
  private signalStop: () => void = () => undefined;
  private stopSignal: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly joinedOnce: Promise<void>;
  private resolveJoinedOnce!: () => void;

  constructor(private readonly options: ProjectionConsumerOptions) {
    this.joinedOnce = new Promise((resolve) => (this.resolveJoinedOnce = resolve));
  }

  /** Messages applied to the read model by this instance (duplicates excluded). */
  get appliedCount(): number {
    return this.applied;
  }

  /** Messages this instance sent to the dead-letter topic. */
  get deadLetteredCount(): number {
    return this.deadLettered;
  }

  /** Alarms this instance raised for dead letters that would have narrowed access. */
  get alarmCount(): number {
    return this.alarms;
  }

  /** How often this instance (re)joined its group: more than once means it was rebalanced. */
  get groupJoins(): number {
    return this.joins;
  }

  /** Where the consumer stands now, with the last error it met. */
  get status(): ConsumerStatus {
    return { groupId: this.options.groupId, topics: this.options.topics, ...this.current };
  }

  /** Alarms of this consumer group not yet resolved by an operator, oldest first. */
  async openAlarms(): Promise<OpenConsumerAlarm[]> {
    return this.options.dataSource.getRepository(ConsumerAlarmEntity).find({
      where: { consumer: this.options.groupId, resolvedAt: IsNull() },
      order: { raisedAt: 'ASC' },
      select: ['topic', 'partition', 'offset', 'messageKey', 'eventType', 'reason', 'raisedAt'],
    });
  }

  /**
   * Starts consuming in the background: creates the topics, joins the group and consumes from the
   * committed offsets (from the start if none). A failed start, or a crash kafkajs does not restart
   * itself, is retried after a pause (500 ms doubling to maxRestartDelayMs) for as long as the
   * consumer is not stopped; `status` shows it meanwhile. The promise resolves when the consumer
   * first joined its group (or was stopped); nothing needs to wait for it.
   */
  start(): Promise<void> {
    if (!this.supervisor) {
      this.stopping = false;
      this.stopSignal = new Promise((resolve) => (this.signalStop = resolve));
      this.supervisor = this.supervise();
    }
    return this.joinedOnce;
  }

  /** Finishes the chunk in hand, commits, leaves the group and disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    this.wake?.();
    await this.supervisor;
    this.supervisor = undefined;
    await this.admin?.disconnect();
    this.admin = undefined;
    this.setState('stopped');
    this.resolveJoinedOnce();
  }

  private async supervise(): Promise<void> {
    const maxDelay = this.options.maxRestartDelayMs ?? 3_000;
    let delay = 500;
    while (!this.stopping) {
      this.setState('starting');
      const joinsBefore = this.joins;
      let crashed!: (error: Error) => void;
      const crash = new Promise<Error>((resolve) => (crashed = resolve));
      const attempt = this.connect(crashed).catch(crashed);
      const error = await Promise.race([crash, this.stopSignal.then(() => undefined)]);
      if (this.stopping || !error) {
        // A start still in progress (a broker that is down) gets a moment to settle before its clients are closed.
        await Promise.race([attempt, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        break;
      }
      const ran = this.joins > joinsBefore;
      if (ran) delay = 500; // it had joined: start the back-off afresh
      this.setState('crashed', error);
      this.options.logger.error(
        `consumer ${this.options.groupId} ${ran ? 'stopped consuming' : 'could not start'}, retrying in ${delay} ms: ${error.message}`,
        error.stack,
      );
      await this.disconnect();
      await this.pause(delay);
      delay = Math.min(delay * 2, maxDelay);
    }
    await this.disconnect();
  }

  /** One start: a fresh kafkajs consumer and dead-letter producer; `onCrash` is called if kafkajs gives up on it. */
  private async connect(onCrash: (error: Error) => void): Promise<void> {
    await ensureTopics(this.options.kafka, this.options.topics, this.options.topicPartitions ?? 6);
    const deadLetters = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    this.deadLetters = deadLetters;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: true,
      // kafkajs restarts a consumer after a retriable error, waiting its last back-off (at most
      // KAFKA_RETRY.maxRetryTime, 2 s); anything else is restarted by supervise().
      retry: { ...KAFKA_RETRY, restartOnFailure: async () => true },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joins++;
      this.setState('joined');
      this.resolveJoinedOnce();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) this.setState('rejoining', payload.error);
      else onCrash(payload.error);
    });
    await deadLetters.connect();
    await consumer.connect();
    if (this.stopping) return;
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private async disconnect(): Promise<void> {
    const [consumer, deadLetters] = [this.consumer, this.deadLetters];
    this.consumer = undefined;
    this.deadLetters = undefined;
    await consumer?.disconnect().catch(() => undefined);
    await deadLetters?.disconnect().catch(() => undefined);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private setState(state: ConsumerState, error?: Error): void {
    const lastError = error ? error.message : state === 'joined' ? undefined : this.current.lastError;
    if (state !== this.current.state || lastError !== this.current.lastError) this.current = { state, since: new Date(), lastError };
  }

  /** Lag per partition of every subscribed topic, from the broker's committed offsets. */
  async lag(): Promise<PartitionLag[]> {
    if (!this.admin) {
      this.admin = this.options.kafka.admin();
      await this.admin.connect();
    }
    const result: PartitionLag[] = [];
    for (const topic of this.options.topics) {
      const [ends, committed] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] }),
      ]);
      const committedByPartition = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      for (const end of ends) {
        const position = committedByPartition.get(end.partition) ?? -1;
        const from = position >= 0 ? position : Number(end.low);
        result.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
      }
    }
    return result;
  }

  /**
   * Walks a kafkajs batch in steps, each ending with one offset commit: a chunk of up to
   * commitEvery valid messages applied in one transaction, or one message that failed its
   * contract, dead-lettered. A chunk ends before such a message, so everything stays in order.
   */
  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const limit = Math.max(1, this.options.commitEvery ?? 100);
    const { topic, partition, messages } = batch;
    let next = 0;
    while (next < messages.length && isRunning() && !isStale()) {
      const chunk: ChunkMessage[] = [];
      let refused: ParseFailure | undefined;
      while (next < messages.length && chunk.length < limit) {
        const parsed = parseMessage(topic, partition, messages[next]!, this.options.contracts);
        if (!parsed.ok) {
          refused = chunk.length === 0 ? parsed : undefined; // a later chunk starts with it
          break;
        }
        chunk.push({ raw: messages[next]!, incoming: parsed.message });
        next++;
      }
      let last: KafkaMessage;
      if (chunk.length > 0) {
        await this.applyChunk(topic, chunk, heartbeat);
        last = chunk[chunk.length - 1]!.raw;
      } else {
        last = messages[next++]!;
        await this.deadLetter(topic, partition, last, refused!);
      }
      resolveOffset(last.offset);
      await this.commit(topic, partition, last.offset);
      // Long batches must keep the group session alive; kafkajs sends only when the interval is due.
      await heartbeat();
    }
  }

  /**
   * Applies a chunk of one partition's valid messages in one transaction: one query for the
   * events this group already applied, the handler for each of the rest in order (each in its
   * consumer span, seeing the earlier ones' writes), one insert of their markers. A handler's
   * error rolls the whole chunk back; its offsets are then not committed and kafkajs redelivers it.
   */
  private async applyChunk(topic: string, chunk: readonly ChunkMessage[], heartbeat: () => Promise<void>): Promise<void> {
    const consumer = this.options.groupId;
    const started = process.hrtime.bigint();
    const applied = await this.options.dataSource.transaction(async (manager) => {
      const ids = [...new Set(chunk.map((m) => m.incoming.eventId))];
      const done = await manager.find(ProcessedEventEntity, { select: { eventId: true }, where: { consumer, eventId: In(ids) } });
      const seen = new Set(done.map((row) => row.eventId));
      const markers: ProcessedEventRow[] = [];
      for (const { raw, incoming } of chunk) {
        if (seen.has(incoming.eventId)) continue; // applied before, or earlier in this chunk
        seen.add(incoming.eventId);
        const traceparent = await this.handleInSpan(topic, raw, incoming, manager);
        markers.push({ consumer, eventId: incoming.eventId, processedAt: new Date(), traceparent });
        await heartbeat();
      }
      if (markers.length > 0) await manager.insert(ProcessedEventEntity, markers);
      return markers.length;
    });
    this.applied += applied;
    if (applied > 0 && this.options.onApplied) {
      // The chunk's time (contract checks, handlers, one commit) shared evenly by the messages it applied.
      const each = Number(process.hrtime.bigint() - started) / 1e9 / applied;
      for (let i = 0; i < applied; i++) this.options.onApplied(each);
    }
  }

  /**
   * Runs the handler for one message. A message carrying a trace (the relay's publish span) is
   * applied in a consumer span of it, whose traceparent the marker keeps: a decision that waits
   * for this event continues the trace.
   */
  private async handleInSpan(topic: string, raw: KafkaMessage, incoming: IncomingMessage, manager: EntityManager): Promise<string | null> {
    const parent = carriedContext(raw.headers as Record<string, unknown> | undefined);
    if (!parent) {
      await this.options.handle(incoming, manager);
      return null;
    }
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.consumer.group.name': this.options.groupId,
      'silta.event.type': incoming.type,
    };
    const span = messagingTracer().startSpan(`${topic} process`, { kind: SpanKind.CONSUMER, attributes }, parent);
    await inSpan(span, () => this.options.handle(incoming, manager), parent);
    return traceHeaders(span).traceparent ?? null;
  }

  /**
   * Sends a message that failed its contract to the dead-letter topic. If it would have narrowed
   * access (or its type is unknown, so it might have), an alarm is recorded first, with the
   * fail-closed hook in the same transaction: the offset moves on only after both committed.
   */
  private async deadLetter(topic: string, partition: number, message: KafkaMessage, failure: ParseFailure): Promise<void> {
    const source = `${topic}/${partition}/${message.offset}`;
    const { error, type, schemaVersion } = failure;
    const contract = type !== undefined && schemaVersion !== undefined ? this.options.contracts.find(type, schemaVersion) : undefined;
    const narrowing = !contract || contract.narrowsAccess === true;
    if (narrowing) {
      const key = message.key?.toString('utf8');
      const raised = await this.raiseAlarm({ key, type, reason: error, topic, partition, offset: message.offset }, failure.eventId);
      if (raised) {
        this.alarms++;
        this.options.logger.error(
          `ALARM consumer ${this.options.groupId}: message ${source} (type ${type ?? 'unknown'}, key ${key ?? 'none'}) would have narrowed access and was dead-lettered: ${error}`,
        );
      }
    } else {
      this.options.logger.warn(`consumer ${this.options.groupId}: message ${source} dead-lettered: ${error}`);
    }
    await this.deadLetters!.send({
      topic: deadLetterTopicOf(topic, this.options.groupId),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            [MessageHeaders.deadLetterError]: error,
            [MessageHeaders.deadLetterSource]: source,
          },
        },
      ],
    });
    this.deadLettered++;
  }

  /** Records the alarm and runs the hook in one transaction; false if this message's alarm already exists (a redelivery). */
  private async raiseAlarm(deadLetter: NarrowingDeadLetter, eventId: string | undefined): Promise<boolean> {
    const id = { consumer: this.options.groupId, topic: deadLetter.topic, partition: deadLetter.partition, offset: deadLetter.offset };
    return this.options.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(ConsumerAlarmEntity, id)) return false;
      await manager.insert(ConsumerAlarmEntity, {
        ...id,
        messageKey: deadLetter.key ?? null,
        eventType: deadLetter.type ?? null,
        eventId: eventId ?? null,
        reason: deadLetter.reason,
        raisedAt: new Date(),
        resolvedAt: null,
      });
      await this.options.onNarrowingDeadLetter?.(deadLetter, manager);
      return true;
    });
  }

  /** A commit names the next offset to read, one past the last applied message. */
  private async commit(topic: string, partition: number, offset: string): Promise<void> {
    await this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
  }
}
