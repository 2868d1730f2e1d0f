import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Responds, Roles, Summary, ZodPipe } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { ListSchoolStudentsQuery, type SchoolStudentsPage } from './list-school-students.query';
import { ListSchoolStudentsAnswer } from './list-school-students.responses';

/** `GET /v1/schools/{schoolId}/students`. */
@Controller('v1/schools')
export class ListSchoolStudentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':schoolId/students')
  @Roles('school_admin')
  @Responds({ 403: ['other_organisation'], 404: ['school_not_found'] })
  @Answers(ListSchoolStudentsAnswer)
  @Summary(
    "The students at one of your municipality's schools now, a page at a time, ordered by id: name, birthDate, group, guardians [{guardianId, name}], " +
      'decidesForSelf (the school\'s capacity record), welfareAccess, educationForm, inCompulsoryEducation. limit, cursor: the nextCursor of the previous page',
  )
  list(
    @Param('schoolId', IdParam) schoolId: string,
    @Query(new ZodPipe(PageQuery)) page: PageQuery,
    @CallerMunicipality() municipalityId: string,
  ): Promise<SchoolStudentsPage> {
    return this.queries.execute(new ListSchoolStudentsQuery(schoolId, municipalityId, page));
  }
}
