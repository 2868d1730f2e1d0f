/**
 * Benchmark 3: relay throughput from the event store to Kafka, against raw kafkajs.
 *
 * A fresh PostgreSQL event store is filled with N roster events (the roster service's own private
 * event shapes, on many student streams). Each run starts the product's EventRelay (as apps wire it
 * through relayProvider, with roster's own translation to public messages) on a fresh 6-partition
 * topic and times it from start until Kafka acknowledged all N messages; the checkpoint must then
 * be the last position and the topic must hold N messages. The baseline sends exactly the same
 * messages (key, value, headers) with a plain kafkajs producer with the same settings (idempotent,
 * acks=all, one request in flight) to another fresh topic, in batches of RAW_BATCH.
 *
 *   npm run bench:relay            (BENCH_QUICK=1 for a smoke run)
 */
import 'reflect-metadata';
import type { Message } from 'kafkajs';
import { DataSource } from 'typeorm';
import { SqlEventStore } from '@silta/event-store/sql';
import { EventRelay, RelayStateEntity, silentLogger, toKafkaMessage } from '@silta/messaging';
import { createTestDatabase, uniqueName } from '@silta/testing';
import { toPublicMessage } from '../apps/roster/src/relay/public-events';
import { ensureBroker, isQuick, sized } from './lib/infra';
import { benchKafka, deleteTopics, freshTopic, messagesOn } from './lib/kafka-bench';
import { machineInfo, median, metric, writeResult } from './lib/result';
import { EVENTS_PER_STUDENT, seedRosterEvents } from './lib/seed-roster';

// BENCH_RELAY_EVENTS / BENCH_RELAY_RUNS shrink a development run (e.g. under node --cpu-prof).
const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? sized(100_000, 2_000));
const RUNS = Number(process.env.BENCH_RELAY_RUNS ?? sized(5, 1));
const PARTITIONS = 6;
const RAW_BATCH = 1_000;
/** Issue 17: the relay at >= 0.85 of raw kafkajs on the same broker (was 0.7). */
const TARGET_RATIO = 0.85;

