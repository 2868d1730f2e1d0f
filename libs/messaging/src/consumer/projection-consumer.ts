import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { MessageHeaders, deadLetterTopicOf, type ContractRegistry } from '@silta/contracts';
import { ensureTopics } from '../kafka';
import type { Logger } from '../logger';
import { parseMessage, type IncomingMessage } from './incoming-message';
import { ProcessedEventEntity } from './processed-event';

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
  /** Commit offsets after this many applied messages within a batch, and always at its end. */
  readonly commitEvery?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Partitions of a subscribed topic this consumer creates if it is missing (default 6). */
  readonly topicPartitions?: number;
  /** Called when the consumer crashed beyond kafkajs's own restarts; by default the process exits. */
  readonly onFatal?: (error: Error) => void;
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Messages on the partition not yet committed by this group. */
  readonly lag: number;
}

/**
 * The base of every Silta consumer. Each message is validated against its contract; a message
 * that fails goes to the dead-letter topic with the reason and the consumer goes on. A valid one
 * is applied in one database transaction together with its processed-event marker, so a
 * redelivered message changes nothing; offsets are committed only after that transaction.
 */
export class ProjectionConsumer {
  private readonly consumer: Consumer;
  private readonly deadLetters: Producer;
  private admin: Admin | undefined;
  private applied = 0;
  private deadLettered = 0;
  private joins = 0;

  constructor(private readonly options: ProjectionConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: true,
    });
    this.deadLetters = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    const onFatal =
      options.onFatal ??
      ((error: Error) => {
        options.logger.error(`consumer ${options.groupId} crashed and will not restart: ${error.message}`, error.stack);
        process.exit(1);
      });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => void this.joins++);
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) onFatal(payload.error);
    });
  }

  /** Messages applied to the read model by this instance (duplicates excluded). */
  get appliedCount(): number {
    return this.applied;
  }

  /** Messages this instance sent to the dead-letter topic. */
  get deadLetteredCount(): number {
    return this.deadLettered;
  }

  /** How often this instance (re)joined its group: more than once means it was rebalanced. */
  get groupJoins(): number {
    return this.joins;
  }

  /** Joins the group and starts consuming from the committed offsets (from the start if none). */
  async start(): Promise<void> {
    await ensureTopics(this.options.kafka, this.options.topics, this.options.topicPartitions ?? 6);
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Finishes the message in hand, commits, leaves the group and disconnects. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
    await this.admin?.disconnect();
    this.admin = undefined;
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

  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const commitEvery = this.options.commitEvery ?? 100;
    let uncommitted: string | undefined;
    let sinceCommit = 0;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.process(batch.topic, batch.partition, message);
      resolveOffset(message.offset);
      uncommitted = message.offset;
      if (++sinceCommit >= commitEvery) {
        await this.commit(batch.topic, batch.partition, uncommitted);
        uncommitted = undefined;
        sinceCommit = 0;
      }
      // Long batches must keep the group session alive; kafkajs sends only when the interval is due.
      await heartbeat();
    }
    if (uncommitted !== undefined) await this.commit(batch.topic, batch.partition, uncommitted);
  }

  private async process(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const parsed = parseMessage(topic, partition, message, this.options.contracts);
    if (!parsed.ok) {
      await this.deadLetter(topic, partition, message, parsed.error);
      return;
    }
    const incoming = parsed.message;
    const consumer = this.options.groupId;
    const applied = await this.options.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(ProcessedEventEntity, { consumer, eventId: incoming.eventId })) return false;
      await this.options.handle(incoming, manager);
      await manager.insert(ProcessedEventEntity, { consumer, eventId: incoming.eventId, processedAt: new Date() });
      return true;
    });
    if (applied) this.applied++;
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: string): Promise<void> {
    const source = `${topic}/${partition}/${message.offset}`;
    this.options.logger.warn(`consumer ${this.options.groupId}: message ${source} dead-lettered: ${error}`);
    await this.deadLetters.send({
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

  /** A commit names the next offset to read, one past the last applied message. */
  private async commit(topic: string, partition: number, offset: string): Promise<void> {
    await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
  }
}
