import { Controller, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import { StudentIdParam } from '../http/id-params';
import { SetGuardianVisibilityCommand, type SetGuardianVisibilityResult } from './set-guardian-visibility.command';
import { SetGuardianVisibilityRequest } from './set-guardian-visibility.request';
import { SetGuardianVisibilityAnswer } from './set-guardian-visibility.responses';

/** PUT /v1/students/{studentId}/guardian-visibility. */
@Controller('v1/students')
export class SetGuardianVisibilityController {
  constructor(private readonly commands: CommandBus) {}

  @Put(':studentId/guardian-visibility')
  @Roles('student', 'curator', 'psychologist', 'nurse', 'doctor')
  @Responds(APPEND_PROBLEMS, { 403: ['not_assigned_to_student', 'not_the_student', 'other_organisation'], 503: ['roster_view_incomplete'] })
  @Answers(SetGuardianVisibilityAnswer)
  @Summary(
    "Forbid (or, with an empty set, allow again) the student's guardians to see that curator, psychologist, nurse or doctor disclosures happened; replaces the previous declaration and any assessment of it: the student themself, or on the student's behalf (recorded as such) a welfare professional assigned today, in that role, to the student's current school by the welfare area that serves it. Answers {studentId, hiddenRoles, positionToken}",
  )
  set(
    @Caller() caller: Principal,
    @StudentIdParam() studentId: string,
    @ValidBody(SetGuardianVisibilityRequest) body: SetGuardianVisibilityRequest,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<SetGuardianVisibilityResult> {
    return this.commands.execute(new SetGuardianVisibilityCommand(caller, studentId, body, metadata));
  }
}
