import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { IdempotencyConflictError, type EventMetadataInput, type EventStore } from '@silta/event-store';
import { EVENT_STORE, SERVICE_CONFIG, continueTrace, readModelsBesideEvents, type ServiceConfig } from '@silta/platform';
import { auditStreamOf, upcastDisclosureDecided, dataHashOf, releasedData, type DisclosureDecided, type StoredDisclosureDecided, type Category, type Language } from '@silta/decision';
import { AuditLog } from '../shared/audit-log';
import { AuditRecordCatchUp } from '../shared/audit-record-catch-up';
import { DecisionMaker, type MadeDecision } from '../shared/decision-maker';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { decisionRowOf, decisionRowProjection } from '../shared/decision-row';
import { disclosureIdOf } from '../shared/disclosure-ids';
import { sameRequest } from '../shared/disclosure-request';
import { categoryOutcomes } from '../shared/outcome-view';
import { RosterClient } from '../shared/roster-client';
import { ViewConsistency } from '../view/view-consistency';
import { DecisionRecordWriter } from './decision-record-writer';
import { RequestDisclosure } from './request-disclosure.command';
import { DisclosureMetrics } from '../shared/disclosure-metrics';

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
 * Decide, fetch, record, then release: the permitted categories are fetched from roster, the
 * decision is appended to the student's audit stream together with the hash of exactly that data,
 * and only then is the data answered. If the append fails, the store error becomes a 503 and
 * nothing is released.
 *
 * A repeated requestId (same requester, same body) answers the recorded decision with the data it
 * released: fetched again and served only if its hash is the recorded one, refused with 409
 * otherwise — never today's data on yesterday's decision. The same requestId with another body is
 * a 409 conflict. A repeat writes nothing.
 */
