import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { Caller, ProblemError, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import { AuditLog } from '../audit-log/audit-log';
import type { EmergencyAccessReviewed } from '../domain/audit-events';
import { DecisionRecordEntity } from '../queries/decision-record.entity';
import { auditorScope } from '../queries/auditor-scope';
import { DISCLOSURE_NAMESPACE } from '../request-disclosure/request-disclosure.handler';

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

/** An auditor records the outcome of an emergency disclosure's review, once, as its own audit event. */
@CommandHandler(ReviewEmergencyAccess)
export class ReviewEmergencyAccessHandler implements ICommandHandler<ReviewEmergencyAccess> {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
  ) {}

  async execute({ disclosureId, body, caller }: ReviewEmergencyAccess) {
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...auditorScope(caller) });
    if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${disclosureId} in your organisation's scope`);
    if (!row.flagReview) throw new ProblemError(409, 'not_an_emergency_disclosure', 'only emergency disclosures are reviewed');
    if (row.reviewedAt) throw new ProblemError(409, 'already_reviewed', `reviewed ${row.reviewedAt} by ${row.reviewedBy}`);
    const event: EmergencyAccessReviewed = {
      type: 'EmergencyAccessReviewed',
      disclosureId,
      reviewer: { sub: caller.sub, org: caller.org! },
      outcome: body.outcome,
      ...(body.note ? { note: body.note } : {}),
      reviewedAt: new Date().toISOString(),
    };
    // One review per disclosure: the event id is derived from the disclosure, so a retry writes once.
    const eventId = uuidv5(`review\n${disclosureId}`, DISCLOSURE_NAMESPACE);
    await this.auditLog.append(row.studentId, eventId, event);
    await this.dataSource.manager.update(
      DecisionRecordEntity,
      { disclosureId },
      { reviewOutcome: event.outcome, reviewedAt: event.reviewedAt, reviewedBy: caller.sub },
    );
    return { disclosureId, outcome: event.outcome, reviewedAt: event.reviewedAt };
  }
}

@Controller('v1/audit/emergency-reviews')
export class ReviewEmergencyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':disclosureId')
  @HttpCode(200)
  @Roles('auditor')
  @Summary('Record the review outcome of an emergency disclosure in your organisation\'s scope')
  review(@Param('disclosureId') disclosureId: string, @ValidBody(ReviewBody) body: ReviewBody, @Caller() caller: Principal) {
    return this.commands.execute(new ReviewEmergencyAccess(disclosureId, body, caller));
  }
}
