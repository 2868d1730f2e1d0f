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

/** Creates a topic with the given partitions if it does not exist yet. */
export async function ensureTopic(kafka: Kafka, topic: string, numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: -1 }], waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
}
