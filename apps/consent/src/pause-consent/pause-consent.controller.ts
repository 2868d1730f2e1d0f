import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { ConsentChangeResult } from '../consent-store/consent-changes';
import { ConsentIdParam } from '../http/id-params';
import { EmptyBody } from '../http/schemas';
import { PauseConsentCommand } from './pause-consent.command';
import { ConsentChangeAnswer } from '../http/answers.responses';

/** POST /v1/consents/{consentId}/pause. */
@Controller('v1/consents')
export class PauseConsentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':consentId/pause')
  @HttpCode(200)
  @Roles('guardian', 'student')
  @Responds(APPEND_PROBLEMS, { 403: ['not_the_grantor'], 404: ['consent_not_found'], 409: ['consent_already_paused', 'consent_expired', 'consent_withdrawn'] })
  @Answers(ConsentChangeAnswer)
  @Summary('Pause a consent until it is resumed (the grantor, or for a guardian consent any linked guardian)')
  pause(@Caller() caller: Principal, @ConsentIdParam() consentId: string, @ValidBody(EmptyBody) _body: EmptyBody, @RequestMetadata() metadata: EventMetadataInput): Promise<ConsentChangeResult> {
    return this.commands.execute(new PauseConsentCommand(caller, consentId, metadata));
  }
}
