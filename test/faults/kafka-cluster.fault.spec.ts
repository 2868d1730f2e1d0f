import type { Admin, Kafka, Producer } from 'kafkajs';
import { Topics } from '@silta/contracts';
import { ensureTopic } from '@silta/messaging';
import { clusterNodes, eventually, isrOf, killNode, leaderOf, pauseNode, readTopic, restartNodes, resumeNode, testKafka, uniqueName } from '@silta/testing';

/**
 * The local three-node cluster (issue 16) keeps Kafka's replication promises under kill -9:
 * Silta's topics live on three replicas with min.insync.replicas 2, an acknowledged acks=all write
 * survives the death of its partition's leader exactly once, the dead node comes back into the ISR,
 * and with two nodes down a write is refused rather than acknowledged.
 *   npm run test:faults -- test/faults/kafka-cluster
 */
describe('the local three-node Kafka cluster under kill -9', () => {
  let kafka: Kafka;
  let admin: Admin;
  const producers: Producer[] = [];

  beforeAll(async () => {
    await clusterNodes(); // refuses to run on a single broker
    kafka = testKafka('cluster-fault');
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.allSettled(producers.map((producer) => producer.disconnect()));
    await admin?.disconnect();
    for (const node of await clusterNodes()) if (node.pid !== undefined) await resumeNode(node.id);
    // The next fault test starts from a whole cluster.
    await restartNodes();
  }, 240_000);

  /** An idempotent acks=all producer that retries until the cluster answers (kafkajs's idempotence needs unlimited retries). */
  async function idempotentProducer(): Promise<Producer> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: Number.MAX_SAFE_INTEGER } });
    producers.push(producer);
    await producer.connect();
    return producer;
  }

  test("Silta's topics have three replicas and min.insync.replicas 2", async () => {
    const topics = Object.values(Topics);
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    for (const topic of metadata) {
      for (const partition of topic.partitions) expect({ topic: topic.name, replicas: partition.replicas.length }).toEqual({ topic: topic.name, replicas: 3 });
    }
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: 2 /* TOPIC */, name, configNames: ['min.insync.replicas'] })),
    });
    const minIsr = Object.fromEntries(resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue]));
    expect(minIsr).toEqual(Object.fromEntries(topics.map((topic) => [topic, '2'])));
  });

  test('every acknowledged message survives kill -9 of its leader exactly once, even a leader ahead of its followers; the node rejoins the ISR', async () => {
    const topic = uniqueName('cluster-fault');
    await ensureTopic(kafka, topic);
    const producer = await idempotentProducer();

    // One message per send, awaited, so "acknowledged" is exact per message.
    const acked = new Set<string>();
    const failed: string[] = [];
    let sent = 0;
    let producing = true;
    const load = (async () => {
      while (producing) {
        const value = String(sent++);
        try {
          await producer.send({ topic, acks: -1, messages: [{ value }] });
          acked.add(value);
        } catch {
          failed.push(value);
          // A send that fails at once must not spin the loop on microtasks and starve the timers.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    })();

    // The load stops however the test ends (a failed wait must not leave it sending).
    let killed = -1;
    let ackedAtKill = 0;
    let newLeader = -1;
    try {
      await eventually(async () => acked.size >= 50, 30_000, () => `only ${acked.size} of ${sent} sends acknowledged before the fault`);
      // The followers stall (SIGSTOP) while the leader takes further sends, then the leader dies: a
      // write the leader alone held must not have been acknowledged (acks=all waits for the ISR).
      killed = await leaderOf(kafka, topic);
      const followers = (await clusterNodes()).map((node) => node.id).filter((id) => id !== killed);
      for (const id of followers) await pauseNode(id);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // the leader alone takes sends for a second
      await killNode(killed);
      ackedAtKill = acked.size;
      for (const id of followers) await resumeNode(id);

      // A new leader, and writes acknowledged through it.
      await eventually(
        async () => {
          newLeader = await leaderOf(kafka, topic).catch(() => -1);
          return newLeader >= 0 && newLeader !== killed && acked.size >= ackedAtKill + 50;
        },
        90_000,
        () => `leader ${newLeader} after killing node ${killed}; ${acked.size - ackedAtKill} sends acknowledged since`,
      );
    } finally {
      producing = false;
    }
    await load;

    // Read back everything up to the high watermark (every committed message).
    const values = (await readTopic(kafka, topic, Number(await highWatermark(topic)), 60_000)).map((m) => m.value?.toString() ?? '');
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    const lost = [...acked].filter((value) => !counts.has(value));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([value]) => value);
    console.log(
      `leader kill: node ${killed} killed, node ${newLeader} leads; sent ${sent}, acknowledged ${acked.size} (${ackedAtKill} before the kill), ` +
        `failed ${failed.length}, read back ${values.length}, lost ${lost.length}, duplicated ${duplicated.length}`,
    );
    expect({ lost, duplicated }).toEqual({ lost: [], duplicated: [] });

    // The killed node comes back and catches up into the in-sync replicas.
    await restartNodes();
    let isr: number[] = [];
    await eventually(async () => (isr = await isrOf(kafka, topic)).length === 3, 90_000, () => `ISR ${isr.join(',')} without node ${killed}`);
    expect(isr).toContain(killed);
  }, 300_000);

  test('a write fewer than two replicas would hold is refused, not acknowledged (min.insync.replicas 2)', async () => {
    // Replicas placed by hand so the test knows which node stays up: node `lone` leads both topics.
    const [lone, first, second] = (await clusterNodes()).map((node) => node.id) as [number, number, number];
    const pair = uniqueName('cluster-fault-pair');
    const trio = uniqueName('cluster-fault-trio');
    await admin.createTopics({
      topics: [
        { topic: pair, replicaAssignment: [{ partition: 0, replicas: [lone, first] }] },
        { topic: trio, replicaAssignment: [{ partition: 0, replicas: [lone, first, second] }] },
      ],
    });
    const producer = await idempotentProducer();
    await eventually(async () => (await leaderOf(kafka, pair)) === lone && (await leaderOf(kafka, trio)) === lone, 60_000, () => `node ${lone} does not lead ${pair} and ${trio}`);
    for (const topic of [pair, trio]) await producer.send({ topic, acks: -1, messages: [{ value: 'all nodes up' }] });

    // One node down: the controller (two voters left) drops it from the ISR. The pair's partition is
    // left with one in-sync replica, the trio's with two.
    await killNode(first);
    await eventually(async () => (await isrOf(kafka, pair)).length === 1 && (await isrOf(kafka, trio)).length === 2, 60_000, () => `node ${first} still in an ISR`);
    const onePairReplica = await sendOnce(pair, 'one replica in sync');
    const twoTrioReplicas = await sendOnce(trio, 'two replicas in sync');

    // Two nodes down: the controller quorum is gone with them, so the trio's ISR cannot shrink;
    // the leader cannot reach min.insync.replicas and the write times out unacknowledged.
    const highBefore = await highWatermark(trio);
    await killNode(second);
    const oneTrioReplica = await sendOnce(trio, 'two nodes down');
    const highAfter = await highWatermark(trio);

    console.log(
      `node ${first} down: a write to ${pair} (1 in-sync replica) was ${onePairReplica}, to ${trio} (2 in-sync) ${twoTrioReplicas}; ` +
        `nodes ${first} and ${second} down: to ${trio} ${oneTrioReplica}, its high watermark ${highBefore} -> ${highAfter}`,
    );
    expect(onePairReplica).toBe('refused: NOT_ENOUGH_REPLICAS');
    expect(twoTrioReplicas).toBe('acknowledged');
    expect(oneTrioReplica).toMatch(/^refused/);
    expect(highAfter).toBe(highBefore); // nothing became readable
  }, 300_000);

  /** The offset after the last committed (readable) message of partition 0. */
  async function highWatermark(topic: string): Promise<string | undefined> {
    return (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 0)?.high;
  }

  /** One acks=all send with no retry: 'acknowledged', or 'refused: <the broker's error>'. */
  async function sendOnce(topic: string, value: string): Promise<string> {
    const once = kafka.producer({ retry: { retries: 0 } });
    producers.push(once);
    await once.connect();
    try {
      await once.send({ topic, acks: -1, timeout: 5_000, messages: [{ value }] });
      return 'acknowledged';
    } catch (error) {
      // kafkajs wraps the broker's error (type NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, ...) in a retry error.
      const cause = (error as { cause?: { type?: string } }).cause;
      return `refused: ${cause?.type ?? (error as { type?: string }).type ?? String(error)}`;
    } finally {
      await once.disconnect().catch(() => undefined);
    }
  }
});
