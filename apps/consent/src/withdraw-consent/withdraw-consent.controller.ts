import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { ConsentChangeResult } from '../consent-store/consent-changes';
import { ConsentIdParam } from '../http/id-params';
import { WithdrawConsentCommand } from './withdraw-consent.command';
import { WithdrawConsentRequest } from './withdraw-consent.request';
import { ConsentChangeAnswer } from '../http/answers.responses';

/** POST /v1/consents/{consentId}/withdraw. */
@Controller('v1/consents')
export class WithdrawConsentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':consentId/withdraw')
  @HttpCode(200)
  @Roles('guardian', 'student')
  @Responds(APPEND_PROBLEMS, { 403: ['not_the_grantor'], 404: ['consent_not_found'], 409: ['consent_withdrawn'] })
  @Answers(ConsentChangeAnswer)
  @Summary('Withdraw a consent for good (the grantor, or for a guardian consent any linked guardian)')
  withdraw(
    @Caller() caller: Principal,
    @ConsentIdParam() consentId: string,
    @ValidBody(WithdrawConsentRequest) body: WithdrawConsentRequest,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<ConsentChangeResult> {
    return this.commands.execute(new WithdrawConsentCommand(caller, consentId, body?.reason, metadata));
  }
}
