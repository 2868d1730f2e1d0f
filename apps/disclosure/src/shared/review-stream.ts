import type { EntityManager } from 'typeorm';
import { eventMetadata, type EventMetadataInput, type EventStore, type NewEvent, type RecordedEvent } from '@silta/event-store';
import type { EmergencyAccessReviewed } from '@silta/decision';
import type { AuditLog } from './audit-log';
import { writeReviewRows } from './emergency-review.entity';

/**
 * Streams of one organisation's review of one disclosure. `emergency_review` (not
 * `emergency-review`) keeps the category prefix apart from any other stream's, as roster's
 * `student_records` does.
 */
export const REVIEW_STREAM_PREFIX = 'emergency_review-';

/**
 * The stream that decides one organisation's review of one disclosure: it holds at most one event,
 * appended at `no_stream`, so of concurrent reviews by one organisation exactly one is stored and
 * the others fail with WrongExpectedVersionError. (A disclosure id is a UUID, so the organisation
 * after it cannot make two reviews share a stream.)
 */
export function reviewStreamOf(disclosureId: string, reviewerOrg: string): string {
  return `${REVIEW_STREAM_PREFIX}${disclosureId}-${reviewerOrg}`;
}

/** Where the audit record of a decided review goes: the student's audit stream, under this event id. */
export interface ReviewAuditRecord {
  readonly studentId: string;
  readonly auditEventId: string;
}

/** A decided review as its stream holds it. */
export interface DecidedReview {
  readonly review: EmergencyAccessReviewed;
  readonly record: ReviewAuditRecord;
  /** What the review's request recorded of itself (eventMetadata's convention), for the audit event too. */
  readonly metadata?: EventMetadataInput;
}

/**
 * The event appended to a review stream. Its id is random, never a name-based one: the store takes
 * an append whose ids are already in the stream as a retry and answers it without checking the
 * expected revision, which would let every concurrent reviewer through (and the audit event's id
 * is taken by the audit event).
 */
export function reviewStreamEvent({ review, record, metadata }: DecidedReview, id: string): NewEvent {
  return { id, type: review.type, data: review, metadata: { ...eventMetadata(metadata), studentId: record.studentId, auditEventId: record.auditEventId } };
}

/** The decided review a review-stream event holds. */
export function decidedReviewOf(event: RecordedEvent): DecidedReview {
  const { studentId, auditEventId, correlationId, actor } = event.metadata as { studentId: string; auditEventId: string; correlationId?: string; actor?: string };
  return { review: event.data as EmergencyAccessReviewed, record: { studentId, auditEventId }, metadata: { correlationId, actor } };
}

/** The review its stream holds, or undefined if the organisation has not reviewed the disclosure. */
export async function reviewOnStream(store: EventStore, streamId: string): Promise<DecidedReview | undefined> {
  const [event] = await store.readStream(streamId, { maxCount: 1 });
  return event ? decidedReviewOf(event) : undefined;
}

/**
 * Records a review its stream decided: the audit event in the student's audit stream (what the
 * data-subject report, the proofs and the checkpoints read), then the auditor API's row. Both
 * writes are idempotent, so the request and the catch-up can each make them.
 */
export async function recordReview(auditLog: AuditLog, manager: EntityManager, { review, record, metadata }: DecidedReview): Promise<void> {
  await auditLog.append(record.studentId, record.auditEventId, review, metadata);
  await writeReviewRows(manager, [review]);
}
