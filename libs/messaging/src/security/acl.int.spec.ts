import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, type KafkaConfig, type LogEntry, type Message, type ResourcePatternTypes } from 'kafkajs';
import { ConsentGrantedV1, MessageHeaders, ProfessionalAssignedV1, Topics, deadLetterTopicOf, type IntegrationEventContract } from '@silta/contracts';
import { createKafka } from '../kafka';
import { silentLogger } from '../logger';
import { ADMIN_PRINCIPAL, KAFKA_ACL_TABLE, SERVICE_CONSUMERS, SERVICE_PRINCIPALS, isAllowed, type ServicePrincipal } from './acl-table';
import { aclBindingsOf } from './kafka-setup';

// The broker refuses everything the ACL table (acl-table.ts) does not grant. Every expectation here
// is computed from the table with isAllowed(), so a broker that allows more (or less) than the table
// fails a cell. The broker's order of checks, as kafkajs meets them:
//   produce: metadata (DESCRIBE topic) -> InitProducerId (WRITE on any topic) -> Produce (WRITE)
//   consume: metadata (DESCRIBE topic) -> FindCoordinator/JoinGroup (READ group) -> Fetch (READ topic)
// Nothing is written to Silta's real topics (other suites on the same broker read them from the
// beginning, and a stray message would be dead-lettered and raise an alarm): a permitted produce
// sends one record larger than the broker's message.max.bytes, which the broker checks only after
// authorising the request, so "allowed" shows as MESSAGE_TOO_LARGE and "refused" as
// TOPIC_AUTHORIZATION_FAILED, and no record is ever appended.

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through jest (global setup) or set it from \`bash deploy/kafka/kafka.sh start\``);
  return value;
};
const BROKERS = env('KAFKA_BROKERS');
const CA_PEM = readFileSync(env('KAFKA_SSL_CA_FILE'), 'utf8');
const CREDENTIALS_DIR = env('KAFKA_CREDENTIALS_DIR');
const passwordOf = (principal: string): string => readFileSync(join(CREDENTIALS_DIR, `${principal}.password`), 'utf8').trim();

/** Appended to every group (as KAFKA_GROUP_SUFFIX would be), so no running service's group is joined. */
const SUFFIX = `-acl-test-${randomUUID().slice(0, 8)}`;
const TOPICS = Object.values(Topics);
const GROUPS = SERVICE_PRINCIPALS.flatMap((principal) => SERVICE_CONSUMERS[principal].map(({ group }) => group));
/** Every service consumer's dead-letter topics, with a fixed suffix so the permitted ones are created once per broker. */
const DEAD_LETTER_TOPICS = SERVICE_PRINCIPALS.flatMap((principal) =>
  SERVICE_CONSUMERS[principal].flatMap(({ group, topics }) => topics.map((topic) => deadLetterTopicOf(topic, `${group}-acl-test`))),
);
const TOO_LARGE = Buffer.alloc(1_100_000, 'x'); // > message.max.bytes (1 MiB + 12 by default)

type Outcome = { readonly ok: true } | { readonly ok: false; readonly type: string; readonly message: string };

interface TestClient {
  readonly kafka: Kafka;
  /** kafkajs's own log, DEBUG included: it alone carries the broker's error behind "Failed to find group coordinator". */
  readonly logs: LogEntry[];
}

/** A kafkajs client as a service builds it (TLS with the broker's CA, SCRAM-SHA-512), with a fresh sasl object every time. */
function client(principal: string | undefined, options: { password?: string; tls?: boolean } = {}): TestClient {
  const logs: LogEntry[] = [];
  const config: KafkaConfig = {
    clientId: `acl-test-${principal ?? 'anonymous'}`,
    brokers: BROKERS.split(','),
    ssl: options.tls === false ? false : { ca: [CA_PEM] },
    // A fresh object per client: kafkajs mutates the one it is given (TRAPS.md), which could log a client in as another principal.
    ...(principal ? { sasl: { mechanism: 'scram-sha-512' as const, username: principal, password: options.password ?? passwordOf(principal) } } : {}),
    connectionTimeout: 10_000,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => void logs.push(entry),
  };
  return { kafka: new Kafka(config), logs };
}

/** The broker's error type: kafkajs's protocol error type, or the one it logged before reporting "Failed to find group coordinator". */
function outcomeOf(error: unknown, logs: readonly LogEntry[]): Outcome {
  // kafkajs wraps a broker's error (KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded): use the innermost typed one.
  let e = error as Error & { type?: string; cause?: unknown };
  for (let inner = e; inner; inner = inner.cause as typeof e) if (inner.type || !inner.cause) { e = inner; break; }
  let type = e.type ?? e.name;
  if (e.name === 'KafkaJSGroupCoordinatorNotFound') {
    const behind = logs
      .filter((entry) => entry.log.message === 'Tried to find group coordinator')
      .map((entry) => (entry.log as { error?: { type?: string } }).error?.type)
      .find((t) => t !== undefined);
    if (behind) type = behind;
  }
  return { ok: false, type, message: e.message };
}

