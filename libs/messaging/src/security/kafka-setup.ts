import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, type AclEntry, type AclFilter, type Kafka, type ResourcePatternTypes } from 'kafkajs';
import { Topics } from '@silta/contracts';
import { ensureTopics } from '../kafka';
import { KAFKA_ACL_TABLE, SERVICE_PRINCIPALS, SILTA_TOPIC_PARTITIONS, type AclGrant, type AclOperation } from './acl-table';

// kafkajs 2.2.4 declares ResourcePatternTypes in its types but does not export it at run time.
const PATTERN = { any: 1, literal: 3, prefixed: 4 } as unknown as Record<'any' | 'literal' | 'prefixed', ResourcePatternTypes>;
const OPERATION: Readonly<Record<AclOperation, AclOperationTypes>> = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  CREATE: AclOperationTypes.CREATE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
};
const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP } as const;

export interface KafkaSecurityOptions {
  /** The table to apply (default: KAFKA_ACL_TABLE). */
  readonly table?: readonly AclGrant[];
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** How long to wait for the topics' partition leaders (default 60 s). */
  readonly leaderTimeoutMs?: number;
}

export interface KafkaSecuritySummary {
  /** ACL bindings that were missing and were created. */
  readonly created: number;
  /** ACL bindings of the table's principals that the table does not hold, deleted. */
  readonly deleted: number;
  /** ACL bindings of the table's principals on the broker afterwards. */
  readonly total: number;
}

/** The broker's ACL bindings for a table: one per row and operation, ALLOW from any host. */
export function aclBindingsOf(table: readonly AclGrant[]): AclEntry[] {
  return table.flatMap((grant) =>
    grant.operations.map((operation) => ({
      resourceType: RESOURCE[grant.resource],
      resourceName: grant.name,
      resourcePatternType: PATTERN[grant.pattern],
      principal: `User:${grant.principal}`,
      host: '*',
      operation: OPERATION[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

const keyOf = (acl: AclEntry): string =>
  [acl.resourceType, acl.resourcePatternType, acl.resourceName, acl.principal, acl.host, acl.operation, acl.permissionType].join('\u0000');

/** Every ACL binding the broker holds for a principal. */
async function bindingsOfPrincipal(admin: ReturnType<Kafka['admin']>, principal: string): Promise<AclEntry[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: PATTERN.any,
    principal,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  return resources.flatMap(({ resourceType, resourceName, resourcePatternType, acls }) =>
    acls.map((acl) => ({ resourceType, resourceName, resourcePatternType, ...acl })),
  );
}

/**
 * Creates Silta's four topics (SILTA_TOPIC_PARTITIONS partitions each, waiting for their leaders)
 * and makes the broker's ACLs for the services' principals exactly the table: missing bindings are
 * created, then bindings of those principals that the table does not hold are deleted (a grant
 * dropped from the table is revoked). Other principals' ACLs are left alone. Idempotent. `kafka`
 * must log in as a super user (the `admin` principal).
 */
export async function applyKafkaSecurity(kafka: Kafka, options: KafkaSecurityOptions = {}): Promise<KafkaSecuritySummary> {
  const table = options.table ?? KAFKA_ACL_TABLE;
  const log = options.log ?? (() => undefined);
  const topics = Object.values(Topics);
  await ensureTopics(kafka, topics, SILTA_TOPIC_PARTITIONS, { leaderTimeoutMs: options.leaderTimeoutMs });
  log(`topics ready: ${topics.join(', ')}`);

  const principals = [...new Set([...SERVICE_PRINCIPALS, ...table.map((grant) => grant.principal)])].map((p) => `User:${p}`);
  const wanted = aclBindingsOf(table);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = (await Promise.all(principals.map((principal) => bindingsOfPrincipal(admin, principal)))).flat();
    const have = new Set(existing.map(keyOf));
    const want = new Set(wanted.map(keyOf));
    const missing = wanted.filter((acl) => !have.has(keyOf(acl)));
    const extra = existing.filter((acl) => !want.has(keyOf(acl)));
    // Grant first, then revoke: a service never loses a right the table still gives it.
    if (missing.length > 0) await admin.createAcls({ acl: missing });
    if (extra.length > 0) await admin.deleteAcls({ filters: extra.map((acl): AclFilter => ({ ...acl })) });
    // Read back until the broker's authorizer shows exactly the table (it applies ACLs from the metadata log).
    let total: AclEntry[] = [];
    for (let attempt = 1; ; attempt++) {
      total = (await Promise.all(principals.map((principal) => bindingsOfPrincipal(admin, principal)))).flat();
      const after = new Set(total.map(keyOf));
      const absent = wanted.filter((acl) => !after.has(keyOf(acl)));
      if (absent.length === 0 && total.length === want.size) break;
      if (attempt === 20) {
        throw new Error(`the broker's ACLs do not match the table after applying it: ${absent.length} missing, ${total.length} bindings for ${want.size} wanted`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    log(`ACLs for ${principals.join(', ')}: ${missing.length} created, ${extra.length} revoked, ${total.length} in place`);
    return { created: missing.length, deleted: extra.length, total: total.length };
  } finally {
    await admin.disconnect();
  }
}
