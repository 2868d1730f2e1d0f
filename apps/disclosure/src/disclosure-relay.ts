import { AuditCheckpointSignedV1, DisclosureDecidedV1, DisclosureReceivedV1 } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import type { OutgoingMessage } from '@silta/messaging';
import { AUDIT_CHECKPOINT_SIGNED, CHECKPOINT_STREAM, asAuditCheckpoint, type AuditCheckpoint } from '@silta/audit-trail';
import type { DisclosureDecided, DisclosureReceived } from './domain/audit-events';

/**
 * The public face of an audit event: the decision, without its inputs or any released data; and
 * each signed checkpoint of the audit log, so the other party can keep and countersign it; and
 * each receipt, so the welfare area's systems hold the same evidence of what crossed.
 */
export function translateAuditEvent(event: RecordedEvent): OutgoingMessage | undefined {
  if (event.streamId === CHECKPOINT_STREAM && event.type === AUDIT_CHECKPOINT_SIGNED) {
    const payload = asAuditCheckpoint(event.data as AuditCheckpoint);
    return { key: AuditCheckpointSignedV1.key(payload), type: AuditCheckpointSignedV1.type, schemaVersion: 1, payload };
  }
  if (event.type === 'DisclosureReceived') {
    const { disclosureId, studentId, receiver, receivedCategories, dataHash, receivedAt } = event.data as DisclosureReceived;
    const payload = { disclosureId, studentId, receiver, receivedCategories: [...receivedCategories], dataHash, receivedAt };
    return { key: DisclosureReceivedV1.key(payload), type: DisclosureReceivedV1.type, schemaVersion: 1, payload };
  }
  if (event.type !== 'DisclosureDecided') return undefined;
  const decided = event.data as DisclosureDecided;
  const payload = {
    disclosureId: decided.disclosureId,
    studentId: decided.input.request.studentId,
    requester: decided.requester,
    basis: decided.input.request.basis,
    outcome: decided.decision.outcome,
    categories: decided.decision.categories.map(({ category, outcome, reason }) => ({ category, outcome, reason })),
    policyVersion: decided.input.policy.version,
    decidedAt: decided.decidedAt,
  };
  return { key: DisclosureDecidedV1.key(payload), type: DisclosureDecidedV1.type, schemaVersion: 1, payload };
}
