import { Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import { GrantConsentCommand, type GrantConsentResult } from './grant-consent.command';
import { GrantConsentRequest } from './grant-consent.request';
import { GrantConsentAnswer } from './grant-consent.responses';

/** POST /v1/consents. */
@Controller('v1/consents')
export class GrantConsentController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('guardian', 'student')
  @Responds(APPEND_PROBLEMS, { 400: ['invalid_validity_period'], 403: ['not_a_guardian', 'not_the_grantor', 'not_the_student', 'student_decides_for_self', 'student_is_adult', 'student_lacks_capacity'], 409: ['consent_id_taken', 'consent_withdrawn'], 502: ['roster_unavailable'], 503: ['roster_view_incomplete'] })
  @Answers(GrantConsentAnswer)
  @Summary('Grant a consent for a student (a linked guardian of a student under 18, or the student when 18 or more or with capacity — then guardians are refused, student_is_adult or student_decides_for_self); with an existing consentId, its grantor grants the next version')
  grant(@Caller() caller: Principal, @ValidBody(GrantConsentRequest) body: GrantConsentRequest, @RequestMetadata() metadata: EventMetadataInput): Promise<GrantConsentResult> {
    return this.commands.execute(new GrantConsentCommand(caller, body, metadata));
  }
}
