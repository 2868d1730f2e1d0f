import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import { ownDecisions, pageOfDecisions, viewsOf } from '../shared/decision-views';
import { DisclosurePage } from '../shared/decision-view.responses';

/** A professional's own request history, a page at a time. */
export class ListMyDisclosures {
  constructor(
    readonly caller: Principal,
    readonly page: PageQuery,
  ) {}
}

@QueryHandler(ListMyDisclosures)
export class ListMyDisclosuresHandler implements IQueryHandler<ListMyDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ caller, page }: ListMyDisclosures) {
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, ownDecisions(caller), page);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

@Controller()
export class ListMyDisclosuresController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/disclosures')
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds({ 403: ['no_organisation'] })
  @Answers(DisclosurePage)
  @Summary('Your own request history, oldest first, a page at a time (limit, cursor: the nextCursor of the previous page; null on the last)')
  mine(@Query(new ZodPipe(PageQuery)) page: PageQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListMyDisclosures(caller, page));
  }
}
