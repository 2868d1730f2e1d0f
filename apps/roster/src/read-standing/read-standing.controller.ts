import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { StudentStanding } from '@silta/contracts';
import { Answers, InternalServiceGuard, Public, Responds, Summary } from '@silta/platform';
import { IdParam } from '../shared/schemas';
import { ServiceCallersGuard } from '../shared/service-callers.guard';
import { ReadStandingQuery } from './read-standing.query';
import { ReadStandingAnswer } from './read-standing.responses';

/**
 * `GET /internal/v1/students/{studentId}/standing`: service-to-service only, for disclosure (its
 * decision) and consent (who may grant and resume: guardianship ends at 18), never the records.
 */
@Controller('internal/v1/students')
export class ReadStandingController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':studentId/standing')
  @Public() // no user token: the service-token guards below decide
  @UseGuards(InternalServiceGuard, new ServiceCallersGuard(['disclosure', 'consent'], "a student's standing"))
  @Responds({ 403: ['forbidden_caller'], 404: ['student_not_found'] })
  @Answers(ReadStandingAnswer)
  @Summary(
    "Internal, for disclosure's and consent's service tokens only: what their decisions need to know about the student " +
      '({birthDate, educationForm, inCompulsoryEducation}), and the name, which consent passes on only to the student and their linked guardians.',
  )
  read(@Param('studentId', IdParam) studentId: string): Promise<StudentStanding> {
    return this.queries.execute(new ReadStandingQuery(studentId));
  }
}
