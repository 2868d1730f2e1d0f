import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ContractRegistry, GuardianVisibilityChangedV1, MessageHeaders, consentContracts, defineContract, rosterContracts } from '@silta/contracts';
import { ConsumerAlarmEntity, ProcessedEventEntity, ProjectionConsumer, ensureTopic, silentLogger } from '@silta/messaging';
import { consumerGroupId, loadConfig } from '@silta/platform';
import { createTestDatabase, eventually, serviceKafkaEnv, testKafka, uniqueName, type TestDatabase } from '@silta/testing';
import { VIEW_CONSUMER_GROUP } from './view.constants';
import { GuardianVisibilityEntity, viewEntities } from './view.entities';
import { ViewProjection } from './view.projection';

// GuardianVisibilityChangedV1 was widened in place to name nurse and doctor (issue 12 item 5).
// A disclosure still on the narrower contract must not quietly drop such a message: it raises an
// alarm for the student (which makes its decisions about them deny) and keeps the set it had. On
// the real broker and PostgreSQL, with the view's own projection.

/** The contract as it was before the widening: curator and psychologist only. */
const NarrowGuardianVisibilityChangedV1 = defineContract({
  ...GuardianVisibilityChangedV1,
  schema: z.strictObject({
    studentId: z.string().min(1).max(200),
    hiddenRoles: z.array(z.enum(['curator', 'psychologist'])).max(2),
    declaredBy: z.strictObject({ kind: z.enum(['student', 'professional']), id: z.string().min(1).max(200) }),
    changedAt: z.iso.datetime({ offset: true }),
  }),
});

describe('a disclosure on the narrower guardian-visibility contract, given a ban naming nurse', () => {
  const suffix = `.${randomUUID().slice(0, 8)}`;
  const topic = uniqueName('silta.test.consent');
  let db: TestDatabase;
  let dataSource: DataSource;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: ProjectionConsumer;

  beforeAll(async () => {
    db = await createTestDatabase('silta_visibility_widened');
    dataSource = await new DataSource({ type: 'postgres', url: db.url, entities: [...viewEntities, ProcessedEventEntity, ConsumerAlarmEntity], synchronize: true }).initialize();
    const config = loadConfig('disclosure', { ...serviceKafkaEnv('disclosure'), INTERNAL_TOKEN_SECRET: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40), KAFKA_GROUP_SUFFIX: suffix });
    // The topic is this test's own, made up here: its producer and consumer are `admin`.
    kafka = testKafka('visibility-widened-test');
    await ensureTopic(kafka, topic);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const projection = new ViewProjection();
    const narrow = consentContracts.map((contract) => (contract.type === GuardianVisibilityChangedV1.type ? NarrowGuardianVisibilityChangedV1 : contract));
    consumer = new ProjectionConsumer({
      groupId: consumerGroupId(config, VIEW_CONSUMER_GROUP),
      topics: [topic],
      kafka,
      dataSource,
      contracts: new ContractRegistry([...rosterContracts, ...narrow]),
      handle: (message, manager) => projection.handle(message, manager),
      logger: silentLogger,
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  const changed = (studentId: string, hiddenRoles: string[], changedAt: string) => ({
    key: studentId,
    value: JSON.stringify({ studentId, hiddenRoles, declaredBy: { kind: 'student', id: studentId }, changedAt }),
    headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: GuardianVisibilityChangedV1.type, [MessageHeaders.schemaVersion]: '1' },
  });

  it('raises an alarm for the student and keeps the hidden set it had', async () => {
    const student = uniqueName('student');
    await producer.send({ topic, acks: -1, messages: [changed(student, ['curator'], '2026-03-02T08:00:00.000Z')] });
    await eventually(async () => (await dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId: student })) !== null, 60_000, () => 'the first ban was not applied');

    await producer.send({ topic, acks: -1, messages: [changed(student, ['curator', 'nurse'], '2026-03-09T08:00:00.000Z')] });
    await eventually(async () => (await dataSource.manager.countBy(ConsumerAlarmEntity, { messageKey: student })) === 1, 60_000, () => 'no alarm was raised');
    expect((await dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId: student }))?.hiddenRoles).toEqual(['curator']);
  });
});
