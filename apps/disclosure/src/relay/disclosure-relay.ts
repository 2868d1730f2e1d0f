import { DisclosureDecidedV1 } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import type { OutgoingMessage } from '@silta/messaging';
import { translateAuditTrailEvent } from '@silta/audit-trail';
import type { DisclosureDecided } from '@silta/decision';

/**
 * The public face of an audit event: the decision, without its inputs or any released data; each
 * signed checkpoint of the audit log, so the welfare area can witness and cosign it; and each of
 * the welfare area's checkpoints disclosure witnessed and cosigned. Receipts came from the welfare
 * area and are not echoed back.
 */
export function translateAuditEvent(event: RecordedEvent): OutgoingMessage | undefined {
  if (event.type !== 'DisclosureDecided') return translateAuditTrailEvent(event);
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
