import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, type FindOptionsWhere, IsNull, Not } from 'typeorm';
import { ProblemError, withinPeriod } from '@silta/platform';
import { upcastDisclosureDecided, type StoredDisclosureDecided } from '../domain/audit-events';
import { auditorScope } from './auditor-scope';
import { GuardianVisibilityEntity } from '../view/view.entities';
import { ViewReader } from '../view/view-reader';
import { DecisionRecordEntity, type DecisionRecordRow } from './decision-record.entity';
import { type AuditQuery, GetDisclosure, GetDisclosureLog, ListEmergencyReviews, ListMyDisclosures, ListSupervisionFlagged, SearchDisclosures } from './disclosure.queries';
import type { Principal } from '@silta/platform';

/** A decision as the API shows it: the recorded decision, never the released data. */
export function toView(row: DecisionRecordRow) {
  const decided = upcastDisclosureDecided(JSON.parse(row.record) as StoredDisclosureDecided);
  return {
    disclosureId: row.disclosureId,
    requestId: row.requestId,
    decidedAt: row.decidedAt,
    requester: decided.requester,
    studentId: row.studentId,
    basis: row.basis,
    purpose: decided.input.request.purpose,
    outcome: row.outcome,
    categories: decided.decision.categories,
    policy: { id: decided.input.policy.id, version: decided.input.policy.version, hash: decided.input.policy.hash },
    flags: decided.decision.flags,
    ...(decided.decision.emergencyWindow ? { emergencyWindow: decided.decision.emergencyWindow } : {}),
    ...(decided.input.request.caseId ? { caseId: decided.input.request.caseId } : {}),
    ...(decided.input.request.justification ? { justification: decided.input.request.justification } : {}),
    ...(row.reviewedAt ? { review: { outcome: row.reviewOutcome, reviewedAt: row.reviewedAt, reviewedBy: row.reviewedBy } } : {}),
  };
}

@QueryHandler(GetDisclosure)
export class GetDisclosureHandler implements IQueryHandler<GetDisclosure> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ disclosureId, caller }: GetDisclosure) {
    const scope = caller.role === 'auditor' ? auditorScope(caller) : { requesterSub: caller.sub };
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...scope });
    if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${disclosureId} visible to you`);
    return toView(row);
  }
}

@QueryHandler(ListMyDisclosures)
export class ListMyDisclosuresHandler implements IQueryHandler<ListMyDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ caller }: ListMyDisclosures) {
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { requesterSub: caller.sub }, order: { decidedAt: 'ASC' } });
    return { disclosures: rows.map(toView) };
  }
}

@QueryHandler(GetDisclosureLog)
export class GetDisclosureLogHandler implements IQueryHandler<GetDisclosureLog> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
  ) {}

  async execute({ studentId, caller }: GetDisclosureLog) {
    const allowed =
      (caller.role === 'student' && caller.sub === studentId) ||
      (caller.role === 'guardian' && (await this.view.isLinkedGuardian(studentId, caller.sub)));
    if (!allowed) throw new ProblemError(403, 'not_your_student', 'only the student or a linked guardian may read this log');
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { studentId }, order: { decidedAt: 'ASC' } });
    // Minors' confidentiality: the guardian-facing log omits what the student hid; the student's own log does not.
    const hidden =
      caller.role === 'guardian' ? ((await this.dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId }))?.hiddenRoles ?? []) : [];
    return {
      studentId,
      entries: rows.filter((row) => !hidden.includes(row.requesterRole)).map((row) => {
        const view = toView(row);
        return {
          disclosureId: view.disclosureId,
          decidedAt: view.decidedAt,
          recipient: { role: view.requester.role, organisation: view.requester.org, professionalId: view.requester.sub },
          basis: view.basis,
          purpose: view.purpose,
          outcome: view.outcome,
          released: view.categories.filter((c) => c.outcome === 'permit').map((c) => c.category),
        };
      }),
    };
  }
}

@QueryHandler(SearchDisclosures)
export class SearchDisclosuresHandler implements IQueryHandler<SearchDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: SearchDisclosures) {
    const where = auditFilter(filter, caller);
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' }, take: 1000 });
    return { disclosures: rows.map(toView) };
  }
}

/** The auditor's scope narrowed by student, professional and period. */
function auditFilter(filter: AuditQuery, caller: Principal): FindOptionsWhere<DecisionRecordRow> {
  const where: FindOptionsWhere<DecisionRecordRow> = { ...auditorScope(caller) };
  if (filter.studentId) where.studentId = filter.studentId;
  if (filter.professionalId) where.requesterSub = filter.professionalId;
  const decidedAt = withinPeriod(filter);
  if (decidedAt) where.decidedAt = decidedAt;
  return where;
}

@QueryHandler(ListSupervisionFlagged)
export class ListSupervisionFlaggedHandler implements IQueryHandler<ListSupervisionFlagged> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: ListSupervisionFlagged) {
    const where = { ...auditFilter(filter, caller), flagSupervision: true };
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' }, take: 1000 });
    return { disclosures: rows.map(toView) };
  }
}

@QueryHandler(ListEmergencyReviews)
export class ListEmergencyReviewsHandler implements IQueryHandler<ListEmergencyReviews> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ status, caller }: ListEmergencyReviews) {
    const where: FindOptionsWhere<DecisionRecordRow> = { ...auditorScope(caller), flagReview: true };
    if (status === 'unreviewed') where.reviewedAt = IsNull();
    if (status === 'reviewed') where.reviewedAt = Not(IsNull());
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' }, take: 1000 });
    return { disclosures: rows.map(toView) };
  }
}

export const queryHandlers = [
  GetDisclosureHandler,
  ListMyDisclosuresHandler,
  GetDisclosureLogHandler,
  SearchDisclosuresHandler,
  ListSupervisionFlaggedHandler,
  ListEmergencyReviewsHandler,
];