async function main(): Promise<void> {
  const brokers = await ensureBroker();
  const kafka = benchKafka(brokers, 'silta-bench-relay');
  const database = await createTestDatabase('silta_bench_relay');
  const topics: string[] = [];
  try {
    await seedRosterEvents(database.url, EVENTS);
    const store = await SqlEventStore.connect({ type: 'postgres', url: database.url });
    const stateDataSource = new DataSource({ type: 'postgres', url: database.url, entities: [RelayStateEntity], synchronize: true });
    await stateDataSource.initialize();

    // The baseline's messages: exactly what the relay publishes for each stored event.
    const stored = await store.readAll();
    const messages: Message[] = stored.map((event) => toKafkaMessage(event, toPublicMessage(event)!));
    const lastPosition = stored[stored.length - 1]!.position;
    if (messages.length !== EVENTS) throw new Error(`seeded ${messages.length} events, expected ${EVENTS}`);

    const relayRates: number[] = [];
    const rawRates: number[] = [];
    const checks: Array<Record<string, unknown>> = [];
    for (let run = 0; run < RUNS; run++) {
      // Alternate the order so neither side always runs on a warmer broker.
      const order = run % 2 === 0 ? (['relay', 'raw'] as const) : (['raw', 'relay'] as const);
      for (const side of order) {
        const topic = await freshTopic(kafka, side, PARTITIONS);
        topics.push(topic);
        if (side === 'relay') {
          const name = uniqueName('bench-relay');
          const relay = new EventRelay({ name, topic, store, stateDataSource, kafka, translate: toPublicMessage, logger: silentLogger });
          const started = process.hrtime.bigint();
          relay.start();
          while (relay.publishedCount < EVENTS) await sleep(2);
          const seconds = elapsed(started);
          await relay.stop();
          const [row] = await stateDataSource.query(`SELECT checkpoint FROM silta_relay_state WHERE name = $1`, [name]);
          const onTopic = await messagesOn(kafka, topic);
          checks.push({ run, side, published: relay.publishedCount, onTopic, checkpoint: row?.checkpoint, lastPosition: lastPosition.toString() });
          if (onTopic !== EVENTS || row?.checkpoint !== lastPosition.toString()) {
            throw new Error(`relay run ${run}: ${onTopic} messages on the topic, checkpoint ${row?.checkpoint}; expected ${EVENTS} and ${lastPosition}`);
          }
          relayRates.push(EVENTS / seconds);
        } else {
          const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
          const started = process.hrtime.bigint();
          await producer.connect();
          for (let i = 0; i < messages.length; i += RAW_BATCH) {
            await producer.send({ topic, messages: messages.slice(i, i + RAW_BATCH), acks: -1 });
          }
          const seconds = elapsed(started);
          await producer.disconnect();
          const onTopic = await messagesOn(kafka, topic);
          checks.push({ run, side, published: messages.length, onTopic });
          if (onTopic !== EVENTS) throw new Error(`raw run ${run}: ${onTopic} messages on the topic, expected ${EVENTS}`);
          rawRates.push(EVENTS / seconds);
        }
        process.stderr.write(`run ${run + 1}/${RUNS} ${side}: ${Math.round((side === 'relay' ? relayRates : rawRates).at(-1)!)} msgs/s\n`);
        await deleteTopics(kafka, [topics.pop()!]);
      }
    }
    await store.close();
    await stateDataSource.destroy();

    const throughput = metric('relay throughput', 'msgs/s', relayRates.map(Math.round), {
      baseline: { name: `raw kafkajs producer, batches of ${RAW_BATCH}`, runs: rawRates.map(Math.round) },
      target: { op: '>=', value: TARGET_RATIO * median(rawRates) },
    });
    const ratio = metric('relay / raw kafkajs', 'ratio', relayRates.map((r, i) => round(r / rawRates[i]!, 3)), { target: { op: '>=', value: TARGET_RATIO } });
    const file = writeResult({
      name: 'relay',
      title: 'Relay throughput: event store to Kafka vs raw kafkajs',
      command: 'npm run bench:relay',
      startedAt: startedAt.toISOString(),
      machine: machineInfo(),
      parameters: {
        quick: isQuick(),
        events: EVENTS,
        streams: EVENTS / EVENTS_PER_STUDENT,
        partitions: PARTITIONS,
        runs: RUNS,
        relayBatch: 1_000,
        rawBatch: RAW_BATCH,
        producer: 'idempotent, acks=all, maxInFlightRequests=1 (both sides)',
        checks,
      },
      metrics: [throughput, ratio],
      notes: [
        `Each run: the product's EventRelay (roster's translation, default batch of 1,000) publishes all ${EVENTS} stored events to a fresh ${PARTITIONS}-partition topic; timed from start() until Kafka acknowledged the last batch, producer connect and lease included. Checked: checkpoint = last position, topic high-water marks sum to ${EVENTS}.`,
        `Baseline in the same run: the same ${EVENTS} messages (same keys, values, headers) sent by one kafkajs producer with the same settings in batches of ${RAW_BATCH}, producer connect included; ratio per run pairs the relay with the baseline run next to it.`,
        `Median relay ${Math.round(median(relayRates))} msgs/s vs raw ${Math.round(median(rawRates))} msgs/s.`,
        'Profile (node --cpu-prof over a full run, before the fix): kafkajs message encoding (record batches, varints, murmur2 partitioning, buffers) and the garbage it makes are most of the CPU on both sides; the relay adds reading the store (pg rows, JSON.parse of data and metadata: about 2 % of samples), translation and one checkpoint UPDATE per batch. The relay read, published and checkpointed strictly in turn (ratio 0.45); it now reads the next pages while Kafka acknowledges the previous batch, which brought the ratio from 0.45 to 0.6-0.8 depending on the machine\'s load.',
        'What bounds it now: on a quiet machine (2026-11-28) the relay held at ~22-24k msgs/s while the raw producer reached ~35-39k, ratio ~0.62. Issue 17 (2026-12-02): a batch\'s checkpoint is now saved while the next batch is published (one PostgreSQL round trip per batch off the publishing path; at least once is unchanged: a checkpoint still names only acknowledged messages) and the default batch is 1,000, the raw baseline\'s. Development runs of 40,000 events at load average 8-16 on the 2 cores gave ratios from 0.33 to 1.09 for the same code, so no change could be told apart from the noise there. Process CPU per run (process.cpuUsage, same runs): relay ~2.0-2.4 s vs raw ~1.3-1.6 s per 40,000 messages, ~1.5x; a CPU profile (node --cpu-prof, relay and raw in one process) spreads the relay\'s extra over the pg row parser (~10 % of samples with its packet handling), garbage collection (~11 %), TypeORM\'s query runner (~2 %), decoding rows (toRecordedEvent ~1.4 %: JSON.parse, BigInt) and building messages (toKafkaMessage ~1.5 %): no single hot spot. Next step: decode rows and build messages in a worker thread reading ahead, or select data as text and skip the JSON round trip for events whose public form is their stored form.',
      ],
    });
    process.stdout.write(`${file}\n`);
  } finally {
    await deleteTopics(kafka, topics);
    await database.drop();
  }
}

const startedAt = new Date();

function elapsed(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench relay failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
