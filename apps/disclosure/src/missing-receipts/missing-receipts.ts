import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, In, IsNull, type FindOptionsWhere } from 'typeorm';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, withinPeriod, type Principal } from '@silta/platform';
import { PeriodPageQuery } from '@silta/platform/paging';
import { auditorScope } from '../shared/auditor-scope';
import type { DecisionRecordRow } from '../shared/decision-record.entity';
import { pageOfDecisions, viewsOf } from '../shared/decision-views';
import { DisclosurePage } from '../shared/decision-view.responses';

export const MissingReceiptsQuery = PeriodPageQuery;
export type MissingReceiptsQuery = PeriodPageQuery;

/** Released disclosures in the auditor's scope that the requester has not acknowledged. */
export class ListMissingReceipts {
  constructor(
    readonly filter: MissingReceiptsQuery,
    readonly caller: Principal,
  ) {}
}

@QueryHandler(ListMissingReceipts)
export class ListMissingReceiptsHandler implements IQueryHandler<ListMissingReceipts> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: ListMissingReceipts) {
    // permit and partial both released data; a deny released nothing and needs no receipt
    const where: FindOptionsWhere<DecisionRecordRow> = { ...auditorScope(caller), outcome: In(['permit', 'partial']), receiptAt: IsNull() };
    const decidedAt = withinPeriod(filter);
    if (decidedAt) where.decidedAt = decidedAt;
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, where, filter);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

@Controller('v1/audit/receipts')
export class MissingReceiptsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('missing')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Answers(DisclosurePage)
  @Summary('Released disclosures (permit or partial) in your scope without a receipt, by period; paged (limit, cursor)')
  missing(@Query(new ZodPipe(MissingReceiptsQuery)) filter: MissingReceiptsQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListMissingReceipts(filter, caller));
  }
}
