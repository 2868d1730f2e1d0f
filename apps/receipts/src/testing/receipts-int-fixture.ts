import type { INestApplication } from '@nestjs/common';
import type { Message, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { DisclosureDecidedV1, Topics, type ContractPayload, type DataCategory } from '@silta/contracts';
import { ensureTopic } from '@silta/messaging';
import type { Role } from '@silta/platform';
import { contractMessage, createTestDatabase, eventually, listenInProcess, serviceKafkaEnv, testIssuer, testKafka, type JsonAnswer, type TestDatabase } from '@silta/testing';
import { generateSignerKey } from '@silta/transparency';
import { ReleasedDisclosureEntity } from '../released/released-disclosure.entity';

// Receipts' int specs boot the welfare area's receipts service on real PostgreSQL and the real
// broker, with the test standing in for disclosure (its DisclosureDecided messages on
// silta.disclosure.v1, validated by the contract) and users' tokens signed with a per-run secret.

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

/**
 * Boots receipts on a fresh database; `name` names the database, the consumer group's suffix and the Kafka client.
 * `env` adds or overrides settings (on-demand checkpoints are not rate-limited unless it sets AUDIT_CHECKPOINT_MIN_INTERVAL_MS).
 */
export async function startReceipts(name: string, env: Record<string, string> = {}): Promise<ReceiptsIntFixture> {
  const database: TestDatabase = await createTestDatabase(`silta_receipts_${name}`);
  const origin = `silta.int/${name}/welfare-area-receipts`;
  const issuer = testIssuer();
  // PlatformModule reads its configuration when the module is imported: set it first.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    ...serviceKafkaEnv('receipts'),
    KAFKA_GROUP_SUFFIX: `-${name}`,
    ...issuer.env,
    PORT: '0',
    // C2SP: a log's key is named after its origin.
    AUDIT_SIGNING_KEY: generateSignerKey(origin),
    AUDIT_ORIGIN: origin,
    AUDIT_CHECKPOINT_MIN_INTERVAL_MS: '0',
    ...env,
  });
  for (const variable of ['EVENTSTORE_CONNECTION_STRING', 'JWT_JWKS_URL', 'INTERNAL_TOKEN_SECRET', 'PEER_AUDIT_KEY', 'PEER_AUDIT_URL', 'PEER_AUDIT_ORIGIN']) delete process.env[variable];

  const kafka = testKafka(`receipts-${name}-int-test`);
  await ensureTopic(kafka, Topics.disclosure);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const { ReceiptsModule } = await import('../receipts.module');
  const { app, call } = await listenInProcess(ReceiptsModule);
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
    token: (role, sub, org) => issuer.token(role, sub, org),
    call,
    async close() {
      await app.close();
      await producer.disconnect();
      await database.drop();
    },
  };
}

/** Disclosure's DisclosureDecided for a release of `categories` to the requester, validated by its contract. */
export function released(disclosureId: string, studentId: string, requester: { sub: string; role: string; org: string }, categories: DataCategory[]): Message {
  const payload: ContractPayload<typeof DisclosureDecidedV1> = {
    disclosureId,
    studentId,
    requester,
    basis: 'identification',
    outcome: 'permit',
    categories: categories.map((category) => ({ category, outcome: 'permit', reason: 'identification' })),
    policyVersion: 'int-test',
    decidedAt: new Date().toISOString(),
  };
  return contractMessage(DisclosureDecidedV1, payload).message;
}
