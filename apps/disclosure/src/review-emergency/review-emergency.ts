import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { Caller, ProblemError, Roles, Summary, ValidBody, orgOf, type Principal } from '@silta/platform';
import { AuditLog } from '../audit-log/audit-log';
import type { EmergencyAccessReviewed } from '../domain/audit-events';
import { AuditRecordCatchUp } from '../queries/audit-record-catch-up';
import { DecisionRecordEntity } from '../queries/decision-record.entity';
import { auditorScope } from '../queries/auditor-scope';
import { DISCLOSURE_NAMESPACE } from '../request-disclosure/request-disclosure.handler';
import { EmergencyReviewEntity, writeReviewRows } from './emergency-review.entity';

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
  ) {}
}

/** The audit event id of one organisation's review of one disclosure: a retry writes once. */
export function reviewEventId(disclosureId: string, reviewerOrg: string): string {
  return uuidv5(`review\n${disclosureId}\n${reviewerOrg}`, DISCLOSURE_NAMESPACE);
}

/**
 * An auditor records their organisation's review of an emergency disclosure in its scope, once per
 * organisation, as its own audit event: the municipality's auditor as the controller, the
 * recipient welfare area's for its own organisation. Neither review locks the other out.
 */
@CommandHandler(ReviewEmergencyAccess)
export class ReviewEmergencyAccessHandler implements ICommandHandler<ReviewEmergencyAccess> {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
    private readonly catchUp: AuditRecordCatchUp,
  ) {}

  async execute({ disclosureId, body, caller }: ReviewEmergencyAccess) {
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...auditorScope(caller) });
    if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${disclosureId} in your organisation's scope`);
    if (!row.flagReview) throw new ProblemError(409, 'not_an_emergency_disclosure', 'only emergency disclosures are reviewed');
    const reviewerOrg = caller.org!;
    const earlier = await this.dataSource.manager.findOneBy(EmergencyReviewEntity, { disclosureId, reviewerOrg });
    if (earlier) throw new ProblemError(409, 'already_reviewed', `your organisation reviewed it ${earlier.reviewedAt} (${earlier.reviewedBy})`);
    const event: EmergencyAccessReviewed = {
      type: 'EmergencyAccessReviewed',
      disclosureId,
      reviewer: { sub: caller.sub, org: reviewerOrg },
      reviewedAs: orgOf(caller)?.kind === 'municipality' ? 'controller' : 'recipient',
      outcome: body.outcome,
      ...(body.note ? { note: body.note } : {}),
      reviewedAt: new Date().toISOString(),
    };
    await this.auditLog.append(row.studentId, reviewEventId(disclosureId, reviewerOrg), event);
    await writeReviewRows(this.dataSource.manager, [event]).catch((error: unknown) => {
      this.catchUp.rowWriteFailed();
      throw error;
    });
    return { disclosureId, outcome: event.outcome, reviewedAs: event.reviewedAs, reviewedAt: event.reviewedAt };
  }
}

@Controller('v1/audit/emergency-reviews')
export class ReviewEmergencyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':disclosureId')
  @HttpCode(200)
  @Roles('auditor')
  @Summary("Record your organisation's review of an emergency disclosure in its scope: the municipality's as the controller's, the welfare area's as its own; once per organisation")
  review(@Param('disclosureId') disclosureId: string, @ValidBody(ReviewBody) body: ReviewBody, @Caller() caller: Principal) {
    return this.commands.execute(new ReviewEmergencyAccess(disclosureId, body, caller));
  }
}
