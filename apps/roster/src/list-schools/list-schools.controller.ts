import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Responds, Roles, Summary, ZodPipe } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import { CallerMunicipality } from '../shared/caller-org';
import { ListSchoolsQuery, type SchoolsPage } from './list-schools.query';
import { ListSchoolsAnswer } from './list-schools.responses';

/** `GET /v1/schools`. */
@Controller('v1/schools')
export class ListSchoolsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('school_admin')
  @Responds({ 403: ['other_organisation'] })
  @Answers(ListSchoolsAnswer)
  @Summary(
    "Your municipality's schools, a page at a time, ordered by id: {schools: [{schoolId, name, servedByWelfareAreaId (null until declared)}], nextCursor}. " +
      'limit, cursor: the nextCursor of the previous page; null on the last',
  )
  list(@Query(new ZodPipe(PageQuery)) page: PageQuery, @CallerMunicipality() municipalityId: string): Promise<SchoolsPage> {
    return this.queries.execute(new ListSchoolsQuery(municipalityId, page));
  }
}
