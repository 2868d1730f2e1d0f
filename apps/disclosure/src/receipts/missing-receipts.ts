import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Between, DataSource, In, IsNull, LessThanOrEqual, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { z } from 'zod';
import { Caller, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { auditorScope } from '../queries/auditor-scope';
import { DecisionRecordEntity, type DecisionRecordRow } from '../queries/decision-record.entity';
import { toView } from '../queries/disclosure.query-handlers';

export const MissingReceiptsQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: '`from` must not be after `to`' });
export type MissingReceiptsQuery = z.infer<typeof MissingReceiptsQuery>;

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
    const from = filter.from ? new Date(filter.from).toISOString() : undefined;
    const to = filter.to ? new Date(filter.to).toISOString() : undefined;
    if (from && to) where.decidedAt = Between(from, to);
    else if (from) where.decidedAt = MoreThanOrEqual(from);
    else if (to) where.decidedAt = LessThanOrEqual(to);
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
