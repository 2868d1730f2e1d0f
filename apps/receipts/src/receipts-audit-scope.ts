import { Injectable } from '@nestjs/common';
import type { AuditEventScope } from '@silta/audit-trail';
import type { RecordedEvent } from '@silta/event-store';
import type { Principal } from '@silta/platform';
import type { ReceiptsAuditEvent } from './domain/receipt-events';

/** The welfare area's log holds its professionals' receipts: an auditor sees those of their own organisation. */
@Injectable()
export class ReceiptsAuditScope implements AuditEventScope {
  covers(event: RecordedEvent, caller: Principal): Promise<boolean> {
    const data = event.data as ReceiptsAuditEvent;
    return Promise.resolve(caller.org !== undefined && event.type === 'DisclosureReceived' && data.receiver.org === caller.org);
  }
}
