import { DataSource } from 'typeorm';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { SqlEventStore } from '@silta/event-store/sql';
import { MessageHeaders } from '@silta/contracts';
import { createTestDatabase, eventually, killTestProcesses, readTopic, serviceKafkaEnv, startTsProcess, testKafka, uniqueName, type TestDatabase } from '@silta/testing';
import { ensureTopic, silentLogger } from '..';
import { ProcessedEventEntity } from '../consumer';
import { ledgerEvent, readLedger, translateLedger } from '../testing/ledger';
import { EventRelay } from './event-relay';
import { RelayStateEntity } from './relay-state';

const WORKER = 'libs/messaging/src/testing/worker.ts';

describe('event relay on the real broker and PostgreSQL', () => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let dataSource: DataSource;
  let kafka: Kafka;

  beforeAll(() => {
    // Every topic and group here is made up by the test: `admin`.
    kafka = testKafka('relay-test');
  });

  // A log of each test's own: a relay publishes the whole log, so another test's events would be in its count.
  beforeEach(async () => {
    database = await createTestDatabase();
    store = await SqlEventStore.connect({ type: 'postgres', url: database.url });
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [RelayStateEntity, ProcessedEventEntity], synchronize: true });
    await dataSource.initialize();
  });

  afterEach(async () => {
    await killTestProcesses();
    await store.close();
    await dataSource.destroy();
    await database.drop();
  });

  async function appendEntries(students: number, perStudent: number, from = 0): Promise<number> {
    for (let seq = from; seq < from + perStudent; seq++) {
      await Promise.all(
        Array.from({ length: students }, (_, s) => store.appendToStream(`ledger-${s}`, [ledgerEvent(`student-${s}`, seq)], 'any')),
      );
    }
    return students * perStudent;
  }

  it(
    'killed mid-stream and restarted, delivers every event at least once, in order per key, and consumers apply each once',
    async () => {
      const topic = uniqueName('silta.test.relay');
      const relayName = uniqueName('relay');
      const groupId = uniqueName('ledger-consumer');
      await ensureTopic(kafka, topic, 3);
      const env = { DATABASE_URL: database.url, ...serviceKafkaEnv('admin'), TOPIC: topic, RELAY_NAME: relayName, LEASE_MS: '1500', MAX_BATCH: '20' };

      const total = await appendEntries(10, 40);
      const first = startTsProcess(WORKER, { ...env, WORKER_MODE: 'relay' });
      await first.ready;
      const state = dataSource.getRepository(RelayStateEntity);
      await eventually(
        async () => Number((await state.findOneBy({ name: relayName }))?.checkpoint ?? 0) > 0,
        30_000,
        () => `the first relay published nothing:\n${first.output()}`,
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      const checkpointAtKill = Number((await state.findOneBy({ name: relayName }))!.checkpoint);
      expect(checkpointAtKill).toBeLessThan(total); // it really died mid-stream

      const consumer = startTsProcess(WORKER, { ...env, WORKER_MODE: 'consumer', GROUP_ID: groupId });
      const second = startTsProcess(WORKER, { ...env, WORKER_MODE: 'relay' });
      await Promise.all([consumer.ready, second.ready]);
      const more = await appendEntries(10, 10, 40); // written while the new instance is live
      const expected = total + more;

      const eventId = (m: KafkaMessage) => m.headers![MessageHeaders.eventId]!.toString();
      const messages = await readTopic(kafka, topic, (read) => new Set(read.map(eventId)).size >= expected, 60_000);
      const ids = messages.map(eventId);
      const all = (await store.readAll()).map((e) => e.id);
      expect(new Set(ids)).toEqual(new Set(all));
      expect(messages.length).toBeGreaterThanOrEqual(expected);

      // Per key, Kafka holds each student's entries in the order they were written (a re-sent
      // tail may repeat, but never goes backwards past what it repeats).
      const byStudent = new Map<string, number[]>();
      for (const m of messages) {
        const { studentId, seq } = JSON.parse(m.value!.toString());
        byStudent.set(studentId, [...(byStudent.get(studentId) ?? []), seq]);
      }
      for (const seqs of byStudent.values()) {
        const firstSeen = seqs.filter((seq, i) => seqs.indexOf(seq) === i);
        expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(50);
      }

      await eventually(async () => (await readLedger(dataSource)).length === expected, 60_000, () => consumer.output());
      const ledger = await readLedger(dataSource);
      expect(ledger.filter((row) => Number(row.applied) !== 1)).toEqual([]);

      second.child.kill('SIGTERM');
      consumer.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(await consumer.exited).toBe(0);
    },
    180_000,
  );

  it('keeps one relay active per service: a second instance waits and takes over when the first stops', async () => {
    const topic = uniqueName('silta.test.relay');
    const name = uniqueName('relay');
    await ensureTopic(kafka, topic, 1);
    const make = () =>
      new EventRelay({ name, topic, store, stateDataSource: dataSource, kafka, translate: translateLedger, logger: silentLogger, leaseMs: 1_000 });
    const [a, b] = [make(), make()];
    a.start();
    await eventually(async () => a.isActive, 10_000, () => 'first relay never became active');
    b.start();
    await appendEntries(2, 5, 1000);
    await eventually(async () => a.publishedCount >= 10, 20_000, () => `first relay published ${a.publishedCount}`);
    expect(b.isActive).toBe(false);
    expect(b.publishedCount).toBe(0);

    await a.stop();
    await appendEntries(2, 5, 2000);
    await eventually(async () => b.isActive && b.publishedCount >= 10, 20_000, () => `second relay published ${b.publishedCount}`);
    await b.stop();
    const ownEvents = (await store.readAll()).length;
    expect(a.publishedCount + b.publishedCount).toBeGreaterThanOrEqual(20);
    expect(ownEvents).toBeGreaterThan(0);
  }, 60_000);
});
