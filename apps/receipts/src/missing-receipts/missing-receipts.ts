import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, IsNull, type FindOptionsWhere } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, orgOf, withinPeriod, type Principal } from '@silta/platform';
import { PeriodPageQuery, readPage } from '@silta/platform/paging';
import { ReleasedDisclosureEntity } from '../released/released-disclosure.entity';
import { MissingReceiptsAnswer } from './missing-receipts.responses';

export const MissingReceiptsQuery = PeriodPageQuery;
export type MissingReceiptsQuery = PeriodPageQuery;

export class ListMissingReceipts {
  constructor(
    readonly filter: MissingReceiptsQuery,
    readonly caller: Principal,
  ) {}
}

/** Disclosures released to the auditor's welfare area that none of its professionals acknowledged. */
@QueryHandler(ListMissingReceipts)
export class ListMissingReceiptsHandler implements IQueryHandler<ListMissingReceipts> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: ListMissingReceipts) {
    if (orgOf(caller)?.kind !== 'welfare-area') throw new Refusal('forbidden', 'forbidden', "the receipts report is for the welfare area's own auditors");
    const where: FindOptionsWhere<ReleasedDisclosureEntity> = { requesterOrg: caller.org!, receiptAt: IsNull() };
    const decidedAt = withinPeriod(filter);
    if (decidedAt) where.decidedAt = decidedAt;
    const { rows, nextCursor } = await readPage((options) => this.dataSource.manager.find(ReleasedDisclosureEntity, options), where, { at: 'decidedAt', id: 'disclosureId' }, filter);
    return {
      nextCursor,
      disclosures: rows.map((row) => ({
        disclosureId: row.disclosureId,
        studentId: row.studentId,
        requester: { sub: row.requesterSub, role: row.requesterRole, org: row.requesterOrg },
        released: row.released.split(','),
        decidedAt: row.decidedAt,
      })),
    };
  }
}

@Controller('v1/receipts')
export class MissingReceiptsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('missing')
  @Roles('auditor')
  @Responds({ 403: ['forbidden'] })
  @Answers(MissingReceiptsAnswer)
  @Summary('Disclosures released to your welfare area without a receipt, by period; paged (limit, cursor)')
  missing(@Query(new ZodPipe(MissingReceiptsQuery)) filter: MissingReceiptsQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListMissingReceipts(filter, caller));
  }
}
