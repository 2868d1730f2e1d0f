import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { Refusal } from '@silta/contracts';
import { IdempotencyConflictError, type EventMetadataInput } from '@silta/event-store';
import { Answers, APPEND_PROBLEMS, Caller, continueTrace, RequestMetadata, Responds, Roles, Summary, ValidBody, type Principal } from '@silta/platform';
import type { DisclosureExplained, Language } from '@silta/decision';
import { PreferredLanguage } from '../http/preferred-language';
import { AuditLog } from '../shared/audit-log';
import { AuditRecordCatchUp } from '../shared/audit-record-catch-up';
import { DecisionMaker } from '../shared/decision-maker';
import { DISCLOSURE_NAMESPACE } from '../shared/disclosure-ids';
import { RequestDisclosureBody, sameRequest } from '../shared/disclosure-request';
import { ExplanationRecordEntity, writeExplanationRows } from '../shared/explanation-record.entity';
import { categoryOutcomes } from '../shared/outcome-view';
import { ViewConsistency } from '../view/view-consistency';
import { ExplainDisclosureAnswer } from './explain-disclosure.responses';
import { DisclosureMetrics } from '../shared/disclosure-metrics';

/** What the requester could receive and why, with no data released. */
export class ExplainDisclosure {
  constructor(
    readonly body: RequestDisclosureBody,
    readonly caller: Principal,
    readonly language: Language,
    /** What the explanation's audit event records of the request (eventMetadata's convention). */
    readonly metadata: EventMetadataInput = {},
  ) {}
}

/**
 * Decides exactly as a request would, records the explanation in the student's audit trail (as an
 * explanation, not a disclosure), and answers the outcomes and reasons without fetching any data.
 * A repeated requestId answers the recorded explanation and writes nothing; the same requestId
 * for another request (another student, say) is a 409 conflict.
 */
@CommandHandler(ExplainDisclosure)
export class ExplainDisclosureHandler implements ICommandHandler<ExplainDisclosure> {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
    private readonly decisions: DecisionMaker,
    private readonly consistency: ViewConsistency,
    private readonly catchUp: AuditRecordCatchUp,
    private readonly metrics: DisclosureMetrics,
  ) {}

  async execute({ body, caller, language, metadata }: ExplainDisclosure) {
    const explanationId = uuidv5(`explain\n${caller.org ?? ''}\n${caller.sub}\n${body.requestId}`, DISCLOSURE_NAMESPACE);
    const earlier = await this.dataSource.manager.findOneBy(ExplanationRecordEntity, { explanationId });
    if (earlier) return answer(repeatOf(JSON.parse(earlier.record) as DisclosureExplained, body), language);

    const continued = body.consistentWith ? await this.consistency.waitFor(body.consistentWith) : undefined;
    const decidedAt = new Date().toISOString();
    const made = await continueTrace(continued, 'disclosure explain', () => this.decisions.decide(body, caller, decidedAt));
    const event: DisclosureExplained = {
      type: 'DisclosureExplained',
      explanationId,
      requester: made.requester,
      input: made.input,
      decision: made.decision,
      decidedAt,
    };
    try {
      await this.auditLog.append(body.studentId, explanationId, event, metadata);
    } catch (error) {
      // The same id already names an explanation about another student: a reused requestId.
      if (error instanceof IdempotencyConflictError) throw requestIdReused(body.requestId);
      throw error;
    }
    await writeExplanationRows(this.dataSource.manager, [event]).catch((error: unknown) => {
      this.catchUp.rowWriteFailed();
      throw error;
    });
    this.metrics.explained(event.input.request.basis);
    return answer(event, language);
  }
}

function requestIdReused(requestId: string): Refusal {
  return new Refusal('conflict', 'request_id_reused', `requestId ${requestId} was already used for another explanation; use a new requestId`);
}

/** The recorded explanation, if the repeat asks exactly what it asked. */
function repeatOf(recorded: DisclosureExplained, asked: RequestDisclosureBody): DisclosureExplained {
  if (!sameRequest(recorded.input.request, asked)) throw requestIdReused(asked.requestId);
  return recorded;
}

function answer(explained: DisclosureExplained, language: Language) {
  return {
    explanationId: explained.explanationId,
    outcome: explained.decision.outcome,
    categories: categoryOutcomes(explained.decision, explained.input.request.basis, language, explained.input.requester.role),
    released: false,
  };
}

@Controller('v1/disclosures/explain')
export class ExplainDisclosureController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds(APPEND_PROBLEMS, { 400: ['invalid_position_token'], 403: ['not_a_welfare_professional', 'urgent_not_allowed'], 409: ['request_id_reused'], 502: ['roster_unavailable'], 503: ['policy_unavailable', 'view_behind'] })
  @Answers(ExplainDisclosureAnswer)
  @Summary("What you could receive and why: per category the reason code, its `message` and its legal `source` (Accept-Language: fi, sv, en); decided and audited as an explanation; releases no data")
  explain(
    @ValidBody(RequestDisclosureBody) body: RequestDisclosureBody,
    @Caller() caller: Principal,
    @PreferredLanguage() lang: Language,
    @RequestMetadata() metadata: EventMetadataInput,
  ) {
    return this.commands.execute(new ExplainDisclosure(body, caller, lang, metadata));
  }
}
