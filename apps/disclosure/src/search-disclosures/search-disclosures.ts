import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { z } from 'zod';
import { EntityId } from '@silta/contracts';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, withinPeriod, type Principal } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import { auditorScope } from '../shared/auditor-scope';
import type { DecisionRecordRow } from '../shared/decision-record.entity';
import { pageOfDecisions, viewsOf } from '../shared/decision-views';
import { DisclosurePage } from '../shared/decision-view.responses';

export const AuditQuery = z.strictObject({
  studentId: EntityId.optional(),
  professionalId: z.string().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...PageQuery.shape,
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** Decisions within the auditor's organisation's scope, filtered. */
export class SearchDisclosures {
  constructor(
    readonly filter: AuditQuery,
    readonly caller: Principal,
  ) {}
}

/** Necessity decisions flagged for supervision, by period and professional. */
export class ListSupervisionFlagged {
  constructor(
    readonly filter: AuditQuery,
    readonly caller: Principal,
  ) {}
}

/** The auditor's scope narrowed by student, professional and period. */
function auditFilter(filter: AuditQuery, caller: Principal): FindOptionsWhere<DecisionRecordRow> {
  const where: FindOptionsWhere<DecisionRecordRow> = { ...auditorScope(caller) };
  if (filter.studentId) where.studentId = filter.studentId;
  if (filter.professionalId) where.requesterSub = filter.professionalId;
  const decidedAt = withinPeriod(filter);
  if (decidedAt) where.decidedAt = decidedAt;
  return where;
}

@QueryHandler(SearchDisclosures)
export class SearchDisclosuresHandler implements IQueryHandler<SearchDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: SearchDisclosures) {
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, auditFilter(filter, caller), filter);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

@QueryHandler(ListSupervisionFlagged)
export class ListSupervisionFlaggedHandler implements IQueryHandler<ListSupervisionFlagged> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: ListSupervisionFlagged) {
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, { ...auditFilter(filter, caller), flagSupervision: true }, filter);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

/** The auditor's search of the decisions in their scope, and its supervision list (the same search, flagged decisions only). */
@Controller()
export class SearchDisclosuresController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/audit/disclosures')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Answers(DisclosurePage)
  @Summary("Decisions in the auditor's organisation's scope, by student, professional and period; paged (limit, cursor: nextCursor of the previous page, null on the last)")
  search(@Query(new ZodPipe(AuditQuery)) filter: AuditQuery, @Caller() caller: Principal) {
    return this.queries.execute(new SearchDisclosures(filter, caller));
  }

  @Get('v1/audit/supervision')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Answers(DisclosurePage)
  @Summary('Necessity decisions flagged for supervision, by period and professional; paged (limit, cursor)')
  supervision(@Query(new ZodPipe(AuditQuery)) filter: AuditQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListSupervisionFlagged(filter, caller));
  }
}
