import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { Language } from '@silta/decision';
import { PreferredLanguage } from '../http/preferred-language';
import { RequestDisclosureBody } from '../shared/disclosure-request';
import { RequestDisclosure } from './request-disclosure.command';
import type { DisclosureResponse } from './request-disclosure.handler';
import { RequestDisclosureAnswer } from './request-disclosure.responses';

@Controller('v1/disclosures')
export class RequestDisclosureController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds(APPEND_PROBLEMS, { 400: ['invalid_position_token'], 403: ['not_a_welfare_professional', 'urgent_not_allowed'], 409: ['decision_no_longer_holds', 'released_data_changed', 'request_id_reused'], 502: ['roster_unavailable'], 503: ['policy_unavailable', 'view_behind'] })
  @Answers(RequestDisclosureAnswer)
  @Summary('Request a student\'s data on a basis; decided per category, audited before release')
  request(
    @ValidBody(RequestDisclosureBody) body: RequestDisclosureBody,
    @Caller() caller: Principal,
    @PreferredLanguage() lang: Language,
    @RequestMetadata() metadata: EventMetadataInput,
  ): Promise<DisclosureResponse> {
    return this.commands.execute(new RequestDisclosure(body, caller, lang, metadata));
  }
}
