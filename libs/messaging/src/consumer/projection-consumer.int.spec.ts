import { DataSource } from 'typeorm';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ContractRegistry, ConsentGrantedV1, ConsentWithdrawnV1, MessageHeaders, consentContracts, deadLetterTopicOf } from '@silta/contracts';
import {
  createTestDatabase,
  eventually,
  killTestProcesses,
  readTopic,
  startTsProcess,
  TcpProxy,
  serviceKafkaEnv,
  testBrokers,
  testKafka,
  uniqueName,
  type TestDatabase,
} from '@silta/testing';
import { ensureTopic, silentLogger } from '..';

import { applyLedgerEntry, createLedgerTable, ledgerContracts, ledgerMessage, readLedger } from '../testing/ledger';
import { ConsumerAlarmEntity } from './consumer-alarm';
import { ProcessedEventEntity } from './processed-event';
import { ProjectionConsumer, type NarrowingDeadLetter, type ProjectionHandler } from './projection-consumer';

const WORKER = 'libs/messaging/src/testing/worker.ts';

describe('projection consumer on the real broker and PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let kafka: Kafka;
  let producer: Producer;
  const consumers: ProjectionConsumer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [ProcessedEventEntity, ConsumerAlarmEntity], synchronize: true });
    await dataSource.initialize();
    await createLedgerTable(dataSource);
    // Every topic and group here is made up by the test: `admin`.
    kafka = testKafka('consumer-test');
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await killTestProcesses();
    await Promise.all(consumers.map((c) => c.stop().catch(() => undefined)));
    await producer.disconnect();
    await dataSource.destroy();
    await database.drop();
  });

  async function ledgerFor(studentId: string) {
    return (await readLedger(dataSource)).filter((row) => row.student_id === studentId);
  }

  function consumer(topic: string, groupId: string, handle: ProjectionHandler = applyLedgerEntry, extra = {}): ProjectionConsumer {
    const c = new ProjectionConsumer({
      groupId,
      topics: [topic],
      kafka,
      dataSource,
      contracts: ledgerContracts,
      handle,
      logger: silentLogger,
      ...extra,
    });
    consumers.push(c);
    return c;
  }

  it('sends a poison message to the dead-letter topic with the reason, and applies the next good one', async () => {
    const topic = uniqueName('silta.test.poison');
    const groupId = uniqueName('poison-consumer');
    const student = uniqueName('student');
    await ensureTopic(kafka, topic, 1);
    const missingId = ledgerMessage(student, 99);
    delete (missingId.headers as Record<string, unknown>)[MessageHeaders.eventId];
    await producer.send({
      topic,
      acks: -1,
      messages: [
        ledgerMessage(student, 1),
        { ...ledgerMessage(student, 2), value: '{"studentId": "broken' },
        { ...ledgerMessage(student, 3), value: JSON.stringify({ studentId: student, seq: -3, extra: true }) },
        missingId,
        ledgerMessage(student, 4),
      ],
    });

    const c = consumer(topic, groupId);
    await c.start();
    await eventually(async () => (await ledgerFor(student)).length === 2, 30_000, () => 'good messages were not applied');

    expect((await ledgerFor(student)).map((row) => row.seq).sort()).toEqual([1, 4]);
    const dead = await readTopic(kafka, deadLetterTopicOf(topic, groupId), 3);
    const reasons = dead.map((m: KafkaMessage) => m.headers![MessageHeaders.deadLetterError]!.toString());
    expect(reasons[0]).toMatch(/body is not JSON/);
    expect(reasons[1]).toMatch(/seq: .*>=0|seq/);
    expect(reasons[1]).toMatch(/extra/);
    expect(reasons[2]).toMatch(`missing header ${MessageHeaders.eventId}`);
    expect(dead.map((m) => m.headers![MessageHeaders.deadLetterSource]!.toString())).toEqual([1, 2, 3].map((o) => `${topic}/0/${o}`));
    expect(c.deadLetteredCount).toBe(3);
    // A ledger entry never narrows access: dead letters without alarms.
    expect(c.alarmCount).toBe(0);
    expect(await c.openAlarms()).toEqual([]);
    await eventually(async () => (await c.lag()).every((p) => p.lag === 0), 10_000, () => 'offsets were not committed');
  });

  it('raises an alarm, in the fail-closed hook\'s transaction, for a dead letter that would have narrowed access or whose type is unknown', async () => {
    const topic = uniqueName('silta.test.narrowing');
    const groupId = uniqueName('narrowing-consumer');
    const student = uniqueName('student');
    const longId = 'x'.repeat(250);
    const at = new Date().toISOString();
    const message = (type: string, payload: unknown, key = student) => ({
      key,
      value: JSON.stringify(payload),
      headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: type, [MessageHeaders.schemaVersion]: '1' },
    });
    const grant = {
      consentId: 'c-1', version: 1, studentId: student, grantedBy: { kind: 'guardian', id: 'g-1' }, categories: ['absences'],
      recipient: { welfareAreaId: 'wa-1' }, purpose: 'p', validFrom: at, grantedAt: at,
    };
    await ensureTopic(kafka, topic, 1);
    await producer.send({
      topic,
      acks: -1,
      messages: [
        message(ConsentWithdrawnV1.type, { consentId: longId, version: 2, studentId: student, at }), // narrowing, fails its contract
        message(ConsentGrantedV1.type, { ...grant, consentId: longId }), // widening, fails its contract
        message('ConsentRevokedSomehow', { studentId: student }), // a type this consumer does not know
        message(ConsentWithdrawnV1.type, { consentId: 'c-1', version: 2, studentId: student, at }), // valid
      ],
    });

    const hooked: NarrowingDeadLetter[] = [];
    const applied: string[] = [];
    const c = new ProjectionConsumer({
      groupId,
      topics: [topic],
      kafka,
      dataSource,
      contracts: new ContractRegistry([...consentContracts]),
      handle: async (m) => void applied.push(m.type),
      logger: silentLogger,
      onNarrowingDeadLetter: async (deadLetter, manager) => {
        // Runs inside the alarm's transaction: the alarm row is visible to it.
        expect(await manager.countBy(ConsumerAlarmEntity, { consumer: groupId, offset: deadLetter.offset })).toBe(1);
        hooked.push(deadLetter);
      },
    });
    consumers.push(c);
    await c.start();
    await eventually(async () => applied.length === 1, 30_000, () => 'the valid withdrawal was not applied');

    expect(c.deadLetteredCount).toBe(3);
    expect(hooked.map(({ key, type, offset }) => ({ key, type, offset }))).toEqual([
      { key: student, type: ConsentWithdrawnV1.type, offset: '0' },
      { key: student, type: 'ConsentRevokedSomehow', offset: '2' },
    ]);
    expect(hooked[0]!.reason).toMatch(/consentId/);
    const open = await c.openAlarms();
    expect(open.map((a) => ({ offset: a.offset, key: a.messageKey, type: a.eventType }))).toEqual([
      { offset: '0', key: student, type: ConsentWithdrawnV1.type },
      { offset: '2', key: student, type: 'ConsentRevokedSomehow' },
    ]);
    expect(open[1]!.reason).toMatch(/no contract for ConsentRevokedSomehow/);
    const dead = await readTopic(kafka, deadLetterTopicOf(topic, groupId), 3);
    expect(dead.map((m) => m.headers![MessageHeaders.deadLetterSource]!.toString())).toEqual([0, 1, 2].map((o) => `${topic}/0/${o}`));

    // An operator resolves them; the consumer is then without open alarms.
    await dataSource.getRepository(ConsumerAlarmEntity).update({ consumer: groupId }, { resolvedAt: new Date() });
    expect(await c.openAlarms()).toEqual([]);
  });

  it('starts while the broker is unreachable, reports why, and joins once it is there', async () => {
    const proxy = await TcpProxy.to(testBrokers()).start();
    proxy.cut();
    const topic = uniqueName('silta.test.late-broker');
    const student = uniqueName('student');
    await ensureTopic(kafka, topic, 1);
    await producer.send({ topic, acks: -1, messages: [ledgerMessage(student, 1)] });
    const late = testKafka('late-consumer-test', 'admin', `127.0.0.1:${proxy.port}`);
    const c = new ProjectionConsumer({
      groupId: uniqueName('late-consumer'),
      topics: [topic],
      kafka: late,
      dataSource,
      contracts: ledgerContracts,
      handle: applyLedgerEntry,
      logger: silentLogger,
    });
    consumers.push(c);
    const joined = c.start();
    try {
      await eventually(async () => c.status.lastError !== undefined, 30_000, () => `no error reported: ${JSON.stringify(c.status)}`);
      expect(c.status.state).not.toBe('joined');
      proxy.restore();
      await joined;
      expect(c.status).toMatchObject({ state: 'joined', lastError: undefined });
      await eventually(async () => (await ledgerFor(student)).length === 1, 30_000, () => 'nothing applied after the broker came');
    } finally {
      await c.stop();
      await proxy.close();
    }
  }, 90_000);

  it('applies an event once when a batch holds it twice, and applies nothing again when the whole batch is redelivered', async () => {
    const topic = uniqueName('silta.test.redelivery');
    const groupId = uniqueName('redelivery-consumer');
    const student = uniqueName('student');
    await ensureTopic(kafka, topic, 1);
    const twice = ledgerMessage(student, 7);
    // One send, one partition: the three arrive in one batch and are applied in one chunk.
    await producer.send({ topic, acks: -1, messages: [twice, ledgerMessage(student, 8), twice] });
    const first = consumer(topic, groupId);
    await first.start();
    await eventually(async () => (await first.lag()).every((p) => p.lag === 0), 30_000, () => 'offsets were not committed');
    expect((await ledgerFor(student)).map((row) => [row.seq, Number(row.applied)]).sort()).toEqual([[7, 1], [8, 1]]);
    expect(first.appliedCount).toBe(2);
    await first.stop();

    // The group's offsets go back to the start: the same batch comes again, to a fresh instance.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.resetOffsets({ groupId, topic, earliest: true });
    } finally {
      await admin.disconnect();
    }
    await producer.send({ topic, acks: -1, messages: [ledgerMessage(student, 9)] });
    const second = consumer(topic, groupId);
    await second.start();
    await eventually(async () => (await ledgerFor(student)).length === 3, 30_000, () => 'the message after the redelivered batch was not applied');
    await eventually(async () => (await second.lag()).every((p) => p.lag === 0), 10_000, () => 'offsets were not committed');
    expect((await ledgerFor(student)).map((row) => [row.seq, Number(row.applied)]).sort()).toEqual([[7, 1], [8, 1], [9, 1]]);
    expect(second.appliedCount).toBe(1);
  });

  it('rolls back the whole chunk and commits no offset when a handler fails mid-batch, then applies each event once after it recovers', async () => {
    const topic = uniqueName('silta.test.failing');
    const student = uniqueName('student');
    await ensureTopic(kafka, topic, 1);
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, seq) => ledgerMessage(student, seq)) });
    let failing = true;
    let failures = 0;
    // Writes its entry first, so the failing message's own write must be rolled back too.
    const failsOnSixth: ProjectionHandler = async (message, manager) => {
      await applyLedgerEntry(message, manager);
      if (failing && (message.payload as { seq: number }).seq === 5) {
        failures++;
        throw new Error('the read model refused the sixth entry');
      }
    };
    const c = consumer(topic, uniqueName('failing-consumer'), failsOnSixth, { maxRestartDelayMs: 500 });
    await c.start();
    // Failed, and was handed the batch again (redelivered), at least once.
    await eventually(async () => failures >= 2, 30_000, () => `the handler failed ${failures} time(s)`);
    expect(await ledgerFor(student)).toEqual([]);
    expect((await c.lag()).map((p) => p.lag)).toEqual([10]);
    expect(c.appliedCount).toBe(0);

    failing = false;
    await eventually(async () => (await ledgerFor(student)).length === 10, 30_000, () => 'the batch was not applied after the handler recovered');
    await eventually(async () => (await c.lag()).every((p) => p.lag === 0), 10_000, () => 'offsets were not committed');
    expect((await ledgerFor(student)).filter((row) => Number(row.applied) !== 1)).toEqual([]);
    expect(c.appliedCount).toBe(10);
  }, 60_000);

  it('dead-letters a poison message in the middle of a batch and applies the messages on both sides of it, in chunks', async () => {
    const topic = uniqueName('silta.test.poison-mid');
    const groupId = uniqueName('poison-mid-consumer');
    const student = uniqueName('student');
    await ensureTopic(kafka, topic, 1);
    const good = (seq: number) => ledgerMessage(student, seq);
    await producer.send({
      topic,
      acks: -1,
      messages: [good(0), good(1), good(2), { ...good(3), value: JSON.stringify({ studentId: student, seq: 'three' }) }, good(4), good(5)],
    });
    const order: number[] = [];
    const recording: ProjectionHandler = async (message, manager) => {
      order.push((message.payload as { seq: number }).seq);
      await applyLedgerEntry(message, manager);
    };
    // Chunks of two: [0, 1], [2] (ended by the poison message), the poison message alone, [4, 5].
    const c = consumer(topic, groupId, recording, { commitEvery: 2 });
    await c.start();
    await eventually(async () => (await c.lag()).every((p) => p.lag === 0), 30_000, () => 'offsets were not committed past the batch');
    expect(order).toEqual([0, 1, 2, 4, 5]);
    expect((await ledgerFor(student)).map((row) => [row.seq, Number(row.applied)]).sort()).toEqual([[0, 1], [1, 1], [2, 1], [4, 1], [5, 1]]);
    const [dead] = await readTopic(kafka, deadLetterTopicOf(topic, groupId), 1);
    expect(dead!.headers![MessageHeaders.deadLetterSource]!.toString()).toBe(`${topic}/0/3`);
    expect(c.deadLetteredCount).toBe(1);
    expect(c.appliedCount).toBe(5);
  });

  it(
    'stopped by SIGTERM while events are produced, catches up exactly once after restart, and reports its lag',
    async () => {
      const topic = uniqueName('silta.test.catchup');
      const groupId = uniqueName('catchup-consumer');
      const student = uniqueName('student');
      await ensureTopic(kafka, topic, 3);
      const env = { DATABASE_URL: database.url, ...serviceKafkaEnv('admin'), TOPIC: topic, GROUP_ID: groupId, WORKER_MODE: 'consumer' };
      const send = (from: number, count: number) =>
        producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ledgerMessage(`${student}-${i % 5}`, from + i)) });
      const applied = async () => (await readLedger(dataSource)).filter((row) => row.student_id.startsWith(student));

      const first = startTsProcess(WORKER, env);
      await first.ready;
      await send(0, 60);
      await eventually(async () => (await applied()).length === 60, 30_000, () => first.output());
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      await send(60, 90);
      const observer = consumer(topic, groupId); // never started: only reads the group's lag
      await eventually(
        async () => (await observer.lag()).reduce((sum, p) => sum + p.lag, 0) === 90,
        10_000,
        () => 'lag did not show the 90 unconsumed messages',
      );

      const second = startTsProcess(WORKER, env);
      await second.ready;
      await eventually(async () => (await applied()).length === 150, 30_000, () => second.output());
      const rows = await applied();
      expect(rows.filter((row) => Number(row.applied) !== 1)).toEqual([]);
      await eventually(async () => (await observer.lag()).every((p) => p.lag === 0), 10_000, () => 'lag did not drain');
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
    120_000,
  );

  it(
    'keeps its group membership through a batch that takes longer than the session timeout',
    async () => {
      const topic = uniqueName('silta.test.slow');
      const student = uniqueName('student');
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ledgerMessage(student, i)) });
      const slow: ProjectionHandler = async (message, manager) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await applyLedgerEntry(message, manager);
      };
      const c = consumer(topic, uniqueName('slow-consumer'), slow, { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 });
      await c.start();
      await eventually(async () => (await ledgerFor(student)).length === 30, 40_000, () => 'slow batch did not finish');
      expect(c.groupJoins).toBe(1);
      expect((await ledgerFor(student)).every((row) => Number(row.applied) === 1)).toBe(true);
    },
    60_000,
  );
});
