import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { decodePositionToken } from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { ProcessedEventEntity } from '@silta/messaging';
import { EVENT_STORE, ProblemError, SERVICE_CONFIG, consumerGroupId, orgOf, type ServiceConfig } from '@silta/platform';
import { auditStreamOf, type DisclosureDecided } from '../domain/audit-events';
import { PROFESSIONS, decide, type Profession } from '../domain/decision';
import { DecisionRecordEntity, type DecisionRecordRow } from '../queries/decision-record.entity';
import { VIEW_CONSUMER_GROUP } from '../view/view.constants';
import { ViewReader } from '../view/view-reader';
import { RequestDisclosure } from './request-disclosure.command';
import { RosterClient } from './roster-client';

/** Name-based ids: the same requester and requestId always give the same disclosure id. */
const DISCLOSURE_NAMESPACE = '5d0b3c1e-8f0a-4c8e-9a57-2f1c4b7d9e10';

export interface DisclosureResponse {
  disclosureId: string;
  outcome: string;
  categories: Array<{ category: string; outcome: string; basis: string; reason: string; consent?: { consentId: string; version: number } }>;
  data: Record<string, unknown>;
  audit: { stream: string; eventId: string; position: string; policyVersion: string };
}

/**
 * Decide, record, then release: the decision is appended to the student's audit stream before
 * any data is fetched, and the answer is built from the event as recorded. If the append fails,
 * the store error becomes a 503 and nothing is released. A repeated requestId finds the recorded
 * decision and writes nothing.
 */
@CommandHandler(RequestDisclosure)
export class RequestDisclosureHandler implements ICommandHandler<RequestDisclosure, DisclosureResponse> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
    private readonly roster: RosterClient,
  ) {}

  async execute({ body, caller }: RequestDisclosure): Promise<DisclosureResponse> {
    const org = orgOf(caller);
    if (!org || org.kind !== 'welfare-area' || !(PROFESSIONS as readonly string[]).includes(caller.role)) {
      throw new ProblemError(403, 'not_a_welfare_professional', 'only welfare-area professionals may request disclosures');
    }
    const disclosureId = uuidv5(`${caller.sub}\n${body.requestId}`, DISCLOSURE_NAMESPACE);
    const earlier = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId });
    if (earlier) return this.answer(JSON.parse(earlier.record) as DisclosureDecided, earlier.auditPosition);

    if (body.consistentWith) await this.waitForView(body.consistentWith);

    const now = new Date().toISOString();
    const snapshot = await this.view.snapshot(body.studentId, caller.sub);
    const { municipalityId, ...decisionSnapshot } = snapshot;
    const { consistentWith: _token, ...request } = body;
    const input = {
      request,
      requester: { professionalId: caller.sub, role: caller.role as Profession, welfareAreaId: org.id },
      snapshot: decisionSnapshot,
      policy: { version: this.config.POLICY_VERSION, requireWelfareAccessActivation: this.config.POLICY_REQUIRE_WELFARE_ACCESS },
      now,
    };
    const event: DisclosureDecided = {
      type: 'DisclosureDecided',
      disclosureId,
      requester: { sub: caller.sub, role: caller.role, org: caller.org! },
      input,
      decision: decide(input),
      ...(snapshot.student ? { schoolId: snapshot.student.schoolId } : {}),
      ...(municipalityId ? { municipalityId } : {}),
      decidedAt: now,
    };
    const recorded = await this.record(event);
    return this.answer(recorded.data as DisclosureDecided, recorded.position.toString());
  }

  /** Appends the decision (idempotent by its id) and returns the event as the store holds it. */
  private async record(event: DisclosureDecided): Promise<RecordedEvent> {
    const stream = auditStreamOf(event.input.request.studentId);
    const { type, ...data } = event;
    const result = await this.store.appendToStream(stream, [{ id: event.disclosureId, type, data: { type, ...data } }], 'any');
    const [recorded] = await this.store.readStream(stream, { fromRevision: result.nextExpectedRevision, maxCount: 1 });
    const decided = recorded!.data as DisclosureDecided;
    const row: DecisionRecordRow = {
      disclosureId: decided.disclosureId,
      requestId: decided.input.request.requestId,
      requesterSub: decided.requester.sub,
      requesterRole: decided.requester.role,
      requesterOrg: decided.requester.org,
      studentId: decided.input.request.studentId,
      schoolId: decided.schoolId ?? null,
      municipalityId: decided.municipalityId ?? null,
      basis: decided.input.request.basis,
      outcome: decided.decision.outcome,
      decidedAt: decided.decidedAt,
      record: JSON.stringify(decided),
      auditPosition: recorded!.position.toString(),
    };
    await this.dataSource.manager.upsert(DecisionRecordEntity, row, ['disclosureId']);
    return recorded!;
  }

  private async answer(decided: DisclosureDecided, position: string): Promise<DisclosureResponse> {
    const basis = decided.input.request.basis;
    const permitted = decided.decision.categories.filter((c) => c.outcome === 'permit').map((c) => c.category);
    const data = await this.roster.records(decided.input.request.studentId, permitted);
    return {
      disclosureId: decided.disclosureId,
      outcome: decided.decision.outcome,
      categories: decided.decision.categories.map((c) => ({
        category: c.category,
        outcome: c.outcome,
        basis,
        reason: c.reason,
        ...('consent' in c && c.consent ? { consent: c.consent } : {}),
      })),
      data,
      audit: { stream: auditStreamOf(decided.input.request.studentId), eventId: decided.disclosureId, position, policyVersion: decided.input.policy.version },
    };
  }

  /** Waits until the view applied the event the token names, or answers 503 after the bounded wait. */
  private async waitForView(tokenText: string): Promise<void> {
    const token = decodePositionToken(tokenText);
    if (!token || !['consent', 'roster'].includes(token.service)) {
      throw new ProblemError(400, 'invalid_position_token', 'consistentWith is not a position token from consent or roster');
    }
    const deadline = Date.now() + this.config.CONSISTENCY_WAIT_MS;
    for (;;) {
      const applied = await this.dataSource.manager.existsBy(ProcessedEventEntity, {
        consumer: consumerGroupId(this.config, VIEW_CONSUMER_GROUP),
        eventId: token.eventId,
      });
      if (applied) return;
      if (Date.now() >= deadline) {
        throw new ProblemError(503, 'view_behind', 'disclosure has not yet seen the change this token names; retry shortly');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
