import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Answers, APPEND_PROBLEMS, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality, Context, type RequestContext } from '../shared/request-context';
import { EnrollStudentBody, EnrollStudentCommand } from './enroll-student.command';
import { EnrollStudentAnswer } from './enroll-student.responses';

/** `POST /v1/students`. */
@Controller('v1/students')
export class EnrollStudentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('school_admin', 'sis')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 404: ['school_not_found'], 409: ['already_enrolled'] })
  @Answers(EnrollStudentAnswer)
  @Summary("Enroll a student at a school of the caller's municipality. Answers {studentId}.")
  enroll(
    @ValidBody(EnrollStudentBody) body: EnrollStudentBody,
    @CallerMunicipality() municipalityId: string,
    @Context() context: RequestContext,
  ): Promise<{ studentId: string }> {
    return this.commands.execute(new EnrollStudentCommand(body, municipalityId, context));
  }
}
