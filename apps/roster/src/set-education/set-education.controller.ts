import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality, Context, type RequestContext } from '../shared/request-context';
import { IdParam } from '../shared/schemas';
import { SetEducationBody, SetEducationCommand, type EducationSet } from './set-education.command';

/** `PUT /v1/students/{studentId}/education`. */
@Controller('v1/students')
export class SetEducationController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/education')
  @Roles('school_admin')
  @Summary(
    "Set the student's form of education and whether they are in compulsory education (whether the student-welfare act 1287/2013 covers them). " +
      '200 {studentId, educationForm, inCompulsoryEducation}; 404 student_not_found.',
  )
  set(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(SetEducationBody) body: SetEducationBody,
    @CallerMunicipality() municipalityId: string,
    @Context() context: RequestContext,
  ): Promise<EducationSet> {
    return this.commands.execute(new SetEducationCommand(studentId, body, municipalityId, context));
  }
}
