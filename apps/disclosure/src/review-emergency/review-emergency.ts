import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { Refusal } from '@silta/contracts';
import { WrongExpectedVersionError, type EventMetadataInput, type EventStore } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, EVENT_STORE, RequestMetadata, Responds, Roles, Summary, ValidBody, orgOf, type Principal } from '@silta/platform';
import type { EmergencyAccessReviewed } from '@silta/decision';
import { AuditLog } from '../shared/audit-log';
import { AuditRecordCatchUp } from '../shared/audit-record-catch-up';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { DISCLOSURE_NAMESPACE } from '../shared/disclosure-ids';
import { EmergencyReviewEntity } from '../shared/emergency-review.entity';
import { recordReview, reviewOnStream, reviewStreamEvent, reviewStreamOf } from '../shared/review-stream';
import { ReviewEmergencyAnswer } from './review-emergency.responses';

export const ReviewBody = z.strictObject({
  outcome: z.enum(['justified', 'unjustified']),
  note: z.string().min(1).max(4000).optional(),
});
export type ReviewBody = z.infer<typeof ReviewBody>;

export class ReviewEmergencyAccess {
  constructor(
    readonly disclosureId: string,
    readonly body: ReviewBody,
    readonly caller: Principal,
    /** What the review's events record of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput = {},
  ) {}
}

/** The audit event id of one organisation's review of one disclosure: a retry writes once. */
export function reviewEventId(disclosureId: string, reviewerOrg: string): string {
  return uuidv5(`review\n${disclosureId}\n${reviewerOrg}`, DISCLOSURE_NAMESPACE);
}

/** The answer to a second review by the same organisation, naming the one on record. */
function alreadyReviewed(earlier: { reviewedAt: string; reviewedBy: string }): Refusal {
  return new Refusal('conflict', 'already_reviewed', `your organisation reviewed it ${earlier.reviewedAt} (${earlier.reviewedBy})`);
}

/**
 * An auditor records their organisation's review of an emergency disclosure in its scope, once per
 * organisation, as its own audit event: the municipality's auditor as the controller, the
 * recipient welfare area's for its own organisation. Neither review locks the other out.
 *
 * The review's own stream decides, and the audit record follows: the audit stream is the student's,
 * shared with every other disclosure about them, so an expected revision there would make
 * unrelated writes conflict. Of concurrent reviews by one organisation the append at `no_stream`
 * lets exactly one through; the others answer 409 as a repeat does. The winner then appends the
 * audit event and writes the row; if either fails, the catch-up writes them from the review stream.
 * Reviews recorded before reviews had streams have a row but no stream: the row check answers them.
 */
@CommandHandler(ReviewEmergencyAccess)
export class ReviewEmergencyAccessHandler implements ICommandHandler<ReviewEmergencyAccess> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
    private readonly catchUp: AuditRecordCatchUp,
  ) {}

  async execute({ disclosureId, body, caller, metadata }: ReviewEmergencyAccess) {
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...auditorScope(caller) });
    if (!row) throw new Refusal('not_found', 'disclosure_not_found', `no disclosure ${disclosureId} in your organisation's scope`);
    if (!row.flagReview) throw new Refusal('conflict', 'not_an_emergency_disclosure', 'only emergency disclosures are reviewed');
    const reviewerOrg = caller.org!;
    const stream = reviewStreamOf(disclosureId, reviewerOrg);
    const onStream = await reviewOnStream(this.store, stream);
    if (onStream) throw alreadyReviewed({ reviewedAt: onStream.review.reviewedAt, reviewedBy: onStream.review.reviewer.sub });
    const earlier = await this.dataSource.manager.findOneBy(EmergencyReviewEntity, { disclosureId, reviewerOrg });
    if (earlier) throw alreadyReviewed(earlier);
    const review: EmergencyAccessReviewed = {
      type: 'EmergencyAccessReviewed',
      disclosureId,
      reviewer: { sub: caller.sub, org: reviewerOrg },
      reviewedAs: orgOf(caller)?.kind === 'municipality' ? 'controller' : 'recipient',
      outcome: body.outcome,
      ...(body.note ? { note: body.note } : {}),
      reviewedAt: new Date().toISOString(),
    };
    const decided = { review, record: { studentId: row.studentId, auditEventId: reviewEventId(disclosureId, reviewerOrg) }, metadata };
    try {
      await this.store.appendToStream(stream, [reviewStreamEvent(decided, randomUUID())], 'no_stream');
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const winner = await reviewOnStream(this.store, stream);
      throw alreadyReviewed({ reviewedAt: winner!.review.reviewedAt, reviewedBy: winner!.review.reviewer.sub });
    }
    await recordReview(this.auditLog, this.dataSource.manager, decided).catch((error: unknown) => {
      this.catchUp.rowWriteFailed();
      throw error;
    });
    return { disclosureId, outcome: review.outcome, reviewedAs: review.reviewedAs, reviewedAt: review.reviewedAt };
  }
}

@Controller('v1/audit/emergency-reviews')
export class ReviewEmergencyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':disclosureId')
  @HttpCode(200)
  @Roles('auditor')
  @Responds(APPEND_PROBLEMS, { 403: ['no_organisation'], 404: ['disclosure_not_found'], 409: ['already_reviewed', 'not_an_emergency_disclosure'] })
  @Answers(ReviewEmergencyAnswer)
  @Summary("Record your organisation's review of an emergency disclosure in its scope: the municipality's as the controller's, the welfare area's as its own; once per organisation")
  review(@Param('disclosureId') disclosureId: string, @ValidBody(ReviewBody) body: ReviewBody, @Caller() caller: Principal, @RequestMetadata() metadata: EventMetadataInput) {
    return this.commands.execute(new ReviewEmergencyAccess(disclosureId, body, caller, metadata));
  }
}
