import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEventScope } from '@silta/audit-trail';
import type { RecordedEvent } from '@silta/event-store';
import { orgOf, type Principal } from '@silta/platform';
import type { DisclosureExplained, DisclosureReceived, EmergencyAccessReviewed } from '@silta/decision';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity } from '../shared/decision-record.entity';

/** The disclosure an audit event belongs to, if it belongs to one. */
export function disclosureOfEvent(event: RecordedEvent): string | undefined {
  switch (event.type) {
    case 'DisclosureDecided':
      return event.id;
    case 'EmergencyAccessReviewed':
      return (event.data as EmergencyAccessReviewed).disclosureId;
    case 'DisclosureReceived':
      return (event.data as DisclosureReceived).disclosureId;
    default:
      return undefined;
  }
}

/**
 * An explanation is in an auditor's scope when their welfare area asked it, or, for a municipality's
 * auditor, when it is about one of the municipality's students (it releases nothing, but it is the
 * controller's record).
 */
export function explanationInScope(explained: DisclosureExplained, caller: Principal): boolean {
  const org = orgOf(caller);
  if (!org) return false;
  if (org.kind === 'municipality') return explained.input.snapshot.student?.municipalityId === org.id;
  return explained.requester.org === caller.org;
}

/**
 * Which of the municipality's audit events an auditor sees proofs of: the decisions, reviews and
 * receipts of disclosures in their organisation's scope (as the audit queries scope them), and
 * explanations as above.
 */
@Injectable()
export class DisclosureAuditScope implements AuditEventScope {
  constructor(private readonly dataSource: DataSource) {}

  async covers(event: RecordedEvent, caller: Principal): Promise<boolean> {
    if (event.type === 'DisclosureExplained') return explanationInScope(event.data as DisclosureExplained, caller);
    const disclosureId = disclosureOfEvent(event);
    if (!disclosureId) return false;
    return this.dataSource.manager.existsBy(DecisionRecordEntity, { disclosureId, ...auditorScope(caller) });
  }
}
