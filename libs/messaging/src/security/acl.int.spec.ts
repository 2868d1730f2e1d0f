import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, type ResourcePatternTypes } from 'kafkajs';
import { ConsentGrantedV1, ProfessionalAssignedV1, Topics, deadLetterTopicOf } from '@silta/contracts';
import { createKafka } from '../kafka';
import { silentLogger } from '../logger';
import { forgedMessage, probeClient, tryConsume, tryProduce, trySend, type Outcome, type ProbeClient } from '../testing/kafka-probe';
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

/** A client of the test broker as `principal` (its own password unless given), or one that does not log in. */
function client(principal: string | undefined, options: { password?: string; tls?: boolean } = {}): ProbeClient {
  return probeClient({ brokers: BROKERS, caPem: CA_PEM, principal, password: principal ? (options.password ?? passwordOf(principal)) : undefined, tls: options.tls });
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
  // On a broker that has just started, the group coordinator (the offsets topic) may not be loaded
  // yet: a join then fails with GROUP_COORDINATOR_NOT_AVAILABLE, which is no answer about ACLs.
  // Wait until admin's own group joins and fetches, so every cell meets a serving coordinator.
  beforeAll(async () => {
    const deadline = Date.now() + 45_000;
    let outcome: Outcome;
    while (!(outcome = await tryConsume(client(ADMIN_PRINCIPAL), `acl-test-warm-up${SUFFIX}`, Topics.roster, 'fetched')).ok) {
      if (Date.now() > deadline) throw new Error(`the broker's group coordinator never served: ${JSON.stringify(outcome)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 60_000);

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
  const attack = [
    {
      topic: Topics.roster,
      message: forgedMessage(ProfessionalAssignedV1, {
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
      message: forgedMessage(ConsentGrantedV1, {
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

  it.each(attack.map(({ topic, message }) => [topic, message] as const))('to %s with no credentials (plaintext and TLS-only): refused', async (topic, message) => {
    for (const tls of [false, true]) {
      expect(await trySend(client(undefined, { tls }), topic, message)).toMatchObject({ ok: false, type: 'KafkaJSConnectionClosedError' });
    }
  });

  it.each(attack.map(({ topic, message }) => [topic, message] as const))("to %s with the welfare area's (receipts') credentials: refused by the ACLs", async (topic, message) => {
    expect(isAllowed('receipts', 'topic', topic, 'WRITE')).toBe(false);
    expect(await trySend(client('receipts'), topic, message)).toMatchObject({ ok: false, type: 'TOPIC_AUTHORIZATION_FAILED' });
  });
});
