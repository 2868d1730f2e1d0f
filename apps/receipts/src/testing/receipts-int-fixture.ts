import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Message, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ContractRegistry, DisclosureDecidedV1, MessageHeaders, Topics, disclosureContracts, type DataCategory } from '@silta/contracts';
import { ensureTopic } from '@silta/messaging';
import { signUserToken, type Role } from '@silta/platform';
import { createTestDatabase, eventually, jsonCaller, quietNestLogger, serviceKafkaEnv, testKafka, type JsonAnswer, type TestDatabase } from '@silta/testing';
import { generateSignerKey } from '@silta/transparency';
import { ReleasedDisclosureEntity } from '../released/released-disclosure.entity';

// Receipts' int specs boot the welfare area's receipts service on real PostgreSQL and the real
// broker, with the test standing in for disclosure (its DisclosureDecided messages on
// silta.disclosure.v1, validated by the contract) and users' tokens signed with a per-run secret.

const ISSUER = 'silta-int-test';
const AUDIENCE = 'silta';
const disclosureRegistry = new ContractRegistry([...disclosureContracts]);

/** An HTTP answer as the specs read it. */
export type Answer = JsonAnswer;

export interface ReceiptsIntFixture {
  readonly app: INestApplication;
  /** Sends disclosure's messages and waits until receipts knows every release among them. */
  feedDisclosures(...messages: Message[]): Promise<void>;
  /** How many receipts the welfare area's log holds for the disclosure. */
  receiptsOf(disclosureId: string): Promise<number>;
  token(role: Role, sub: string, org?: string): Promise<string>;
  /** Calls receipts over HTTP; a string body is sent as it is, anything else as JSON. */
  call(method: 'GET' | 'POST', path: string, bearer: string | undefined, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

/** Boots receipts on a fresh database; `name` names the database, the consumer group's suffix and the Kafka client. */
export async function startReceipts(name: string): Promise<ReceiptsIntFixture> {
  const database: TestDatabase = await createTestDatabase(`silta_receipts_${name}`);
  const secret = randomBytes(32).toString('hex');
  // PlatformModule reads its configuration when the module is imported: set it first.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    ...serviceKafkaEnv('receipts'),
    KAFKA_GROUP_SUFFIX: `-${name}`,
    JWT_SECRET: secret,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    PORT: '0',
    AUDIT_SIGNING_KEY: generateSignerKey('silta-int-receipts'),
    AUDIT_ORIGIN: `silta.int/${name}/welfare-area-receipts`,
  });
  for (const variable of ['EVENTSTORE_CONNECTION_STRING', 'JWT_JWKS_URL', 'INTERNAL_TOKEN_SECRET', 'PEER_AUDIT_KEY', 'PEER_AUDIT_URL', 'PEER_AUDIT_ORIGIN']) delete process.env[variable];

  const kafka = testKafka(`receipts-${name}-int-test`);
  await ensureTopic(kafka, Topics.disclosure);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const { ReceiptsModule } = await import('../receipts.module');
  const app = await NestFactory.create(ReceiptsModule, { logger: quietNestLogger() });
  await app.listen(0);
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const dataSource = app.get(DataSource);

  return {
    app,
    async feedDisclosures(...messages) {
      await producer.send({ topic: Topics.disclosure, acks: -1, messages });
      const ids = messages.map((m) => (JSON.parse(String(m.value)) as { disclosureId: string }).disclosureId);
      await eventually(
        async () => (await dataSource.manager.countBy(ReleasedDisclosureEntity, ids.map((disclosureId) => ({ disclosureId })))) === ids.length,
        45_000,
        () => 'receipts did not learn of every release',
      );
    },
    receiptsOf: async (disclosureId) =>
      Number((await dataSource.query(`SELECT count(*) AS n FROM silta_events WHERE type = 'DisclosureReceived' AND data::jsonb->>'disclosureId' = $1`, [disclosureId]))[0].n),
    token: (role, sub, org) => signUserToken({ sub, role, ...(org ? { org } : {}) }, { secret, issuer: ISSUER, audience: AUDIENCE }),
    call: jsonCaller(baseUrl),
    async close() {
      await app.close();
      await producer.disconnect();
      await database.drop();
    },
  };
}

/** Disclosure's DisclosureDecided for a release of `categories` to the requester, validated by its contract. */
export function released(disclosureId: string, studentId: string, requester: { sub: string; role: string; org: string }, categories: DataCategory[]): Message {
  const payload = {
    disclosureId,
    studentId,
    requester,
    basis: 'identification',
    outcome: 'permit',
    categories: categories.map((category) => ({ category, outcome: 'permit', reason: 'identification' })),
    policyVersion: 'int-test',
    decidedAt: new Date().toISOString(),
  };
  const valid = disclosureRegistry.validate(DisclosureDecidedV1.type, 1, payload);
  if (!valid.ok) throw new Error(valid.error);
  return {
    key: studentId,
    value: JSON.stringify(payload),
    headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: DisclosureDecidedV1.type, [MessageHeaders.schemaVersion]: '1' },
  };
}
