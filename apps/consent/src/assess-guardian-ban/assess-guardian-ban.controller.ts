import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import { StudentIdParam } from '../http/id-params';
import { AssessGuardianBanCommand, type AssessGuardianBanResult } from './assess-guardian-ban.command';
import { AssessGuardianBanRequest } from './assess-guardian-ban.request';
import { AssessGuardianBanAnswer } from './assess-guardian-ban.responses';

/** POST /v1/students/{studentId}/guardian-visibility/assessment. */
@Controller('v1/students')
export class AssessGuardianBanController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':studentId/guardian-visibility/assessment')
  // A curator is let through to be refused by the domain with a code that says why.
  @Roles('nurse', 'doctor', 'psychologist', 'curator')
  @Responds(APPEND_PROBLEMS, { 403: ['not_a_health_professional', 'not_assigned_to_student', 'other_organisation'], 409: ['no_ban_to_assess'], 503: ['roster_view_incomplete'] })
  @Answers(AssessGuardianBanAnswer)
  @Summary(
    "Assess the student's ban on telling guardians of curator or psychologist disclosures (1287/2013 18 §, 812/2000 11 §): upheld, or overridden as clearly conflicting with the child's interest (guardians then see those disclosures again; a ban on nurse or doctor disclosures stays). By a nurse, doctor or psychologist assigned today, in that role, to the student's current school by the welfare area that serves it; applies until the next declaration. Body {outcome: upheld|overridden, why: 30–2000 characters}. Answers {studentId, outcome, hiddenRoles, positionToken}",
  )
  assess(
    @Caller() caller: Principal,
    @StudentIdParam() studentId: string,
    @ValidBody(AssessGuardianBanRequest) body: AssessGuardianBanRequest,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<AssessGuardianBanResult> {
    return this.commands.execute(new AssessGuardianBanCommand(caller, studentId, body, metadata));
  }
}
