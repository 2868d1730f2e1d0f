import { DataSource, In, type FindOptionsWhere } from 'typeorm';
import { Refusal } from '@silta/contracts';
import type { Principal } from '@silta/platform';
import { readPage, type PageQuery } from '@silta/platform/paging';
import { upcastDisclosureDecided, type StoredDisclosureDecided } from '@silta/decision';
import { DecisionRecordEntity, type DecisionRecordRow } from './decision-record.entity';
import { EmergencyReviewEntity, type EmergencyReviewRow } from './emergency-review.entity';

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
export function pageOfDecisions(dataSource: DataSource, where: FindOptionsWhere<DecisionRecordRow>, page: PageQuery) {
  return readPage((options) => dataSource.manager.find(DecisionRecordEntity, options), where, { at: 'decidedAt', id: 'disclosureId' }, page);
}

/** A requester is (organisation, subject): the same `sub` under another organisation is someone else. */
export function ownDecisions(caller: Principal): FindOptionsWhere<DecisionRecordRow> {
  if (!caller.org) throw new Refusal('forbidden', 'no_organisation', 'a professional token must name an organisation');
  return { requesterSub: caller.sub, requesterOrg: caller.org };
}
