import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Caller, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import {
  AuditQuery,
  GetDisclosure,
  GetDisclosureLog,
  ListEmergencyReviews,
  ListMyDisclosures,
  ListSupervisionFlagged,
  ReviewQueueQuery,
  SearchDisclosures,
} from './disclosure.queries';

@Controller()
export class DisclosureQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/disclosures')
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds({ 403: ['no_organisation'] })
  @Summary('Your own request history, oldest first, a page at a time (limit, cursor: the nextCursor of the previous page; null on the last)')
  mine(@Query(new ZodPipe(PageQuery)) page: PageQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListMyDisclosures(caller, page));
  }

  @Get('v1/disclosures/:disclosureId')
  @Roles('curator', 'psychologist', 'nurse', 'doctor', 'auditor')
  @Responds({ 403: ['no_organisation'], 404: ['disclosure_not_found'] })
  @Summary('One decision: to its requester, or to an auditor whose organisation it concerns')
  one(@Param('disclosureId') disclosureId: string, @Caller() caller: Principal) {
    return this.queries.execute(new GetDisclosure(disclosureId, caller));
  }

  @Get('v1/students/:studentId/disclosure-log')
  @Roles('guardian', 'student')
  @Responds({ 403: ['not_your_student', 'student_is_adult'], 502: ['roster_unavailable'] })
  @Summary("Who received the student's data, when and on what basis, a page at a time (limit, cursor)")
  log(@Param('studentId') studentId: string, @Query(new ZodPipe(PageQuery)) page: PageQuery, @Caller() caller: Principal) {
    return this.queries.execute(new GetDisclosureLog(studentId, caller, page));
  }

  @Get('v1/audit/disclosures')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Summary("Decisions in the auditor's organisation's scope, by student, professional and period; paged (limit, cursor: nextCursor of the previous page, null on the last)")
  search(@Query(new ZodPipe(AuditQuery)) filter: AuditQuery, @Caller() caller: Principal) {
    return this.queries.execute(new SearchDisclosures(filter, caller));
  }

  @Get('v1/audit/supervision')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Summary('Necessity decisions flagged for supervision, by period and professional; paged (limit, cursor)')
  supervision(@Query(new ZodPipe(AuditQuery)) filter: AuditQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListSupervisionFlagged(filter, caller));
  }

  @Get('v1/audit/emergency-reviews')
  @Roles('auditor')
  @Responds({ 403: ['no_organisation'] })
  @Summary("Emergency decisions in your organisation's scope and its review of them (status=unreviewed|reviewed|all: by your organisation; unreviewed by default), with every organisation's review; paged (limit, cursor)")
  reviews(@Query(new ZodPipe(ReviewQueueQuery)) query: ReviewQueueQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListEmergencyReviews(query, caller));
  }
}