/** Sends one over-sized record as an idempotent producer (as the relay does): ok when only its size was refused. */
async function tryProduce({ kafka, logs }: TestClient, topic: string): Promise<Outcome> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true, retry: { retries: 1 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'acl-test', value: TOO_LARGE }] });
    throw new Error(`an over-sized record was appended to ${topic}`);
  } catch (error) {
    const outcome = outcomeOf(error, logs);
    return !outcome.ok && outcome.type === 'MESSAGE_TOO_LARGE' ? { ok: true } : outcome;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/**
 * Subscribes `groupId` to `topic` from the beginning and waits until the group is joined and one
 * fetch has been answered (`until: 'fetched'`), or only until it is joined (`until: 'joined'`).
 */
async function tryConsume({ kafka, logs }: TestClient, groupId: string, topic: string, until: 'joined' | 'fetched'): Promise<Outcome> {
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    retry: { retries: 1, initialRetryTime: 100, restartOnFailure: async () => false },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const done = new Promise<Outcome>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => until === 'joined' && resolve({ ok: true }));
      consumer.on(consumer.events.FETCH, () => resolve({ ok: true }));
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(outcomeOf(payload.error, logs)));
      timer = setTimeout(() => resolve({ ok: false, type: 'TIMEOUT', message: `no join, fetch or crash within 20 s` }), 20_000);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    return await done;
  } catch (error) {
    return outcomeOf(error, logs);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** The consumer group a principal's test consumer uses to read: its first service group, or one no grant covers. */
const ownGroup = (principal: ServicePrincipal): string => `${SERVICE_CONSUMERS[principal][0]?.group ?? principal}${SUFFIX}`;

/** What the broker must answer to a produce, from the table. */
function expectedProduce(principal: ServicePrincipal, topic: string): true | 'TOPIC_AUTHORIZATION_FAILED' {
  return isAllowed(principal, 'topic', topic, 'WRITE') || 'TOPIC_AUTHORIZATION_FAILED';
}

/** What the broker must answer to reading `topic` in `group` from the beginning, from the table, in the order it checks. */
function expectedConsume(principal: ServicePrincipal, topic: string, group: string): true | 'TOPIC_AUTHORIZATION_FAILED' | 'GROUP_AUTHORIZATION_FAILED' {
  if (!isAllowed(principal, 'topic', topic, 'DESCRIBE')) return 'TOPIC_AUTHORIZATION_FAILED';
  if (!isAllowed(principal, 'group', group, 'READ')) return 'GROUP_AUTHORIZATION_FAILED';
  if (!isAllowed(principal, 'topic', topic, 'READ')) return 'TOPIC_AUTHORIZATION_FAILED';
  return true;
}

function expectOutcome(outcome: Outcome, expected: true | string): void {
  if (expected === true) expect(outcome).toEqual({ ok: true });
  else expect(outcome).toMatchObject({ ok: false, type: expected });
}

/** A cell's expectation in its test's title. */
const said = (expected: true | string): string => (expected === true ? 'allowed' : `refused (${expected})`);

describe('the secured broker: the ACL table, cell by cell', () => {
  it('holds exactly the table for the service principals (read back as admin)', async () => {
    const admin = createKafka({
      brokers: BROKERS,
      clientId: 'acl-test-admin',
      logger: silentLogger,
      security: { mechanism: 'scram-sha-512', username: ADMIN_PRINCIPAL, password: passwordOf(ADMIN_PRINCIPAL), caPem: CA_PEM },
    }).admin();
    await admin.connect();
    try {
      const key = (a: { resourceType: number; resourcePatternType: number; resourceName: string; principal: string; host: string; operation: number; permissionType: number }) =>
        `${a.principal} ${AclResourceTypes[a.resourceType]} ${a.resourcePatternType === 4 ? 'prefixed' : 'literal'}:${a.resourceName} ${AclOperationTypes[a.operation]} ${AclPermissionTypes[a.permissionType]} ${a.host}`;
      const held: string[] = [];
      for (const principal of SERVICE_PRINCIPALS) {
        const { resources } = await admin.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: 1 as ResourcePatternTypes, // ANY
          principal: `User:${principal}`,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        });
        for (const { acls, ...resource } of resources) for (const acl of acls) held.push(key({ ...resource, ...acl }));
      }
      expect(held.sort()).toEqual(aclBindingsOf(KAFKA_ACL_TABLE).map(key).sort());
    } finally {
      await admin.disconnect();
    }
  });

  it('has cells of both kinds (a table that allowed all or nothing would make this matrix meaningless)', () => {
    const cells = SERVICE_PRINCIPALS.flatMap((p) => TOPICS.map((t) => expectedProduce(p, t) === true));
    expect(cells).toContain(true);
    expect(cells).toContain(false);
  });

  describe.each(SERVICE_PRINCIPALS)('as %s', (principal) => {
    it.each(TOPICS.map((topic) => [topic, said(expectedProduce(principal, topic)), expectedProduce(principal, topic)] as const))('producing to %s: %s', async (topic, _, expected) => {
      expectOutcome(await tryProduce(client(principal), topic), expected);
    });

    it.each(TOPICS.map((topic) => [topic, said(expectedConsume(principal, topic, ownGroup(principal))), expectedConsume(principal, topic, ownGroup(principal))] as const))(
      'consuming %s from the beginning (in its own group): %s',
      async (topic, _, expected) => {
        expectOutcome(await tryConsume(client(principal), ownGroup(principal), topic, 'fetched'), expected);
      },
    );

    // Join with a topic the principal may describe, so the group alone decides.
    const describable = TOPICS.find((topic) => isAllowed(principal, 'topic', topic, 'DESCRIBE'))!;
    const expectedJoin = (group: string) => isAllowed(principal, 'group', group, 'READ') || 'GROUP_AUTHORIZATION_FAILED';
    it.each(GROUPS.map((base) => `${base}${SUFFIX}`).map((group) => [group, said(expectedJoin(group)), expectedJoin(group)] as const))(
      'joining the service group %s: %s',
      async (group, _, expected) => {
        expectOutcome(await tryConsume(client(principal), group, describable, 'joined'), expected);
      },
    );

    it.each(DEAD_LETTER_TOPICS.map((topic) => [topic, said(expectedProduce(principal, topic)), expectedProduce(principal, topic)] as const))('dead-lettering to %s: %s', async (topic, _, expected) => {
      expectOutcome(await tryProduce(client(principal), topic), expected);
    });
  });

});

