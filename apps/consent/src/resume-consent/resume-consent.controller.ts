import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { ConsentChangeResult } from '../consent-store/consent-changes';
import { ConsentIdParam } from '../http/id-params';
import { EmptyBody } from '../http/schemas';
import { ResumeConsentCommand } from './resume-consent.command';
import { ConsentChangeAnswer } from '../http/answers.responses';

/** POST /v1/consents/{consentId}/resume. */
@Controller('v1/consents')
export class ResumeConsentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':consentId/resume')
  @HttpCode(200)
  @Roles('guardian', 'student')
  @Responds(APPEND_PROBLEMS, { 403: ['not_a_guardian', 'not_the_grantor', 'not_the_student', 'student_decides_for_self', 'student_is_adult', 'student_lacks_capacity'], 404: ['consent_not_found'], 409: ['consent_expired', 'consent_not_paused', 'consent_withdrawn'], 502: ['roster_unavailable'] })
  @Answers(ConsentChangeAnswer)
  @Summary('Resume a paused consent (the grantor, or for a guardian consent any linked guardian; guardians not once the student decides for themself or is 18)')
  resume(@Caller() caller: Principal, @ConsentIdParam() consentId: string, @ValidBody(EmptyBody) _body: EmptyBody, @RequestMetadata() metadata: EventMetadataInput): Promise<ConsentChangeResult> {
    return this.commands.execute(new ResumeConsentCommand(caller, consentId, metadata));
  }
}
