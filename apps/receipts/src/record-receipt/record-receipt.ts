import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource, IsNull } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { AuditLog, auditStreamOf } from '@silta/audit-trail';
import { DataCategory, Refusal } from '@silta/contracts';
import type { EventMetadataInput, EventStore } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, EVENT_STORE, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { DisclosureReceived, ReceiptsAuditEvent } from '../domain/receipt-events';
import { ReceiptRefusal, decideReceipt } from '../domain/receipt-rules';
import { ReleasedDisclosureEntity } from '../released/released-disclosure.entity';
import { RecordReceiptAnswer } from './record-receipt.responses';

export const ReceiptBody = z.strictObject({
  receivedCategories: z.array(DataCategory).min(1).max(DataCategory.options.length * 2),
  /** Lowercase hex SHA-256 of the canonical JSON (RFC 8785) of the `data` received. */
  dataHash: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
});
export type ReceiptBody = z.infer<typeof ReceiptBody>;

export class RecordReceipt {
  constructor(
    readonly disclosureId: string,
    readonly body: ReceiptBody,
    readonly caller: Principal,
    /** What the receipt event records of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput,
  ) {}
}

/** Name-based ids of receipts: one per disclosure, the same on both parties' logs. */
export const RECEIPT_NAMESPACE = '3f9c1d27-6a4e-4b8f-9e2d-5c7a1b0e8f64';

export function receiptEventId(disclosureId: string): string {
  return uuidv5(`receipt\n${disclosureId}`, RECEIPT_NAMESPACE);
}

/**
 * The requesting professional acknowledges what a released disclosure delivered. The receipt is
 * an audit event on the welfare area's own log (a Merkle leaf, signed into its checkpoints), and is
 * published on silta.receipts.v1, from where disclosure records it on the municipality's log.
 */
@CommandHandler(RecordReceipt)
export class RecordReceiptHandler implements ICommandHandler<RecordReceipt> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly auditLog: AuditLog<ReceiptsAuditEvent>,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ disclosureId, body, caller, metadata }: RecordReceipt) {
    if (!caller.org) throw new Refusal('forbidden', 'no_organisation', 'a professional token must name an organisation');
    const row = await this.dataSource.manager.findOneBy(ReleasedDisclosureEntity, { disclosureId, requesterOrg: caller.org });
    if (!row) {
      throw new Refusal(
        'not_found',
        'disclosure_not_known',
        `no disclosure ${disclosureId} released to ${caller.org} is known here yet; if it was just released, retry in a moment`,
      );
    }
    const received = decideReceipt(
      {
        disclosureId,
        studentId: row.studentId,
        requesterSub: row.requesterSub,
        released: row.released.split(',') as DataCategory[],
        receiptAt: row.receiptAt,
      },
      body,
      { sub: caller.sub, role: caller.role, org: caller.org },
      new Date().toISOString(),
    );

    const eventId = receiptEventId(disclosureId);
    const result = await this.auditLog.append(row.studentId, eventId, received, metadata);
    // The log is the truth: answer and mark the receipt as stored, which is an earlier one (read
    // only then) if a concurrent or interrupted request got there first.
    const [earlier] = result.repeated
      ? await this.store.readStream(auditStreamOf(row.studentId), { fromRevision: result.nextExpectedRevision, maxCount: 1 })
      : [];
    const stored = earlier ? (earlier.data as DisclosureReceived) : received;
    await this.dataSource.manager.update(ReleasedDisclosureEntity, { disclosureId, receiptAt: IsNull() }, { receiptAt: stored.receivedAt });
    if (stored.receivedAt !== received.receivedAt || stored.dataHash !== received.dataHash) {
      throw new ReceiptRefusal('already_receipted', `acknowledged ${stored.receivedAt}`);
    }
    return {
      disclosureId,
      receivedCategories: stored.receivedCategories,
      dataHash: stored.dataHash,
      receivedAt: stored.receivedAt,
      audit: { stream: auditStreamOf(row.studentId), eventId, position: result.position.toString() },
    };
  }
}

@Controller('v1/disclosures')
export class RecordReceiptController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':disclosureId/receipt')
  @HttpCode(200)
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds(APPEND_PROBLEMS, { 400: ['categories_mismatch'], 403: ['no_organisation', 'not_the_requester'], 404: ['disclosure_not_known'], 409: ['already_receipted', 'nothing_released'] })
  @Answers(RecordReceiptAnswer)
  @Summary("Acknowledge, as its requester, the categories and the data hash a released disclosure delivered; recorded on the welfare area's audit log")
  acknowledge(@Param('disclosureId') disclosureId: string, @ValidBody(ReceiptBody) body: ReceiptBody, @Caller() caller: Principal, @RequestMetadata() metadata: EventMetadataInput) {
    return this.commands.execute(new RecordReceipt(disclosureId, body, caller, metadata));
  }
}
