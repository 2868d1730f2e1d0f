import { Kafka, logLevel, type Admin, type LogEntry, type RetryOptions } from 'kafkajs';
import type { Logger } from './logger';

export interface KafkaConnection {
  /** Comma-separated host:port list. */
  readonly brokers: string;
  readonly clientId: string;
  readonly logger: Logger;
  /** Who the client is at the broker's SASL_SSL listener; Silta has no plaintext clients. */
  readonly security: KafkaSecurity;
}

/** A principal's SCRAM credentials and the CA that signed the broker's certificate. */
export interface KafkaSecurity {
  readonly mechanism: 'scram-sha-512' | 'scram-sha-256';
  readonly username: string;
  readonly password: string;
  /** PEM of the broker's CA; undefined trusts the system's CAs. Certificates are always verified. */
  readonly caPem?: string;
}

/**
 * How every Silta client retries a broker request, connection or consumer restart. kafkajs waits
 * initialRetryTime, then doubles (±20 %) up to maxRetryTime, and gives up after `retries`; a
 * consumer that gave up restarts after the last wait. With kafkajs's defaults that last wait grows
 * to ~25 s, which is how a withdrawal once took 30.9 s to apply after a broker outage. Capping each
 * wait at 2 s means a client is back within ~2 s of the broker returning, while 10 retries still
 * span ~14 s of broker absence (0.1+0.2+0.4+0.8+1.6+2×5 s) before an error surfaces to the caller,
 * whose own loop (relay, consumer supervisor) then tries again.
 */
export const KAFKA_RETRY: RetryOptions = { initialRetryTime: 100, maxRetryTime: 2_000, retries: 10 };

/** A kafkajs client whose own log lines (warnings and errors) go to the service's logger. */
export function createKafka({ brokers, clientId, logger, security }: KafkaConnection): Kafka {
  const { mechanism, username, password, caPem } = security;
  return new Kafka({
    clientId,
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
    ssl: caPem ? { ca: [caPem] } : true,
    // A fresh object per client: kafkajs mutates the one it is given (TRAPS.md).
    sasl: mechanism === 'scram-sha-512' ? { mechanism, username, password } : { mechanism, username, password },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const text = `kafkajs ${log.message}${log.error ? `: ${log.error}` : ''}`;
        if (level <= logLevel.ERROR) logger.error(text);
        else logger.warn(text);
      },
    retry: KAFKA_RETRY,
  });
}

export interface EnsureTopicsOptions {
  /** How long to wait for every partition to get a leader that serves it (default 60 s). */
  readonly leaderTimeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet, with the given partitions, and waits until every
 * partition of every topic has a leader that serves it, whether this call created the topics,
 * lost the creation race to another process, or found them existing. Right after creation a
 * fresh broker answers "This server does not host this topic-partition" for a moment; producing
 * or joining a group then fails. Throws, naming the topic, if leaders are still missing after
 * `leaderTimeoutMs`.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 1, options: EnsureTopicsOptions = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin
        .createTopics({ topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: -1 })), waitForLeaders: false })
        .catch(async (error: unknown) => {
          // Lost the race: another client created them first. Anything else is a real failure.
          const now = new Set(await admin.listTopics());
          if (!missing.every((t) => now.has(t))) throw error;
        });
    }
    await waitForLeaders(admin, topics, options.leaderTimeoutMs ?? 60_000);
  } finally {
    await admin.disconnect();
  }
}

/** Creates a topic with the given partitions if it does not exist yet, and waits for its leaders. */
export function ensureTopic(kafka: Kafka, topic: string, numPartitions = 1, options: EnsureTopicsOptions = {}): Promise<void> {
  return ensureTopics(kafka, [topic], numPartitions, options);
}

/**
 * Polls until every partition of every topic has a leader in the metadata and that leader answers
 * a ListOffsets request for it: a KRaft broker can publish the leader in its metadata a moment
 * before its replica manager hosts the partition. Backs off from 50 ms to 1 s between rounds.
 */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...topics];
  let lastError = '';
  let delay = 50;
  for (;;) {
    const still: string[] = [];
    for (const topic of pending) {
      const problem = await leaderProblem(admin, topic);
      if (problem) {
        still.push(topic);
        lastError = `${topic}: ${problem}`;
      }
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() + delay > deadline) {
      throw new Error(`topic ${pending.join(', ')} has no leader for every partition after ${Math.round(timeoutMs / 1000)} s (last: ${lastError})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1_000);
  }
}

/** Why a topic is not served yet, or undefined when every partition has a serving leader. */
async function leaderProblem(admin: Admin, topic: string): Promise<string | undefined> {
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions ?? [];
    if (partitions.length === 0) return 'no partitions in metadata yet';
    const leaderless = partitions.filter((p) => p.leader < 0).map((p) => p.partitionId);
    if (leaderless.length > 0) return `partitions ${leaderless.join(', ')} have no leader`;
    const offsets = await admin.fetchTopicOffsets(topic);
    if (offsets.length < partitions.length) return `offsets answered for ${offsets.length} of ${partitions.length} partitions`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
