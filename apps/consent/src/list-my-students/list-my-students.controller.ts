import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Caller, Responds, Roles, Summary, type Principal } from '@silta/platform';
import { ListMyStudentsQuery, type MyStudents } from './list-my-students.query';
import { ListMyStudentsAnswer } from './list-my-students.responses';

/** GET /v1/me/students. */
@Controller('v1/me')
export class ListMyStudentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('students')
  @Roles('guardian', 'student')
  @Responds({ 502: ['roster_unavailable'] })
  @Answers(ListMyStudentsAnswer)
  @Summary(
    'For a guardian, the students linked to them while under 18; for a student, themself. Each with their name as roster holds it (null when roster holds none), their current school as consent knows it, ' +
      'and per capacity field (social_welfare, health_care) whether the student decides for themselves, in which case guardianConsentsCount is false: their guardians\' consents no longer release data there',
  )
  list(@Caller() caller: Principal): Promise<MyStudents> {
    return this.queries.execute(new ListMyStudentsQuery(caller));
  }
}
