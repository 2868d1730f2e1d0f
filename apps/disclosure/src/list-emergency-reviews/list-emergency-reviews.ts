import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, Raw, type FindOptionsWhere } from 'typeorm';
import { z } from 'zod';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import { auditorScope } from '../shared/auditor-scope';
import type { DecisionRecordRow } from '../shared/decision-record.entity';
import { pageOfDecisions, viewsOf } from '../shared/decision-views';
import { EmergencyReviewEntity } from '../shared/emergency-review.entity';
import { DisclosurePage } from '../shared/decision-view.responses';

export const ReviewQueueQuery = z.strictObject({ status: z.enum(['unreviewed', 'reviewed', 'all']).default('unreviewed'), ...PageQuery.shape });
export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuery>;

/** Emergency decisions and the caller's organisation's review of them; those it has not reviewed by default. */
export class ListEmergencyReviews {
  constructor(
    readonly query: ReviewQueueQuery,
    readonly caller: Principal,
  ) {}
}

@QueryHandler(ListEmergencyReviews)
export class ListEmergencyReviewsHandler implements IQueryHandler<ListEmergencyReviews> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ query, caller }: ListEmergencyReviews) {
    const where: FindOptionsWhere<DecisionRecordRow> = { ...auditorScope(caller), flagReview: true };
    if (query.status !== 'all') {
      // Reviewed or not by the caller's own organisation: another organisation's review does not
      // take a disclosure off this auditor's queue.
      const reviews = this.dataSource.getMetadata(EmergencyReviewEntity).tableName;
      const membership = query.status === 'reviewed' ? 'IN' : 'NOT IN';
      where.disclosureId = Raw((column) => `${column} ${membership} (SELECT disclosure_id FROM ${reviews} WHERE reviewer_org = :reviewerOrg)`, { reviewerOrg: caller.org! });
    }
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, where, query);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

@Controller()
export class ListEmergencyReviewsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/audit/emergency-reviews')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Answers(DisclosurePage)
  @Summary("Emergency decisions in your organisation's scope and its review of them (status=unreviewed|reviewed|all: by your organisation; unreviewed by default), with every organisation's review; paged (limit, cursor)")
  reviews(@Query(new ZodPipe(ReviewQueueQuery)) query: ReviewQueueQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListEmergencyReviews(query, caller));
  }
}