@CommandHandler(RequestDisclosure)
export class RequestDisclosureHandler implements ICommandHandler<RequestDisclosure, DisclosureResponse> {
  /**
   * Writes decision rows after their appends, where the row cannot commit with its audit event: the
   * store cannot write rows (EventStoreDB) or the table is in another database (SQLite's read.db).
   * Undefined where the row is written in the append's transaction (PostgreSQL).
   */
  private readonly records: DecisionRecordWriter | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly auditLog: AuditLog,
    private readonly dataSource: DataSource,
    private readonly decisions: DecisionMaker,
    private readonly consistency: ViewConsistency,
    private readonly roster: RosterClient,
    private readonly catchUp: AuditRecordCatchUp,
    private readonly metrics: DisclosureMetrics,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.records = auditLog.projectsInline && readModelsBesideEvents(config) ? undefined : new DecisionRecordWriter(dataSource);
  }

  async execute({ body, caller, language, metadata }: RequestDisclosure): Promise<DisclosureResponse> {
    const disclosureId = disclosureIdOf(caller, body.requestId);
    // The lookup of an earlier decision and the new decision's reads run side by side: a repeat is
    // rare, and waiting for the lookup first would add a round trip to every decision.
    const lookup = this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId });
    const deciding = this.decide(body, caller);
    deciding.catch(() => undefined); // settled below, or unused when the request is a repeat
    const earlier = await lookup;
    if (earlier) {
      const recorded = upcastDisclosureDecided(JSON.parse(earlier.record) as StoredDisclosureDecided);
      return this.repeat(recorded, earlier.auditPosition, body, language, deciding);
    }

    const { made, decidedAt } = await deciding;
    const permitted = permittedCategories(made.decision);
    // Fetched before the append so the audit record names exactly what leaves; nothing leaves
    // until the append has succeeded.
    const data = releasedData(await this.roster.records(made.input.request.studentId, permitted), { decision: made.decision, policy: made.input.policy });
    const event: DisclosureDecided = { type: 'DisclosureDecided', disclosureId, ...made, decidedAt, released: { categories: permitted, dataHash: dataHashOf(data) } };
    const { decided, position } = await this.record(event, metadata);
    // A repeat racing the first request may have appended first: then what is on record counts.
    if (decided !== event) return this.repeat(decided, position, body, language, deciding);
    this.metrics.decided(decided.input.request.basis, decided.decision);
    return this.answer(decided, position, data, language);
  }

  private async decide(body: RequestDisclosure['body'], caller: RequestDisclosure['caller']): Promise<{ made: MadeDecision; decidedAt: string }> {
    const continued = body.consistentWith ? await this.consistency.waitFor(body.consistentWith) : undefined;
    const decidedAt = new Date().toISOString();
    return { made: await continueTrace(continued, 'disclosure decide', () => this.decisions.decide(body, caller, decidedAt)), decidedAt };
  }

  /**
   * Appends the decision (idempotent by its id) with its row, and returns the decision on record and
   * its position. The row commits with the event where it can (nothing half-written: a failed row
   * write fails the append); a repeat then writes nothing, as the first append wrote its row. Else
   * the row is written after the append, a repeat's too.
   */
  private async record(event: DisclosureDecided, metadata: EventMetadataInput): Promise<{ decided: DisclosureDecided; position: string }> {
    const stream = auditStreamOf(event.input.request.studentId);
    const projection = this.records ? undefined : decisionRowProjection(this.dataSource.getMetadata(DecisionRecordEntity), event);
    let result;
    try {
      result = await this.auditLog.append(event.input.request.studentId, event.disclosureId, event, metadata, projection);
    } catch (error) {
      // The id already names a decision about another student: the requestId was reused.
      if (error instanceof IdempotencyConflictError) throw new Refusal('conflict', 'request_id_reused', `requestId ${event.input.request.requestId} was already used for another request; use a new requestId`);
      throw error;
    }
    // A repeat stored an earlier decision under this id: only then is the stored one read.
    const [earlier] = result.repeated ? await this.store.readStream(stream, { fromRevision: result.nextExpectedRevision, maxCount: 1 }) : [];
    const decided = earlier ? upcastDisclosureDecided(earlier.data as StoredDisclosureDecided) : event;
    const position = result.position.toString();
    if (!this.records) return { decided, position };
    try {
      await this.records.write(decisionRowOf(decided, position));
    } catch (error) {
      this.catchUp.rowWriteFailed(); // the decision is audited: its row must still appear
      throw error;
    }
    return { decided, position };
  }

  /**
   * The answer to a repeated requestId: the recorded decision, with the data it released if that
   * data is still exactly what was released (by hash) and the decision, taken afresh now, still
   * permits every category it released; else a refusal. A record without a released hash (made
   * before it was kept) releases nothing again. A repeat writes nothing.
   */
  private async repeat(
    decided: DisclosureDecided,
    position: string,
    body: RequestDisclosure['body'],
    language: Language,
    deciding: Promise<{ made: MadeDecision }>,
  ): Promise<DisclosureResponse> {
    if (!sameRequest(decided.input.request, body)) {
      throw new Refusal('conflict', 'request_id_reused', `requestId ${body.requestId} was already used for another request; use a new requestId`);
    }
    const permitted = permittedCategories(decided.decision);
    if (permitted.length === 0) return this.answer(decided, position, {}, language);
    // The basis must still hold: an ended assignment, a withdrawn consent or a closed emergency
    // window ends what a repeat may serve, even the very data released then.
    const now = new Set(permittedCategories((await deciding).made.decision));
    if (!permitted.every((category) => now.has(category))) {
      throw new Refusal(
        'conflict',
        'decision_no_longer_holds',
        `what requestId ${body.requestId} released on ${decided.decidedAt} is no longer permitted to you; a new request (a new requestId) is decided afresh`,
        { disclosureId: decided.disclosureId },
      );
    }
    // Shaped under the recorded decision and policy, so the same records give the recorded hash.
    const data = decided.released ? releasedData(await this.roster.records(decided.input.request.studentId, permitted), { decision: decided.decision, policy: decided.input.policy }) : undefined;
    if (!data || dataHashOf(data) !== decided.released!.dataHash) {
      throw new Refusal(
        'conflict',
        'released_data_changed',
        `the data released for requestId ${body.requestId} on ${decided.decidedAt} has changed since; make a new request (a new requestId) to have it decided afresh`,
        { disclosureId: decided.disclosureId },
      );
    }
    return this.answer(decided, position, data, language);
  }

  private answer(decided: DisclosureDecided, position: string, data: Record<string, unknown>, language: Language): DisclosureResponse {
    const { id, version, hash } = decided.input.policy;
    return {
      disclosureId: decided.disclosureId,
      outcome: decided.decision.outcome,
      categories: categoryOutcomes(decided.decision, decided.input.request.basis, language, decided.input.requester.role),
      flags: decided.decision.flags,
      ...(decided.decision.emergencyWindow ? { emergencyWindow: decided.decision.emergencyWindow } : {}),
      data,
      dataHash: dataHashOf(data),
      audit: { stream: auditStreamOf(decided.input.request.studentId), eventId: decided.disclosureId, position, policy: { id, version, hash } },
    };
  }
}

function permittedCategories(decision: DisclosureDecided['decision']): Category[] {
  return decision.categories.filter((c) => c.outcome === 'permit').map((c) => c.category);
}
