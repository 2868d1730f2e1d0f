import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Caller, Responds, Roles, Summary, type Principal } from '@silta/platform';
import { StudentIdParam } from '../http/id-params';
import { ReadGuardianVisibilityQuery, type GuardianVisibilityAnswer } from './read-guardian-visibility.query';
import { ReadGuardianVisibilityAnswer } from './read-guardian-visibility.responses';

/** GET /v1/students/{studentId}/guardian-visibility. */
@Controller('v1/students')
export class ReadGuardianVisibilityController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':studentId/guardian-visibility')
  @Roles('student', 'curator', 'psychologist', 'nurse', 'doctor')
  @Responds({ 403: ['not_assigned_to_student', 'not_the_student', 'other_organisation'], 503: ['roster_view_incomplete'] })
  @Answers(ReadGuardianVisibilityAnswer)
  @Summary(
    "Which professions' disclosures the student's guardians may not see now (hiddenRoles), the declaration in force (declaration: roles, declaredBy, at) and a health-care professional's assessment of its ban (assessment: outcome, roles, why, assessedBy, at): for the student themself, or a welfare professional assigned today, in that role, to the student's current school by the welfare area that serves it",
  )
  read(@Caller() caller: Principal, @StudentIdParam() studentId: string): Promise<GuardianVisibilityAnswer> {
    return this.queries.execute(new ReadGuardianVisibilityQuery(caller, studentId));
  }
}
