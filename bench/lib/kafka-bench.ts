// Kafka helpers for the relay and scale-out benchmarks: fresh topics, their high-water marks, and
// the broker's own view of a consumer group.
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { ensureTopic } from '@silta/messaging';
import { testKafka } from '@silta/testing';

/**
 * A client for the benchmark's own topics and groups (fresh topics, their offsets, group views):
 * the broker's `admin` principal, as for tests; the apps run as their own principals (startStack).
 */
export function benchKafka(brokers: string, clientId: string): Kafka {
  return testKafka(clientId, 'admin', brokers);
}

/** A topic name no other run uses, created with `partitions` partitions. */
export async function freshTopic(kafka: Kafka, prefix: string, partitions: number): Promise<string> {
  const topic = `silta.bench.${prefix}-${randomUUID().slice(0, 8)}`;
  // A busy broker may not have elected the new partitions' leaders by the first metadata request.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopic(kafka, topic, partitions);
      return topic;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The sum over partitions of the topic's high-water mark: how many messages it holds. */
export async function messagesOn(kafka: Kafka, topic: string): Promise<number> {
  return withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0));
}

/** Deletes benchmark topics so repeated runs do not fill the broker's disk. */
export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  if (topics.length === 0) return;
  await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [...topics], timeout: 30_000 })).catch(() => undefined);
}

/** What the broker says about a group: its members and, per topic, committed offset vs high-water mark. */
export interface GroupView {
  readonly state: string;
  readonly members: number;
  /** Sum over partitions of (high-water mark - committed offset); -1 offsets count as 0 committed. */
  readonly lag: number;
  readonly committed: number;
  readonly highWater: number;
}

export async function groupView(admin: Admin, groupId: string, topics: readonly string[]): Promise<GroupView> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  let committed = 0;
  let highWater = 0;
  for (const topic of topics) {
    const [ends, offsets] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const byPartition = new Map(offsets[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    for (const end of ends) {
      highWater += Number(end.high);
      committed += Math.max(0, byPartition.get(end.partition) ?? 0);
    }
  }
  return { state: group?.state ?? 'Unknown', members: group?.members.length ?? 0, lag: highWater - committed, committed, highWater };
}
