import { translateAuditTrailEvent } from '@silta/audit-trail';
import { DisclosureReceivedV1 } from '@silta/contracts';
import type { RecordedEvent } from '@silta/event-store';
import type { OutgoingMessage } from '@silta/messaging';
import type { DisclosureReceived } from './domain/receipt-events';

/**
 * What the welfare area publishes on silta.receipts.v1: each receipt, each signed checkpoint of its
 * own audit log (for the municipality to witness) and each of the municipality's checkpoints it
 * witnessed and cosigned (for the municipality to keep).
 */
export function translateReceiptsEvent(event: RecordedEvent): OutgoingMessage | undefined {
  if (event.type === 'DisclosureReceived') {
    const { disclosureId, studentId, receiver, receivedCategories, dataHash, receivedAt } = event.data as DisclosureReceived;
    const payload = { disclosureId, studentId, receiver, receivedCategories: [...receivedCategories], dataHash, receivedAt };
    return { key: DisclosureReceivedV1.key(payload), type: DisclosureReceivedV1.type, schemaVersion: 1, payload };
  }
  return translateAuditTrailEvent(event);
}
