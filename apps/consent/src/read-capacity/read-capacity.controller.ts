import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Caller, Responds, Roles, Summary, type Principal } from '@silta/platform';
import { StudentIdParam } from '../http/id-params';
import { ReadCapacityQuery, type CapacityAnswer } from './read-capacity.query';
import { ReadCapacityAnswer } from './read-capacity.responses';

/** GET /v1/students/{studentId}/capacity. */
@Controller('v1/students')
export class ReadCapacityController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':studentId/capacity')
  @Roles('student', 'curator', 'psychologist', 'nurse', 'doctor')
  @Responds({ 403: ['not_assigned_to_student', 'not_the_student', 'other_organisation'], 503: ['roster_view_incomplete'] })
  @Answers(ReadCapacityAnswer)
  @Summary(
    "The latest capacity assessment per field (social_welfare, health_care; a field is absent until assessed), with who assessed and when: for the student themself, or a welfare professional assigned today, in their role, to the student's current school by the welfare area that serves it",
  )
  read(@Caller() caller: Principal, @StudentIdParam() studentId: string): Promise<CapacityAnswer> {
    return this.queries.execute(new ReadCapacityQuery(caller, studentId));
  }
}
