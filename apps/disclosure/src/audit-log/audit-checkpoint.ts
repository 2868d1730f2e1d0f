export { AUDIT_CHECKPOINT_SIGNED, CHECKPOINT_STREAM, asAuditCheckpoint, type AuditCheckpoint } from '@silta/audit-trail';
