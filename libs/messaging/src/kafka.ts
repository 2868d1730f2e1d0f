import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger';

export interface KafkaConnection {
  /** Comma-separated host:port list. */
  readonly brokers: string;
  readonly clientId: string;
  readonly logger: Logger;
}

/** A kafkajs client whose own log lines (warnings and errors) go to the service's logger. */
export function createKafka({ brokers, clientId, logger }: KafkaConnection): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const text = `kafkajs ${log.message}${log.error ? `: ${log.error}` : ''}`;
        if (level <= logLevel.ERROR) logger.error(text);
        else logger.warn(text);
      },
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

/**
 * Creates the topics that do not exist yet, with the given partitions, and waits for their
 * leaders. Safe to race: another process creating the same topic first is fine.
 */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin
      .createTopics({ topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: -1 })), waitForLeaders: true })
      .catch(async (error: unknown) => {
        const now = new Set(await admin.listTopics());
        if (!missing.every((t) => now.has(t))) throw error;
      });
    await admin.fetchTopicMetadata({ topics: [...topics] });
  } finally {
    await admin.disconnect();
  }
}

/** Creates a topic with the given partitions if it does not exist yet. */
export function ensureTopic(kafka: Kafka, topic: string, numPartitions = 1): Promise<void> {
  return ensureTopics(kafka, [topic], numPartitions);
}
