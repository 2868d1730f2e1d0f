import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { SqlEventStore } from '@silta/event-store/sql';
import type { Principal } from '@silta/platform';
import type { DisclosureDecided, EmergencyAccessReviewed } from '@silta/decision';
import { AuditLog } from '../shared/audit-log';
import { AuditRecordCatchUp, CatchUpPositionEntity } from '../shared/audit-record-catch-up';
import { DecisionRecordEntity, type DecisionRecordRow } from '../shared/decision-record.entity';
import { EmergencyReviewEntity } from '../shared/emergency-review.entity';
import { reviewStreamEvent, reviewStreamOf } from '../shared/review-stream';
import { ReviewEmergencyAccess, ReviewEmergencyAccessHandler, reviewEventId } from './review-emergency';

// Issue 13 item 6 on SQLite, npm start's default store (needs nothing running): concurrent reviews
// by one organisation race the handler itself; exactly one is stored. And a review whose request
// died after its stream decided it still reaches the audit log and the auditor API's rows.

const municipality = 'municipality:m';
const disclosureId = '6f1d2c1e-0000-4000-8000-0000000000e1';
const studentId = 'student-1';

/** The row of an emergency decision; the review reads only its scope, flag and student. */
const decisionRow: DecisionRecordRow = {
  disclosureId,
  requestId: 'r-1',
  requesterSub: 'curator-1',
  requesterRole: 'curator',
  requesterOrg: 'welfare-area:w',
  studentId,
  schoolId: 'school-1',
  municipalityId: 'm',
  basis: 'emergency',
  outcome: 'permit',
  decidedAt: '2026-03-10T09:00:00.000Z',
  record: JSON.stringify({ type: 'DisclosureDecided', disclosureId } satisfies Partial<DisclosureDecided>),
  auditPosition: '0',
  flagSupervision: false,
  flagReview: true,
  emergencyWindowStartedAt: '2026-03-10T09:00:00.000Z',
};

describe('emergency reviews on SQLite', () => {
  let store: SqlEventStore;
  let dataSource: DataSource;
  let catchUp: AuditRecordCatchUp;
  let handler: ReviewEmergencyAccessHandler;

  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [DecisionRecordEntity, EmergencyReviewEntity, CatchUpPositionEntity],
      synchronize: true,
    }).initialize();
    await dataSource.manager.insert(DecisionRecordEntity, decisionRow);
    catchUp = new AuditRecordCatchUp(store, dataSource, 0);
    handler = new ReviewEmergencyAccessHandler(store, new AuditLog(store), dataSource, catchUp);
  });
  afterEach(async () => {
    await catchUp.beforeApplicationShutdown();
    await dataSource.destroy();
    await store.close();
  });

  const auditor = (n: number): Principal => ({ issuer: 'local', sub: `auditor-${n}`, role: 'auditor', org: municipality });
  const reviews = async () => (await store.readAll()).filter((e) => e.type === 'EmergencyAccessReviewed');

  it('stores exactly one of eight concurrent reviews by one organisation and refuses the others with 409', async () => {
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) => handler.execute(new ReviewEmergencyAccess(disclosureId, { outcome: n % 2 ? 'unjustified' : 'justified' }, auditor(n)))),
    );

    const won = settled.flatMap((s, n) => (s.status === 'fulfilled' ? [{ n, answer: s.value }] : []));
    expect(won).toHaveLength(1);
    const refusals = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    expect(refusals.map((e) => (e instanceof Refusal ? [e.kind, e.code] : e))).toEqual(Array(7).fill(['conflict', 'already_reviewed']));

    const [{ n, answer }] = won as [(typeof won)[number]];
    const inLog = await reviews();
    expect(inLog.map((e) => e.streamId).sort()).toEqual([`audit-${studentId}`, reviewStreamOf(disclosureId, municipality)].sort());
    for (const event of inLog) expect(event.data).toMatchObject({ reviewer: { sub: `auditor-${n}`, org: municipality }, outcome: answer.outcome, reviewedAt: answer.reviewedAt });
    expect(await dataSource.manager.find(EmergencyReviewEntity)).toEqual([
      { disclosureId, reviewerOrg: municipality, reviewedAs: 'controller', outcome: answer.outcome, reviewedAt: answer.reviewedAt, reviewedBy: `auditor-${n}` },
    ]);
  });

  it("writes the audit event and the row of a review its stream decided when the request died before writing them", async () => {
    const review: EmergencyAccessReviewed = {
      type: 'EmergencyAccessReviewed',
      disclosureId,
      reviewer: { sub: 'auditor-1', org: municipality },
      reviewedAs: 'controller',
      outcome: 'unjustified',
      reviewedAt: '2026-03-10T10:00:00.000Z',
    };
    const record = { studentId, auditEventId: reviewEventId(disclosureId, municipality) };
    // The request appended to the review stream, then died.
    await store.appendToStream(reviewStreamOf(disclosureId, municipality), [reviewStreamEvent({ review, record }, randomUUID())], 'no_stream');

    await catchUp.catchUp();

    const audit = (await reviews()).filter((e) => e.streamId === `audit-${studentId}`);
    expect(audit.map((e) => [e.id, e.data])).toEqual([[record.auditEventId, review]]);
    expect(await dataSource.manager.find(EmergencyReviewEntity)).toEqual([expect.objectContaining({ reviewedBy: 'auditor-1', outcome: 'unjustified' })]);
    // A repeat refuses, naming the review on record, and the next catch-up writes nothing twice.
    await expect(handler.execute(new ReviewEmergencyAccess(disclosureId, { outcome: 'justified' }, auditor(2)))).rejects.toMatchObject({ kind: 'conflict', code: 'already_reviewed' });
    await catchUp.catchUp();
    expect(await reviews()).toHaveLength(2);
  });
});
