import type { Kafka } from 'kafkajs';
import { testKafka, uniqueName } from '@silta/testing';
import { ensureTopics } from './kafka';

/**
 * Right after a topic is created its partitions have no serving leader for a moment. These tests
 * use a producer and an admin that never retry, so a single "This server does not host this
 * topic-partition" or "no leader" answer after ensureTopics returned fails them.
 */
describe('ensureTopics on the real broker', () => {
  let kafka: Kafka;

  beforeAll(() => {
    // The topics are made up by these tests: `admin`.
    kafka = testKafka('ensure-topics-test');
  });

  /** Produces to every partition of every topic and reads every partition's offsets, with no retries. */
  async function useAtOnce(topics: string[], partitions: number): Promise<void> {
    const producer = kafka.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
    const admin = kafka.admin({ retry: { retries: 0 } });
    await Promise.all([producer.connect(), admin.connect()]);
    try {
      for (const topic of topics) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: partitions }, (_, partition) => ({ partition, value: 'probe' })),
        });
        expect(await admin.fetchTopicOffsets(topic)).toHaveLength(partitions);
      }
    } finally {
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    }
  }

  it('returns only when every partition is served, when another client has just created the topics', async () => {
    for (let round = 0; round < 5; round++) {
      const topics = [1, 2, 3].map(() => uniqueName('silta.test.leaders'));
      // Another process won the creation race and did not wait for leaders.
      const other = kafka.admin();
      await other.connect();
      await other.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 6, replicationFactor: -1 })), waitForLeaders: false });
      await other.disconnect();

      await ensureTopics(kafka, topics, 6);
      await useAtOnce(topics, 6);
    }
  }, 120_000);

  it('returns only when every partition is served, when several clients race to create the topics', async () => {
    for (let round = 0; round < 5; round++) {
      const topics = [1, 2, 3].map(() => uniqueName('silta.test.race'));
      await Promise.all([ensureTopics(kafka, topics, 6), ensureTopics(kafka, topics, 6), ensureTopics(kafka, topics, 6)]);
      await useAtOnce(topics, 6);
    }
  }, 120_000);

  it('names the topic when its leaders do not appear within the bound', async () => {
    const topic = uniqueName('silta.test.never');
    // A creation that claims success but creates nothing: the topic never gets a leader.
    const pretending = testKafka('ensure-topics-test');
    const admin = pretending.admin.bind(pretending);
    pretending.admin = ((config?: Parameters<Kafka['admin']>[0]) => Object.assign(admin(config), { createTopics: async () => true })) as Kafka['admin'];
    await expect(ensureTopics(pretending, [topic], 1, { leaderTimeoutMs: 2_000 })).rejects.toThrow(`topic ${topic} has no leader`);
  }, 60_000);
});
