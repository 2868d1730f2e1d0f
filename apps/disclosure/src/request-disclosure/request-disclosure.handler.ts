import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { AuditLog } from '../audit-log/audit-log';
import { auditStreamOf, upcastDisclosureDecided, type DisclosureDecided, type StoredDisclosureDecided } from '../domain/audit-events';
import type { Language } from '../domain/reasons';
import { DecisionRecordEntity, type DecisionRecordRow } from '../queries/decision-record.entity';
import { dataHashOf } from '../receipts/data-hash';
import { ViewConsistency } from '../view/view-consistency';
import { DecisionMaker, type MadeDecision } from './decision-maker';
import { DecisionRecordWriter } from './decision-record-writer';
import { categoryOutcomes } from './outcome-view';
import { RequestDisclosure } from './request-disclosure.command';
import { RosterClient } from './roster-client';

/** Name-based ids: the same requester and requestId always give the same disclosure id. */
export const DISCLOSURE_NAMESPACE = '5d0b3c1e-8f0a-4c8e-9a57-2f1c4b7d9e10';

export interface DisclosureResponse {
  disclosureId: string;
  outcome: string;
  categories: ReturnType<typeof categoryOutcomes>;
  flags: { supervision: boolean; review: boolean };
  emergencyWindow?: { startedAt: string; endsAt: string };
  data: Record<string, unknown>;
  /** Hex SHA-256 of the canonical JSON of `data`: what the receiver recomputes and acknowledges in a receipt. */
  dataHash: string;
  audit: { stream: string; eventId: string; position: string; policy: { id: string; version: string; hash: string } };
}

/**
 * Decide, record, then release: the decision is appended to the student's audit stream before
 * any data is fetched, and the answer is built from the event as recorded. If the append fails,
 * the store error becomes a 503 and nothing is released. A repeated requestId finds the recorded
 * decision and writes nothing.
 */
@CommandHandler(RequestDisclosure)
export class RequestDisclosureHandler implements ICommandHandler<RequestDisclosure, DisclosureResponse> {
  private readonly records: DecisionRecordWriter;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
    private readonly decisions: DecisionMaker,
    private readonly consistency: ViewConsistency,
    private readonly roster: RosterClient,
  ) {
    this.records = new DecisionRecordWriter(dataSource);
  }

  async execute({ body, caller, language }: RequestDisclosure): Promise<DisclosureResponse> {
    const disclosureId = uuidv5(`${caller.sub}\n${body.requestId}`, DISCLOSURE_NAMESPACE);
    // The lookup of an earlier decision and the new decision's reads run side by side: a repeat is
    // rare, and waiting for the lookup first would add a round trip to every decision.
    const lookup = this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId });
    const deciding = this.decide(body, caller);
    deciding.catch(() => undefined); // settled below, or unused when the request is a repeat
    const earlier = await lookup;
    if (earlier) return this.answer(upcastDisclosureDecided(JSON.parse(earlier.record) as StoredDisclosureDecided), earlier.auditPosition, language);

    const { made, decidedAt } = await deciding;
    const event: DisclosureDecided = { type: 'DisclosureDecided', disclosureId, ...made, decidedAt };
    const recorded = await this.record(event);
    return this.answer(upcastDisclosureDecided(recorded.data as StoredDisclosureDecided), recorded.position.toString(), language);
  }

  private async decide(body: RequestDisclosure['body'], caller: RequestDisclosure['caller']): Promise<{ made: MadeDecision; decidedAt: string }> {
    if (body.consistentWith) await this.consistency.waitFor(body.consistentWith);
    const decidedAt = new Date().toISOString();
    return { made: await this.decisions.decide(body, caller, decidedAt), decidedAt };
  }

  /** Appends the decision (idempotent by its id) and returns the event as the store holds it. */
  private async record(event: DisclosureDecided): Promise<RecordedEvent> {
    const stream = auditStreamOf(event.input.request.studentId);
    const result = await this.auditLog.append(event.input.request.studentId, event.disclosureId, event);
    const [recorded] = await this.store.readStream(stream, { fromRevision: result.nextExpectedRevision, maxCount: 1 });
    const decided = upcastDisclosureDecided(recorded!.data as StoredDisclosureDecided);
    await this.records.write(toRow(decided, recorded!.position.toString()));
    return recorded!;
  }

  private async answer(decided: DisclosureDecided, position: string, language: Language): Promise<DisclosureResponse> {
    const permitted = decided.decision.categories.filter((c) => c.outcome === 'permit').map((c) => c.category);
    const data = await this.roster.records(decided.input.request.studentId, permitted);
    const { id, version, hash } = decided.input.policy;
    return {
      disclosureId: decided.disclosureId,
      outcome: decided.decision.outcome,
      categories: categoryOutcomes(decided.decision, decided.input.request.basis, language),
      flags: decided.decision.flags,
      ...(decided.decision.emergencyWindow ? { emergencyWindow: decided.decision.emergencyWindow } : {}),
      data,
      dataHash: dataHashOf(data),
      audit: { stream: auditStreamOf(decided.input.request.studentId), eventId: decided.disclosureId, position, policy: { id, version, hash } },
    };
  }
}

function toRow(decided: DisclosureDecided, position: string): DecisionRecordRow {
  return {
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
    auditPosition: position,
    flagSupervision: decided.decision.flags.supervision,
    flagReview: decided.decision.flags.review,
    emergencyWindowStartedAt: decided.decision.emergencyWindow?.startedAt ?? null,
    reviewOutcome: null,
    reviewedAt: null,
    reviewedBy: null,
  };
}
