import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Responds, Roles, Summary, ZodPipe } from '@silta/platform';
import { CallerWelfareArea } from '../shared/caller-org';
import { AssignmentsQuery, ListAssignmentsQuery, type AssignmentsPage } from './list-assignments.query';
import { ListAssignmentsAnswer } from './list-assignments.responses';

/** `GET /v1/assignments`. */
@Controller('v1/assignments')
export class ListAssignmentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('welfare_admin')
  @Responds({ 403: ['other_organisation'] })
  @Answers(ListAssignmentsAnswer)
  @Summary(
    "Your welfare area's assignments, ended ones included and marked, a page at a time, ordered by id; ?schoolId= for one school's: " +
      '{assignments: [{assignmentId, professionalId, role, schoolId, validFrom, validUntil?, assignedAt, ended, endedAt?, current}], nextCursor}. ' +
      'limit, cursor: the nextCursor of the previous page',
  )
  list(@Query(new ZodPipe(AssignmentsQuery)) query: AssignmentsQuery, @CallerWelfareArea() welfareAreaId: string): Promise<AssignmentsPage> {
    return this.queries.execute(new ListAssignmentsQuery(welfareAreaId, query));
  }
}
