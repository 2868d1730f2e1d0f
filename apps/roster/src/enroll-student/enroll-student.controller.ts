import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
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
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ studentId: string }> {
    return this.commands.execute(new EnrollStudentCommand(body, municipalityId, metadata));
  }
}
