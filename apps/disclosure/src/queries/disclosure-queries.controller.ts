import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Caller, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
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
  @Summary('Your own request history')
  mine(@Caller() caller: Principal) {
    return this.queries.execute(new ListMyDisclosures(caller));
  }

  @Get('v1/disclosures/:disclosureId')
  @Roles('curator', 'psychologist', 'nurse', 'doctor', 'auditor')
  @Summary('One decision: to its requester, or to an auditor whose organisation it concerns')
  one(@Param('disclosureId') disclosureId: string, @Caller() caller: Principal) {
    return this.queries.execute(new GetDisclosure(disclosureId, caller));
  }

  @Get('v1/students/:studentId/disclosure-log')
  @Roles('guardian', 'student')
  @Summary('Who received the student\'s data, when and on what basis')
  log(@Param('studentId') studentId: string, @Caller() caller: Principal) {
    return this.queries.execute(new GetDisclosureLog(studentId, caller));
  }

  @Get('v1/audit/disclosures')
  @Roles('auditor')
  @Summary('Decisions in the auditor\'s organisation\'s scope, by student, professional and period')
  search(@Query(new ZodPipe(AuditQuery)) filter: AuditQuery, @Caller() caller: Principal) {
    return this.queries.execute(new SearchDisclosures(filter, caller));
  }

  @Get('v1/audit/supervision')
  @Roles('auditor')
  @Summary('Necessity decisions flagged for supervision, by period and professional')
  supervision(@Query(new ZodPipe(AuditQuery)) filter: AuditQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListSupervisionFlagged(filter, caller));
  }

  @Get('v1/audit/emergency-reviews')
  @Roles('auditor')
  @Summary('Emergency decisions and their review state (status=unreviewed|reviewed|all; unreviewed by default)')
  reviews(@Query(new ZodPipe(ReviewQueueQuery)) query: ReviewQueueQuery, @Caller() caller: Principal) {
    return this.queries.execute(new ListEmergencyReviews(query.status, caller));
  }
}
