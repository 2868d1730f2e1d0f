/**
 * @silta/audit-trail — a party's tamper-evident audit log on top of its event store: audit events
 * appended with their Merkle leaf hashes, the tree kept in the service's database, and signed
 * checkpoints (periodic and on demand) with inclusion and consistency proofs. Disclosure (the
 * municipality's log) and receipts (the welfare area's log) each run one.
 */
export * from './audit-event-scope';
export * from './audit-log';
export * from './audit-log-queries';
export * from './audit-log.controller';
export * from './audit-trail-metrics';
export * from './audit-trail-relay';
export * from './checkpoint';
export * from './checkpointer';
export * from './settings';
export * from './stream-completeness';
export * from './tree.entities';
export * from './witness';

import { AuditLogQueries } from './audit-log-queries';
import { AuditTrailMetrics } from './audit-trail-metrics';
import { AuditCheckpointer } from './checkpointer';
import { auditLogSettingsProvider } from './settings';
import { Witness, peerConsistencyProvider } from './witness';

/** What a service with an audit log provides (and AuditLogController for its API). */
export const auditTrailProviders = [auditLogSettingsProvider, AuditCheckpointer, Witness, peerConsistencyProvider, AuditLogQueries, AuditTrailMetrics];