describe('the secured broker: who cannot log in', () => {
  const own = (principal: ServicePrincipal) => Topics[principal];

  it.each(SERVICE_PRINCIPALS)('a wrong password for %s is refused at login', async (principal) => {
    const outcome = await tryProduce(client(principal, { password: `${passwordOf(principal).slice(1)}x` }), own(principal));
    expect(outcome).toMatchObject({ ok: false, type: 'KafkaJSSASLAuthenticationError' });
  });

  // The broker closes the connection: "SSL handshake failed" for plaintext, "Unexpected Kafka request
  // of type METADATA during SASL handshake" for TLS without SASL (both in the broker's authorizer.log).
  it('a client without credentials (plaintext to the TLS port) is refused', async () => {
    expect(await tryProduce(client(undefined, { tls: false }), Topics.roster)).toMatchObject({ ok: false, type: 'KafkaJSConnectionClosedError' });
  });

  it('TLS without SASL is refused', async () => {
    expect(await tryProduce(client(undefined), Topics.roster)).toMatchObject({ ok: false, type: 'KafkaJSConnectionClosedError' });
  });
});

/**
 * Issue 11: "a Kafka client that is no Silta service produced a ProfessionalAssigned to
 * silta.roster.v1 and a ConsentGranted to silta.consent.v1". Replayed with valid contract messages.
 */
describe('the secured broker: the forged-message attack of issue 11 is refused', () => {
  function forged<P>(contract: IntegrationEventContract<string, P>, payload: P): Message {
    const parsed = contract.schema.safeParse(payload);
    if (!parsed.success) throw new Error(`the forged ${contract.type} does not even pass its contract: ${parsed.error.message}`);
    return {
      key: contract.key(payload),
      value: JSON.stringify(payload),
      headers: { [MessageHeaders.eventId]: randomUUID(), [MessageHeaders.eventType]: contract.type, [MessageHeaders.schemaVersion]: String(contract.schemaVersion) },
    };
  }
  const attack = [
    {
      topic: Topics.roster,
      message: forged(ProfessionalAssignedV1, {
        assignmentId: `forged-${randomUUID()}`,
        professionalId: 'p-forged',
        role: 'psychologist',
        welfareAreaId: 'wa-forged',
        schoolId: 'school-forged',
        validFrom: '2020-01-01',
      }),
    },
    {
      topic: Topics.consent,
      message: forged(ConsentGrantedV1, {
        consentId: `forged-${randomUUID()}`,
        version: 1,
        studentId: 'student-forged',
        grantedBy: { kind: 'guardian', id: 'guardian-forged' },
        categories: ['identification'],
        recipient: { welfareAreaId: 'wa-forged' },
        purpose: 'forged',
        validFrom: '2020-01-01T00:00:00.000Z',
        grantedAt: '2020-01-01T00:00:00.000Z',
      }),
    },
  ];

  async function send({ kafka, logs }: TestClient, topic: string, message: Message): Promise<Outcome> {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [message] });
      return { ok: true };
    } catch (error) {
      return outcomeOf(error, logs);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  it.each(attack.map(({ topic, message }) => [topic, message] as const))('to %s with no credentials (plaintext and TLS-only): refused', async (topic, message) => {
    for (const tls of [false, true]) {
      expect(await send(client(undefined, { tls }), topic, message)).toMatchObject({ ok: false, type: 'KafkaJSConnectionClosedError' });
    }
  });

  it.each(attack.map(({ topic, message }) => [topic, message] as const))("to %s with the welfare area's (receipts') credentials: refused by the ACLs", async (topic, message) => {
    expect(isAllowed('receipts', 'topic', topic, 'WRITE')).toBe(false);
    expect(await send(client('receipts'), topic, message)).toMatchObject({ ok: false, type: 'TOPIC_AUTHORIZATION_FAILED' });
  });
});
