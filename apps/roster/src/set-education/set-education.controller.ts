import { Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { IdParam } from '../shared/schemas';
import { SetEducationBody, SetEducationCommand, type EducationSet } from './set-education.command';
import { SetEducationAnswer } from './set-education.responses';

/** `PUT /v1/students/{studentId}/education`. */
@Controller('v1/students')
export class SetEducationController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/education')
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['student_not_found'] })
  @Answers(SetEducationAnswer)
  @Summary(
    "Set the student's form of education and whether they are in compulsory education (whether the student-welfare act 1287/2013 covers them). " +
      'Answers {studentId, educationForm, inCompulsoryEducation}.',
  )
  set(
    @Param('studentId', IdParam) studentId: string,
    @ValidBody(SetEducationBody) body: SetEducationBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<EducationSet> {
    return this.commands.execute(new SetEducationCommand(studentId, body, municipalityId, metadata));
  }
}
