import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, RequestMetadata, Responds, Roles, Summary, ValidBody } from '@silta/platform';
import { CallerMunicipality } from '../shared/caller-org';
import { RegisterSchoolBody, RegisterSchoolCommand } from './register-school.command';
import { RegisterSchoolAnswer } from './register-school.responses';

/** `POST /v1/schools`. */
@Controller('v1/schools')
export class RegisterSchoolController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('school_admin')
  @Responds(APPEND_PROBLEMS, { 403: ['other_organisation'], 409: ['school_exists'] })
  @Answers(RegisterSchoolAnswer)
  @Summary("Register a school of the caller's municipality. Answers {schoolId}.")
  register(
    @ValidBody(RegisterSchoolBody) body: RegisterSchoolBody,
    @CallerMunicipality() municipalityId: string,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<{ schoolId: string }> {
    return this.commands.execute(new RegisterSchoolCommand(body, municipalityId, metadata));
  }
}
