import { Topics } from '@silta/contracts';

/**
 * Who may do what on Silta's broker (issue 11). The broker's StandardAuthorizer denies everything no
 * ACL allows (`allow.everyone.if.no.acl.found=false`); `applyKafkaSecurity` makes the broker's ACLs
 * for these principals exactly this table. Each service logs in as its own name (SCRAM-SHA-512).
 *
 * What each row is for, from what the services do at start-up and while running:
 * - producing: the relay's idempotent producer needs WRITE on its topic (since KIP-679 that covers
 *   InitProducerId; no cluster IDEMPOTENT_WRITE, no transactions). Its start-up `ensureTopics` lists
 *   topics and waits for leaders (DESCRIBE) and creates its own topic if it is missing (CREATE).
 * - consuming: READ on the topic and on the group; `ensureTopics` for a consumed topic only needs
 *   DESCRIBE, because `kafka.sh` (or compose) creates every Silta topic up front as admin. Without
 *   DESCRIBE a missing topic would look like an ACL refusal, so every readable topic has it.
 * - dead letters: a consumer sends what fails its contract to `<topic>.<group>.dlt`
 *   (`deadLetterTopicOf`) with an idempotent producer that creates the topic on first use.
 * Groups are granted by prefix, so KAFKA_GROUP_SUFFIX (appended to every group) needs no change.
 */
export type ServicePrincipal = 'roster' | 'consent' | 'disclosure' | 'receipts';

/** The services' principals, in the order the table lists them. */
export const SERVICE_PRINCIPALS: readonly ServicePrincipal[] = ['roster', 'consent', 'disclosure', 'receipts'];

/** The super user for admin tooling only (this set-up, topic creation, password rotation); no service runs as it. */
export const ADMIN_PRINCIPAL = 'admin';

export type AclResource = 'topic' | 'group';
export type AclPattern = 'literal' | 'prefixed';
export type AclOperation = 'READ' | 'WRITE' | 'CREATE' | 'DESCRIBE';

/** One row: `principal` may do `operations` on the resources `pattern` `name` matches. */
export interface AclGrant {
  readonly principal: ServicePrincipal;
  readonly resource: AclResource;
  readonly pattern: AclPattern;
  readonly name: string;
  readonly operations: readonly AclOperation[];
  /** Why the service needs it. */
  readonly why: string;
}

/** The consumer groups each service runs (base names; KAFKA_GROUP_SUFFIX is appended) and what they read. */
export const SERVICE_CONSUMERS: Readonly<Record<ServicePrincipal, readonly { readonly group: string; readonly topics: readonly string[] }[]>> = {
  roster: [],
  consent: [{ group: 'consent', topics: [Topics.roster] }],
  disclosure: [
    { group: 'disclosure-view', topics: [Topics.roster, Topics.consent] },
    { group: 'disclosure-receipts', topics: [Topics.receipts] },
  ],
  receipts: [{ group: 'receipts-disclosure', topics: [Topics.disclosure] }],
};

/** The topic each service publishes its events to. */
export const SERVICE_TOPICS: Readonly<Record<ServicePrincipal, string>> = {
  roster: Topics.roster,
  consent: Topics.consent,
  disclosure: Topics.disclosure,
  receipts: Topics.receipts,
};

/** Partitions of each Silta topic, as the relays and consumers would create them (their default). */
export const SILTA_TOPIC_PARTITIONS = 6;

const produce = (principal: ServicePrincipal, topic: string): AclGrant => ({
  principal,
  resource: 'topic',
  pattern: 'literal',
  name: topic,
  operations: ['WRITE', 'DESCRIBE', 'CREATE'],
  why: 'its relay publishes here; start-up creates the topic if it is missing',
});
const consume = (principal: ServicePrincipal, topic: string): AclGrant => ({
  principal,
  resource: 'topic',
  pattern: 'literal',
  name: topic,
  operations: ['READ', 'DESCRIBE'],
  why: 'a projection consumer reads it',
});
const groups = (principal: ServicePrincipal, prefix: string): AclGrant => ({
  principal,
  resource: 'group',
  pattern: 'prefixed',
  name: prefix,
  operations: ['READ'],
  why: 'its consumer groups (with any KAFKA_GROUP_SUFFIX) join and commit',
});
const deadLetters = (principal: ServicePrincipal, prefix: string): AclGrant => ({
  principal,
  resource: 'topic',
  pattern: 'prefixed',
  name: prefix,
  operations: ['CREATE', 'WRITE', 'DESCRIBE'],
  why: "its consumers' dead-letter topics (<topic>.<group>.dlt), created on first use",
});

/**
 * The ACL table. The welfare area's receipts service (the other organisation) reads only the
 * disclosure topic and writes only its own: it can neither read nor write roster or consent.
 */
export const KAFKA_ACL_TABLE: readonly AclGrant[] = [
  produce('roster', Topics.roster),

  consume('consent', Topics.roster),
  produce('consent', Topics.consent),
  groups('consent', 'consent'),
  deadLetters('consent', `${Topics.roster}.consent`),

  consume('disclosure', Topics.roster),
  consume('disclosure', Topics.consent),
  consume('disclosure', Topics.receipts),
  produce('disclosure', Topics.disclosure),
  groups('disclosure', 'disclosure-'),
  deadLetters('disclosure', `${Topics.roster}.disclosure-`),
  deadLetters('disclosure', `${Topics.consent}.disclosure-`),
  deadLetters('disclosure', `${Topics.receipts}.disclosure-`),

  consume('receipts', Topics.disclosure),
  produce('receipts', Topics.receipts),
  groups('receipts', 'receipts-'),
  deadLetters('receipts', `${Topics.disclosure}.receipts-`),
];

/** Operations Kafka's authorizer treats as implied by another: READ, WRITE (and DELETE, ALTER) imply DESCRIBE. */
const IMPLIES: Readonly<Record<AclOperation, readonly AclOperation[]>> = { READ: ['DESCRIBE'], WRITE: ['DESCRIBE'], CREATE: [], DESCRIBE: [] };

/** Whether a grant's pattern covers the resource name, as the broker matches it. */
export function grantCovers(grant: Pick<AclGrant, 'pattern' | 'name'>, name: string): boolean {
  return grant.pattern === 'literal' ? grant.name === name : name.startsWith(grant.name);
}

/** Whether the table lets `principal` do `operation` on the named topic or group (the broker's decision, modelled). */
export function isAllowed(
  principal: string,
  resource: AclResource,
  name: string,
  operation: AclOperation,
  table: readonly AclGrant[] = KAFKA_ACL_TABLE,
): boolean {
  return table.some(
    (grant) =>
      grant.principal === principal &&
      grant.resource === resource &&
      grantCovers(grant, name) &&
      grant.operations.some((op) => op === operation || IMPLIES[op].includes(operation)),
  );
}
