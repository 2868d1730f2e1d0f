import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { Caller, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import { AuditLog } from '../audit-log/audit-log';
import type { DisclosureExplained } from '../domain/audit-events';
import { pickLanguage, type Language } from '../domain/reasons';
import { DecisionMaker } from '../request-disclosure/decision-maker';
import { categoryOutcomes } from '../request-disclosure/outcome-view';
import { RequestDisclosureBody } from '../request-disclosure/request-disclosure.command';
import { DISCLOSURE_NAMESPACE } from '../request-disclosure/request-disclosure.handler';
import { ViewConsistency } from '../view/view-consistency';

/** What the requester could receive and why, with no data released. */
export class ExplainDisclosure {
  constructor(
    readonly body: RequestDisclosureBody,
    readonly caller: Principal,
    readonly language: Language,
  ) {}
}

/**
 * Decides exactly as a request would, records the explanation in the student's audit trail (as an
 * explanation, not a disclosure), and answers the outcomes and reasons without fetching any data.
 */
@CommandHandler(ExplainDisclosure)
export class ExplainDisclosureHandler implements ICommandHandler<ExplainDisclosure> {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly decisions: DecisionMaker,
    private readonly consistency: ViewConsistency,
  ) {}

  async execute({ body, caller, language }: ExplainDisclosure) {
    if (body.consistentWith) await this.consistency.waitFor(body.consistentWith);
    const decidedAt = new Date().toISOString();
    const made = await this.decisions.decide(body, caller, decidedAt);
    const explanationId = uuidv5(`explain\n${caller.sub}\n${body.requestId}`, DISCLOSURE_NAMESPACE);
    const event: DisclosureExplained = {
      type: 'DisclosureExplained',
      explanationId,
      requester: made.requester,
      input: made.input,
      decision: made.decision,
      decidedAt,
    };
    await this.auditLog.append(body.studentId, explanationId, event);
    return {
      explanationId,
      outcome: made.decision.outcome,
      categories: categoryOutcomes(made.decision, body.basis, language),
      released: false,
    };
  }
}

@Controller('v1/disclosures/explain')
export class ExplainDisclosureController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Summary('What you could receive and why: decided and audited as an explanation; releases no data')
  explain(
    @ValidBody(RequestDisclosureBody) body: RequestDisclosureBody,
    @Caller() caller: Principal,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.commands.execute(new ExplainDisclosure(body, caller, pickLanguage(acceptLanguage)));
  }
}
