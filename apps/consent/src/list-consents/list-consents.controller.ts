import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Caller, Responds, Roles, Summary, type Principal } from '@silta/platform';
import { ListConsentsQuery, type StudentConsents } from './list-consents.query';
import { ListConsentsAnswer } from './list-consents.responses';

/** GET /v1/students/{studentId}/consents. */
@Controller('v1/students')
export class ListConsentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':studentId/consents')
  @Roles('guardian', 'student')
  @Responds({ 403: ['not_a_guardian', 'not_the_student', 'student_is_adult'], 502: ['roster_unavailable'] })
  @Answers(ListConsentsAnswer)
  @Summary("A student's consents with their current status: all of them for the student themself, those guardians granted for a linked guardian while the student is under 18")
  list(@Caller() caller: Principal, @Param('studentId') studentId: string): Promise<StudentConsents> {
    return this.queries.execute(new ListConsentsQuery(caller, studentId));
  }
}
