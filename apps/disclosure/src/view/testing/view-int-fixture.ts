import { randomUUID } from 'node:crypto';
import type { Message, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ContractRegistry, MessageHeaders, consentContracts, rosterContracts, type IntegrationEventContract } from '@silta/contracts';
import { ConsumerAlarmEntity, ProcessedEventEntity, ProjectionConsumer, ensureTopic, silentLogger } from '@silta/messaging';
import { consumerGroupId, loadConfig } from '@silta/platform';
import { createTestDatabase, serviceKafkaEnv, testKafka, uniqueName, type TestDatabase } from '@silta/testing';
import { DecisionRecordEntity } from '../../shared/decision-record.entity';
import { ViewReader } from '../view-reader';
import { VIEW_CONSUMER_GROUP } from '../view.constants';
import { viewEntities } from '../view.entities';
import { ViewProjection } from '../view.projection';

// Disclosure's view int specs run the view's own projection behind a real consumer on a topic of
// the test's own (its producer and consumer are `admin`), into a fresh PostgreSQL database.

export interface ViewIntFixture {
  readonly dataSource: DataSource;
  readonly reader: ViewReader;
  /** Sends messages on the test's topic, as consent or roster would publish them. */
  send(...messages: Message[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the view's projection; `name` names the database and the Kafka client. `contracts`
 * are the public contracts the consumer validates against: consent's and roster's unless a
 * spec stands in an older disclosure's.
 */
export async function startViewProjection(name: string, contracts: readonly IntegrationEventContract[] = [...rosterContracts, ...consentContracts]): Promise<ViewIntFixture> {
  const topic = uniqueName('silta.test.consent');
  const db: TestDatabase = await createTestDatabase(`silta_${name.replaceAll('-', '_')}`);
  const dataSource = await new DataSource({
    type: 'postgres',
    url: db.url,
    entities: [...viewEntities, DecisionRecordEntity, ProcessedEventEntity, ConsumerAlarmEntity],
    synchronize: true,
  }).initialize();
  const suffix = `.${randomUUID().slice(0, 8)}`;
  const config = loadConfig('disclosure', { ...serviceKafkaEnv('disclosure'), INTERNAL_TOKEN_SECRET: 'i'.repeat(40), JWT_SECRET: 'j'.repeat(40), KAFKA_GROUP_SUFFIX: suffix });
  const kafka = testKafka(`${name}-test`);
  await ensureTopic(kafka, topic);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const projection = new ViewProjection();
  const consumer = new ProjectionConsumer({
    groupId: consumerGroupId(config, VIEW_CONSUMER_GROUP),
    topics: [topic],
    kafka,
    dataSource,
    contracts: new ContractRegistry([...contracts]),
    handle: (message, manager) => projection.handle(message, manager),
    logger: silentLogger,
  });
  await consumer.start();
  return {
    dataSource,
    reader: new ViewReader(dataSource, config),
    send: async (...messages) => {
      await producer.send({ topic, acks: -1, messages });
    },
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** A public message of `type` (schema version 1) with a fresh event id, its payload as given. */
export function publicMessage(type: string, payload: object, key: string): Message {
  return {
    key,
    value: JSON.stringify(payload),
    headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: type, [MessageHeaders.schemaVersion]: '1' },
  };
}
