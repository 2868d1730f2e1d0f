import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource, IsNull } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { DataCategory } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { Caller, EVENT_STORE, ProblemError, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import { AuditLog } from '../audit-log/audit-log';
import { auditStreamOf, upcastDisclosureDecided, type DisclosureReceived, type StoredDisclosureDecided } from '../domain/audit-events';
import { DecisionRecordEntity, type DecisionRecordRow } from '../queries/decision-record.entity';
import { DISCLOSURE_NAMESPACE } from '../request-disclosure/request-disclosure.handler';
import { decideReceipt, isRefusal, type ReceiptRefusalCode } from './receipt-rules';

export const ReceiptBody = z.strictObject({
  receivedCategories: z.array(DataCategory).min(1).max(DataCategory.options.length * 2),
  /** Lowercase hex SHA-256 of the canonical JSON (RFC 8785) of the `data` received. */
  dataHash: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
});
export type ReceiptBody = z.infer<typeof ReceiptBody>;

export class AcknowledgeReceipt {
  constructor(
    readonly disclosureId: string,
    readonly body: ReceiptBody,
    readonly caller: Principal,
  ) {}
}

const refusalStatus: Record<ReceiptRefusalCode, number> = {
  not_the_requester: 403,
  nothing_released: 409,
  already_receipted: 409,
  categories_mismatch: 400,
};

/** One receipt per disclosure: the event id is derived from the disclosure, so a retry writes once. */
export function receiptEventId(disclosureId: string): string {
  return uuidv5(`receipt\n${disclosureId}`, DISCLOSURE_NAMESPACE);
}

/**
 * The requesting professional acknowledges what a released disclosure delivered. The receipt is an
 * audit event in the student's log (a Merkle leaf like every other), relayed to the welfare area.
 */
@CommandHandler(AcknowledgeReceipt)
export class AcknowledgeReceiptHandler implements ICommandHandler<AcknowledgeReceipt> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ disclosureId, body, caller }: AcknowledgeReceipt) {
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId });
    if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${disclosureId}`);
    if (!caller.org) throw new ProblemError(403, 'no_organisation', 'a professional token must name an organisation');
    const decided = upcastDisclosureDecided(JSON.parse(row.record) as StoredDisclosureDecided);
    const outcome = decideReceipt(
      {
        disclosureId,
        studentId: row.studentId,
        requesterSub: row.requesterSub,
        released: decided.decision.categories.filter((c) => c.outcome === 'permit').map((c) => c.category),
        receiptAt: row.receiptAt ?? null,
      },
      body,
      { sub: caller.sub, role: caller.role, org: caller.org },
      new Date().toISOString(),
    );
    if (isRefusal(outcome)) throw new ProblemError(refusalStatus[outcome.refused], outcome.refused, outcome.detail);

    const eventId = receiptEventId(disclosureId);
    const result = await this.auditLog.append(row.studentId, eventId, outcome);
    // The log is the truth: mark the row from the receipt as stored, which is an earlier one if a
    // concurrent or interrupted request got there first.
    const [recorded] = await this.store.readStream(auditStreamOf(row.studentId), { fromRevision: result.nextExpectedRevision, maxCount: 1 });
    const stored = recorded!.data as DisclosureReceived;
    await this.markReceipted(row, stored);
    if (recorded!.id !== eventId || stored.receivedAt !== outcome.receivedAt || stored.dataHash !== outcome.dataHash) {
      throw new ProblemError(409, 'already_receipted', `acknowledged ${stored.receivedAt}`);
    }
    return {
      disclosureId,
      receivedCategories: stored.receivedCategories,
      dataHash: stored.dataHash,
      receivedAt: stored.receivedAt,
      audit: { stream: auditStreamOf(row.studentId), eventId, position: recorded!.position.toString() },
    };
  }

  private async markReceipted(row: DecisionRecordRow, stored: DisclosureReceived): Promise<void> {
    await this.dataSource.manager.update(
      DecisionRecordEntity,
      { disclosureId: row.disclosureId, receiptAt: IsNull() },
      { receiptAt: stored.receivedAt, receiptDataHash: stored.dataHash },
    );
  }
}

@Controller('v1/disclosures')
export class AcknowledgeReceiptController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':disclosureId/receipt')
  @HttpCode(200)
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Summary('Acknowledge, as its requester, the categories and the data hash a released disclosure delivered')
  acknowledge(@Param('disclosureId') disclosureId: string, @ValidBody(ReceiptBody) body: ReceiptBody, @Caller() caller: Principal) {
    return this.commands.execute(new AcknowledgeReceipt(disclosureId, body, caller));
  }
}
