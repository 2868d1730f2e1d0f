import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Topics, deadLetterTopicOf } from '@silta/contracts';
import { KAFKA_ACL_TABLE, SERVICE_CONSUMERS, SERVICE_PRINCIPALS, SERVICE_TOPICS, isAllowed, type AclOperation, type ServicePrincipal } from './acl-table';
import { aclBindingsOf } from './kafka-setup';

const ROOT = resolve(__dirname, '../../../..');
const TOPIC_NAMES = Object.values(Topics);
/** What KAFKA_GROUP_SUFFIX may look like (e2e runs and tests append one). */
const SUFFIXES = ['', '-e2e-1a2b', '.run_7'];

/** The app's TypeScript sources, specs left out. Libraries may not import apps, so they are read as text. */
function appSources(service: ServicePrincipal): string {
  const dir = join(ROOT, 'apps', service, 'src');
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
}

/** What an app's wiring really does on Kafka: its relay's topic and its consumers' groups and topics. */
function wiringOf(service: ServicePrincipal): { produces: string[]; consumers: { group: string; topics: string[] }[] } {
  const source = appSources(service);
  const constants = new Map([...source.matchAll(/export const (\w+_GROUP) = '([^']+)'/g)].map((m) => [m[1]!, m[2]!]));
  const topicOf = (ref: string) => Topics[ref.trim().replace(/^Topics\./, '') as keyof typeof Topics];
  const produces = [...source.matchAll(/relayProvider\(\{ topic: (Topics\.\w+)/g)].map((m) => topicOf(m[1]!));
  const consumers = [...source.matchAll(/groupId: (\w+),\s*topics: \[([^\]]*)\]/g)].map((m) => ({
    group: constants.get(m[1]!) ?? `unresolved ${m[1]}`,
    topics: m[2]!.split(',').map(topicOf),
  }));
  return { produces, consumers };
}

describe('the ACL table', () => {
  it.each(SERVICE_PRINCIPALS)("describes %s's real wiring: the topic it publishes, its groups and what they read", (service) => {
    const wiring = wiringOf(service);
    expect(wiring.produces).toEqual([SERVICE_TOPICS[service]]);
    expect(wiring.consumers).toEqual(SERVICE_CONSUMERS[service].map(({ group, topics }) => ({ group, topics: [...topics] })));
  });

  it.each(SERVICE_PRINCIPALS)('lets %s do what its wiring needs, with any group suffix', (service) => {
    const own = SERVICE_TOPICS[service];
    for (const op of ['WRITE', 'DESCRIBE', 'CREATE'] as const) expect(isAllowed(service, 'topic', own, op)).toBe(true);
    for (const { group, topics } of SERVICE_CONSUMERS[service]) {
      for (const suffix of SUFFIXES) {
        expect(isAllowed(service, 'group', `${group}${suffix}`, 'READ')).toBe(true);
        for (const topic of topics) {
          for (const op of ['CREATE', 'WRITE', 'DESCRIBE'] as const) expect(isAllowed(service, 'topic', deadLetterTopicOf(topic, `${group}${suffix}`), op)).toBe(true);
        }
      }
      for (const topic of topics) for (const op of ['READ', 'DESCRIBE'] as const) expect(isAllowed(service, 'topic', topic, op)).toBe(true);
    }
  });

  it.each(SERVICE_PRINCIPALS)('gives %s nothing more on Silta topics, groups and dead letters than its wiring needs', (service) => {
    const reads = new Set(SERVICE_CONSUMERS[service].flatMap(({ topics }) => topics));
    for (const topic of TOPIC_NAMES) {
      expect([topic, isAllowed(service, 'topic', topic, 'READ')]).toEqual([topic, reads.has(topic)]);
      expect([topic, isAllowed(service, 'topic', topic, 'DESCRIBE')]).toEqual([topic, reads.has(topic) || topic === SERVICE_TOPICS[service]]);
      for (const op of ['WRITE', 'CREATE'] as const) expect([topic, op, isAllowed(service, 'topic', topic, op)]).toEqual([topic, op, topic === SERVICE_TOPICS[service]]);
    }
    for (const other of SERVICE_PRINCIPALS.filter((p) => p !== service)) {
      for (const { group, topics } of SERVICE_CONSUMERS[other]) {
        expect([group, isAllowed(service, 'group', group, 'READ')]).toEqual([group, false]);
        for (const topic of topics) expect(isAllowed(service, 'topic', deadLetterTopicOf(topic, group), 'WRITE')).toBe(false);
      }
    }
  });

  it('keeps the welfare area (receipts) away from roster and consent entirely', () => {
    const ops: AclOperation[] = ['READ', 'WRITE', 'CREATE', 'DESCRIBE'];
    for (const topic of [Topics.roster, Topics.consent]) for (const op of ops) expect(isAllowed('receipts', 'topic', topic, op)).toBe(false);
    expect(KAFKA_ACL_TABLE.filter((g) => g.principal === 'receipts' && /roster|consent/.test(g.name))).toEqual([]);
  });

  it('matches names as the broker does: literal exactly, prefixed by prefix; READ and WRITE imply DESCRIBE', () => {
    const table = [
      { principal: 'roster', resource: 'topic', pattern: 'literal', name: 'a.b', operations: ['READ'], why: '' },
      { principal: 'roster', resource: 'group', pattern: 'prefixed', name: 'g-', operations: ['CREATE'], why: '' },
    ] as const;
    expect(isAllowed('roster', 'topic', 'a.b', 'READ', table)).toBe(true);
    expect(isAllowed('roster', 'topic', 'a.b', 'DESCRIBE', table)).toBe(true);
    expect(isAllowed('roster', 'topic', 'a.bc', 'READ', table)).toBe(false);
    expect(isAllowed('roster', 'topic', 'a.b', 'WRITE', table)).toBe(false);
    expect(isAllowed('roster', 'group', 'g-1', 'CREATE', table)).toBe(true);
    expect(isAllowed('roster', 'group', 'g-1', 'DESCRIBE', table)).toBe(false);
    expect(isAllowed('roster', 'group', 'g', 'CREATE', table)).toBe(false);
    expect(isAllowed('consent', 'topic', 'a.b', 'READ', table)).toBe(false);
  });

  it('becomes one ALLOW binding per row and operation, for any host', () => {
    const bindings = aclBindingsOf(KAFKA_ACL_TABLE);
    expect(bindings).toHaveLength(KAFKA_ACL_TABLE.reduce((n, g) => n + g.operations.length, 0));
    expect(new Set(bindings.map((b) => JSON.stringify(b))).size).toBe(bindings.length);
    expect(bindings.every((b) => b.host === '*' && b.principal.startsWith('User:'))).toBe(true);
  });
});
