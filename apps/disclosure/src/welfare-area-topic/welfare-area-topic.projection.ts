import { Injectable, Logger } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { Witness } from '@silta/audit-trail';
import { DisclosureReceivedV1, type ContractPayload } from '@silta/contracts';
import { causedByMessage, type EventMetadataInput } from '@silta/event-store';
import type { IncomingMessage } from '@silta/messaging';
import { upcastDisclosureDecided, type DisclosureReceived, type StoredDisclosureDecided } from '@silta/decision';
import { AuditLog } from '../shared/audit-log';
import { DecisionRecordEntity } from '../shared/decision-record.entity';

/** The consumer group that reads silta.receipts.v1 into disclosure. */
export const RECEIPTS_TOPIC_GROUP = 'disclosure-receipts';

/**
 * What the municipality takes from the welfare area's topic: each receipt its professionals
 * recorded on the welfare area's log, recorded again on the municipality's own log under the same
 * event id (so each party holds the evidence); each checkpoint of the welfare area's log,
 * witnessed; and the welfare area's cosignatures of the municipality's checkpoints, kept.
 *
 * A receipt that does not match what was released (another receiver, other categories, an unknown
 * disclosure) is not recorded as one: it is logged as an error for the auditors to look into.
 */
@Injectable()
export class WelfareAreaTopicProjection {
  private readonly logger = new Logger('receipts-topic');

  constructor(
    private readonly auditLog: AuditLog,
    private readonly witness: Witness,
  ) {}

  async handle(message: IncomingMessage, manager: EntityManager): Promise<void> {
    if (await this.witness.apply(message, manager)) return;
    if (message.type === DisclosureReceivedV1.type) {
      await this.received(message.eventId, message.payload as ContractPayload<typeof DisclosureReceivedV1>, manager, causedByMessage(message));
    }
  }

  private async received(eventId: string, receipt: ContractPayload<typeof DisclosureReceivedV1>, manager: EntityManager, cause: EventMetadataInput): Promise<void> {
    const row = await manager.findOneBy(DecisionRecordEntity, { disclosureId: receipt.disclosureId });
    const problem = row ? mismatch(row.record, receipt) : `no disclosure ${receipt.disclosureId} was decided here`;
    if (problem) {
      this.logger.error(`receipt ${eventId} from the welfare area not recorded: ${problem}`);
      return;
    }
    const event: DisclosureReceived = { type: 'DisclosureReceived', ...receipt };
    await this.auditLog.append(receipt.studentId, eventId, event, cause);
    await manager.update(
      DecisionRecordEntity,
      { disclosureId: receipt.disclosureId, receiptAt: IsNull() },
      { receiptAt: receipt.receivedAt, receiptDataHash: receipt.dataHash },
    );
  }
}

/** Why a receipt does not fit the recorded decision, or undefined when it does. */
function mismatch(record: string, receipt: ContractPayload<typeof DisclosureReceivedV1>): string | undefined {
  const decided = upcastDisclosureDecided(JSON.parse(record) as StoredDisclosureDecided);
  if (decided.input.request.studentId !== receipt.studentId) return `the disclosure is about another student`;
  // A requester is (organisation, subject): the same sub in another welfare area is someone else.
  if (decided.requester.sub !== receipt.receiver.sub || decided.requester.org !== receipt.receiver.org) {
    return `received by ${receipt.receiver.org}/${receipt.receiver.sub}, requested by ${decided.requester.org}/${decided.requester.sub}`;
  }
  const released = decided.decision.categories.filter((c) => c.outcome === 'permit').map((c) => c.category).sort();
  const received = [...new Set(receipt.receivedCategories)].sort();
  if (released.join(',') !== received.join(',') || received.length !== receipt.receivedCategories.length) {
    return `received ${receipt.receivedCategories.join(', ')}, released ${released.join(', ') || 'nothing'}`;
  }
  return undefined;
}
