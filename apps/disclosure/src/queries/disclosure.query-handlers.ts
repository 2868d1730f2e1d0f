import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, In, Not, Raw, type FindOptionsWhere } from 'typeorm';
import { ProblemError, withinPeriod, type Principal } from '@silta/platform';
import { readPage, type PageQuery } from '@silta/platform/paging';
import { upcastDisclosureDecided, type StoredDisclosureDecided } from '../domain/audit-events';
import { EmergencyReviewEntity, type EmergencyReviewRow } from '../review-emergency/emergency-review.entity';
import { GuardianVisibilityEntity } from '../view/view.entities';
import { ViewReader } from '../view/view-reader';
import { RosterClient } from '../request-disclosure/roster-client';
import { auditorScope } from './auditor-scope';
import { refuseGuardianOfAdult } from './guardianship';
import { DecisionRecordEntity, type DecisionRecordRow } from './decision-record.entity';
import { type AuditQuery, GetDisclosure, GetDisclosureLog, ListEmergencyReviews, ListMyDisclosures, ListSupervisionFlagged, SearchDisclosures } from './disclosure.queries';

/** How a review shows in a decision's view. */
function toReviewView(review: EmergencyReviewRow) {
  return { organisation: review.reviewerOrg, reviewedAs: review.reviewedAs, outcome: review.outcome, reviewedAt: review.reviewedAt, reviewedBy: review.reviewedBy };
}

/** A decision as the API shows it: the recorded decision, never the released data. */
export function toView(row: DecisionRecordRow, reviews: readonly EmergencyReviewRow[] = []) {
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
    ...(row.flagReview ? { reviews: reviews.filter((r) => r.disclosureId === row.disclosureId).map(toReviewView) } : {}),
  };
}

/** The decisions' views with their reviews, read in one query. */
export async function viewsOf(dataSource: DataSource, rows: readonly DecisionRecordRow[]) {
  const reviewed = rows.filter((row) => row.flagReview).map((row) => row.disclosureId);
  const reviews = reviewed.length ? await dataSource.manager.findBy(EmergencyReviewEntity, { disclosureId: In(reviewed) }) : [];
  return rows.map((row) => toView(row, reviews));
}

/** A page of decision rows, oldest first. */
function pageOfDecisions(dataSource: DataSource, where: FindOptionsWhere<DecisionRecordRow>, page: PageQuery) {
  return readPage((options) => dataSource.manager.find(DecisionRecordEntity, options), where, { at: 'decidedAt', id: 'disclosureId' }, page);
}

/** A requester is (organisation, subject): the same `sub` under another organisation is someone else. */
function ownDecisions(caller: Principal): FindOptionsWhere<DecisionRecordRow> {
  if (!caller.org) throw new ProblemError(403, 'no_organisation', 'a professional token must name an organisation');
  return { requesterSub: caller.sub, requesterOrg: caller.org };
}

@QueryHandler(GetDisclosure)
export class GetDisclosureHandler implements IQueryHandler<GetDisclosure> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ disclosureId, caller }: GetDisclosure) {
    const scope = caller.role === 'auditor' ? auditorScope(caller) : ownDecisions(caller);
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...scope });
    if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${disclosureId} visible to you`);
    const [view] = await viewsOf(this.dataSource, [row]);
    return view;
  }
}

@QueryHandler(ListMyDisclosures)
export class ListMyDisclosuresHandler implements IQueryHandler<ListMyDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ caller, page }: ListMyDisclosures) {
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, ownDecisions(caller), page);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

@QueryHandler(GetDisclosureLog)
export class GetDisclosureLogHandler implements IQueryHandler<GetDisclosureLog> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
    private readonly roster: RosterClient,
  ) {}

  async execute({ studentId, caller, page }: GetDisclosureLog) {
    const allowed =
      (caller.role === 'student' && caller.sub === studentId) ||
      (caller.role === 'guardian' && (await this.view.isLinkedGuardian(studentId, caller.sub)));
    if (!allowed) throw new ProblemError(403, 'not_your_student', 'only the student or a linked guardian may read this log');
    await refuseGuardianOfAdult(this.roster, studentId, caller, new Date()); // guardianship ends at 18
    // Minors' confidentiality: the guardian-facing log omits what the student hid; the student's own log does not.
    const hidden =
      caller.role === 'guardian' ? ((await this.dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId }))?.hiddenRoles ?? []) : [];
    const where: FindOptionsWhere<DecisionRecordRow> = hidden.length ? { studentId, requesterRole: Not(In(hidden)) } : { studentId };
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, where, page);
    return {
      studentId,
      entries: rows.map((row) => {
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
      nextCursor,
    };
  }
}

@QueryHandler(SearchDisclosures)
export class SearchDisclosuresHandler implements IQueryHandler<SearchDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: SearchDisclosures) {
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, auditFilter(filter, caller), filter);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
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
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, { ...auditFilter(filter, caller), flagSupervision: true }, filter);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
  }
}

@QueryHandler(ListEmergencyReviews)
export class ListEmergencyReviewsHandler implements IQueryHandler<ListEmergencyReviews> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ query, caller }: ListEmergencyReviews) {
    const where: FindOptionsWhere<DecisionRecordRow> = { ...auditorScope(caller), flagReview: true };
    if (query.status !== 'all') {
      // Reviewed or not by the caller's own organisation: another organisation's review does not
      // take a disclosure off this auditor's queue.
      const reviews = this.dataSource.getMetadata(EmergencyReviewEntity).tableName;
      const membership = query.status === 'reviewed' ? 'IN' : 'NOT IN';
      where.disclosureId = Raw((column) => `${column} ${membership} (SELECT disclosure_id FROM ${reviews} WHERE reviewer_org = :reviewerOrg)`, { reviewerOrg: caller.org! });
    }
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, where, query);
    return { disclosures: await viewsOf(this.dataSource, rows), nextCursor };
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
