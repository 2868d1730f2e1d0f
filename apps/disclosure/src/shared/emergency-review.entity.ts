import { EntitySchema, type EntityManager } from 'typeorm';
import type { EmergencyAccessReviewed } from '@silta/decision';

/**
 * One organisation's review of one emergency disclosure. Each organisation's auditor reviews for
 * their own organisation (DESIGN.md §3): the municipality's review is the controller's, the
 * recipient welfare area's is its own, and neither locks the other out. Derived from the
 * EmergencyAccessReviewed events of the audit log, like the decision rows.
 */
export interface EmergencyReviewRow {
  disclosureId: string;
  /** The reviewing auditor's organisation claim, e.g. `municipality:vantaa`. */
  reviewerOrg: string;
  /** `controller` for the municipality's review, `recipient` for the welfare area's. */
  reviewedAs: 'controller' | 'recipient';
  outcome: string;
  reviewedAt: string;
  reviewedBy: string;
}

export const EmergencyReviewEntity = new EntitySchema<EmergencyReviewRow>({
  name: 'EmergencyReview',
  tableName: 'disclosure_emergency_reviews',
  columns: {
    disclosureId: { name: 'disclosure_id', type: String, primary: true, length: 64 },
    reviewerOrg: { name: 'reviewer_org', type: String, primary: true, length: 200 },
    reviewedAs: { name: 'reviewed_as', type: String, length: 20 },
    outcome: { type: String, length: 20 },
    reviewedAt: { name: 'reviewed_at', type: String, length: 40 },
    reviewedBy: { name: 'reviewed_by', type: String, length: 200 },
  },
});

/** Records reviews as rows; a row already there (a retry, or the catch-up of the log) stays as it is. */
export async function writeReviewRows(manager: EntityManager, reviews: readonly EmergencyAccessReviewed[]): Promise<void> {
  if (reviews.length === 0) return;
  await manager
    .createQueryBuilder()
    .insert()
    .into(EmergencyReviewEntity)
    .values(
      reviews.map((review) => ({
        disclosureId: review.disclosureId,
        reviewerOrg: review.reviewer.org,
        reviewedAs: review.reviewedAs ?? (review.reviewer.org.startsWith('municipality:') ? 'controller' : 'recipient'),
        outcome: review.outcome,
        reviewedAt: review.reviewedAt,
        reviewedBy: review.reviewer.sub,
      })),
    )
    .orIgnore()
    .execute();
}
