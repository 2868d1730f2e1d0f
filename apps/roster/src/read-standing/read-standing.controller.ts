import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { StudentStanding } from '@silta/contracts';
import { InternalServiceGuard, Public, Summary } from '@silta/platform';
import { DisclosureOnlyGuard } from '../read-records/disclosure-only.guard';
import { IdParam } from '../shared/schemas';
import { ReadStandingQuery } from './read-standing.query';

/** `GET /internal/v1/students/{studentId}/standing`: service-to-service only, guarded as the records are. */
@Controller('internal/v1/students')
export class ReadStandingController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':studentId/standing')
  @Public() // no user token: the service-token guards below decide
  @UseGuards(InternalServiceGuard, DisclosureOnlyGuard)
  @Summary(
    "Internal, for disclosure's service token only: what its decision needs to know about the student " +
      '({birthDate, educationForm, inCompulsoryEducation}). 404 student_not_found.',
  )
  read(@Param('studentId', IdParam) studentId: string): Promise<StudentStanding> {
    return this.queries.execute(new ReadStandingQuery(studentId));
  }
}
