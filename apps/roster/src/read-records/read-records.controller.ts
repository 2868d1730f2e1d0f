import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import { DataCategory } from '@silta/contracts';
import { Answers, InternalServiceGuard, Public, Responds, Summary, ZodPipe } from '@silta/platform';
import { IdParam } from '../shared/schemas';
import { ServiceCallersGuard } from '../shared/service-callers.guard';
import { ReadStudentRecordsQuery, type StudentRecordsView } from './read-student-records.query';
import { ReadRecordsAnswer } from './read-records.responses';

/** `?categories=identification,absences,…`: at least one known category, nothing else. */
const ReadRecordsQuery = z.strictObject({
  categories: z
    .string()
    .transform((list) => list.split(',').map((category) => category.trim()))
    .pipe(z.array(DataCategory).min(1)),
});

/** `GET /internal/v1/students/{studentId}/records`: service-to-service only. */
@Controller('internal/v1/students')
export class ReadRecordsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':studentId/records')
  @Public() // no user token: the service-token guards below decide
  // Only disclosure reads records: it decides first, then asks for exactly the permitted categories.
  @UseGuards(InternalServiceGuard, new ServiceCallersGuard(['disclosure'], 'student records'))
  @Responds({ 403: ['forbidden_caller'], 404: ['student_not_found'] })
  @Answers(ReadRecordsAnswer)
  @Summary(
    "Internal, for disclosure's service token only: the requested categories of a student's data " +
      '({studentId, identification?, guardian_contacts?, <record category>?: [...]}).',
  )
  read(
    @Param('studentId', IdParam) studentId: string,
    @Query(new ZodPipe(ReadRecordsQuery)) query: z.output<typeof ReadRecordsQuery>,
  ): Promise<StudentRecordsView> {
    return this.queries.execute(new ReadStudentRecordsQuery(studentId, query.categories));
  }
}
