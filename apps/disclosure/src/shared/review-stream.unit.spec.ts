import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventStore } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { AuditLog } from './audit-log';
import { EmergencyReviewEntity } from './emergency-review.entity';
import { recordReview, reviewOnStream, reviewStreamEvent, reviewStreamOf, type DecidedReview } from './review-stream';

// A review is decided on its own stream and its audit event follows, from the request or later from
// the catch-up reading that stream: both must record the reviewing request's correlation id and actor.
describe('an emergency review on its stream', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
  });
  afterEach(() => store.close());

  it("keeps the request's correlation id and actor, and its audit event records them", async () => {
    const disclosureId = randomUUID();
    const decided: DecidedReview = {
      review: {
        type: 'EmergencyAccessReviewed',
        disclosureId,
        reviewer: { sub: 'auditor-1', org: 'municipality:demo' },
        reviewedAs: 'controller',
        outcome: 'justified',
        reviewedAt: '2026-01-01T00:00:00.000Z',
      },
      record: { studentId: 'student-1', auditEventId: randomUUID() },
      metadata: { correlationId: 'req-1', actor: 'auditor-1' },
    };
    const stream = reviewStreamOf(disclosureId, 'municipality:demo');
    await store.appendToStream(stream, [reviewStreamEvent(decided, randomUUID())], 'no_stream');
    const [stored] = await store.readStream(stream);
    expect(stored!.metadata).toMatchObject({ correlationId: 'req-1', actor: 'auditor-1', schemaVersion: 1 });

    // What the catch-up does: the review as its stream holds it, recorded on the audit log.
    const onStream = (await reviewOnStream(store, stream))!;
    const rows = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [EmergencyReviewEntity], synchronize: true }).initialize();
    try {
      await recordReview(new AuditLog(store), rows.manager, onStream);
    } finally {
      await rows.destroy();
    }
    const [audited] = await store.readStream('audit-student-1');
    expect(audited!.metadata).toMatchObject({ correlationId: 'req-1', actor: 'auditor-1', schemaVersion: 1 });
  });
});
