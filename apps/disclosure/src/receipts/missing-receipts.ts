import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, In, IsNull, type FindOptionsWhere } from 'typeorm';
import { Caller, Roles, Summary, ZodPipe, type Principal, PeriodQuery, withinPeriod } from '@silta/platform';
import { auditorScope } from '../queries/auditor-scope';
import { DecisionRecordEntity, type DecisionRecordRow } from '../queries/decision-record.entity';
import { toView } from '../queries/disclosure.query-handlers';

export const MissingReceiptsQuery = PeriodQuery;
export type MissingReceiptsQuery = PeriodQuery;

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
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' }, take: 1000 });
    return { disclosures: rows.map(toView) };
  }
}

@Controller('v1/audit/receipts')
export class MissingReceiptsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('missing')
  @Roles('auditor')
  @Summary('Released disclosures (permit or partial) in your scope without a receipt, by period')
  missing(@Query(new ZodPipe(MissingReceiptsQuery)) filter: MissingReceiptsQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListMissingReceipts(filter, caller));
  }
}
