import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { SqlEventStore } from '@silta/event-store/sql';
import { createTestDatabase, type TestDatabase } from '@silta/testing';
import { decide, type DisclosureDecided, type EmergencyAccessReviewed, type DecisionInput, type Policy } from '@silta/decision';
import { AuditLog } from './audit-log';
import { AuditRecordCatchUp, CatchUpPositionEntity } from './audit-record-catch-up';
import { DecisionRecordEntity } from './decision-record.entity';
import { EmergencyReviewEntity } from './emergency-review.entity';
import { ExplanationRecordEntity } from './explanation-record.entity';

// A crash (or a database error) between the audit append and the decision-row write must not
// leave an audited decision that the auditor API cannot see (issue 10, item 10).

const policy: Policy = {
  id: 'municipality:m/disclosure-policy',
  version: '1',
  hash: '0'.repeat(64),
  municipality: 'm',
  necessity: { curator: [], psychologist: [], nurse: [], doctor: [] },
  emergency: { categories: ['identification'], windowMinutes: 60 },
  requireWelfareAccessActivation: false,
  consentFrom: 'any_guardian',
  minJustificationLength: 10,
};

function decided(disclosureId: string, studentId: string, basis: 'identification' | 'emergency'): DisclosureDecided {
  const input: DecisionInput = {
    request: { requestId: `r-${disclosureId.slice(0, 8)}`, studentId, categories: ['identification'], basis, purpose: 'support', justification: 'an urgent welfare concern' },
    requester: { professionalId: 'p-1', role: 'curator', welfareAreaId: 'w' },
    snapshot: {
      student: { schoolId: 'school-1', decidesForSelf: false, welfareAccessActive: true, servedBy: 'w', municipalityId: 'm' },
      assignments: [{ assignmentId: 'a-1', professionalId: 'p-1', role: 'curator', welfareAreaId: 'w', schoolId: 'school-1', validFrom: '2020-01-01', ended: false }],
      consents: [],
      linkedGuardianIds: [],
    },
    policy,
    now: '2026-03-10T09:00:00.000Z',
  };
  return {
    type: 'DisclosureDecided',
    disclosureId,
    requester: { sub: 'p-1', role: 'curator', org: 'welfare-area:w' },
    input,
    decision: decide(input),
    schoolId: 'school-1',
    municipalityId: 'm',
    decidedAt: input.now,
    released: { categories: ['identification'], dataHash: 'a'.repeat(64) },
  };
}

/** A disclosure id and a student of the test's own: the n-th of a run, so they sort as numbered. */
function idsOf(run: string, n: number): { disclosureId: string; studentId: string } {
  return { disclosureId: `${run}-0000-4000-8000-00000000000${n}`, studentId: `student-${run}-${n}` };
}

describe('the audit API rows catch up with the audit log', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let dataSource: DataSource;
  let log: AuditLog;

  beforeAll(async () => {
    db = await createTestDatabase('silta_catch_up');
    store = await SqlEventStore.connect({ type: 'postgres', url: db.url });
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [DecisionRecordEntity, EmergencyReviewEntity, ExplanationRecordEntity, CatchUpPositionEntity],
      synchronize: true,
    }).initialize();
    log = new AuditLog(store);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await db?.drop();
  });

  it('writes the row of a decision and a review whose request died after the append, and nothing twice', async () => {
    const run = randomUUID().slice(0, 8);
    const [one, two, three, four] = [1, 2, 3, 4].map((n) => idsOf(run, n)) as [ReturnType<typeof idsOf>, ReturnType<typeof idsOf>, ReturnType<typeof idsOf>, ReturnType<typeof idsOf>];
    const ownRows = () => dataSource.manager.countBy(DecisionRecordEntity, { disclosureId: In([one, two, three, four].map((ids) => ids.disclosureId)) });
    const first = decided(one.disclosureId, one.studentId, 'emergency');
    const second = decided(two.disclosureId, two.studentId, 'identification');
    const review: EmergencyAccessReviewed = {
      type: 'EmergencyAccessReviewed',
      disclosureId: first.disclosureId,
      reviewer: { sub: 'auditor-1', org: 'municipality:m' },
      reviewedAs: 'controller',
      outcome: 'justified',
      reviewedAt: '2026-03-10T10:00:00.000Z',
    };
    // The requests appended their events, then "crashed": no row was written.
    await log.append(one.studentId, first.disclosureId, first);
    await log.append(two.studentId, second.disclosureId, second);
    await log.append(one.studentId, randomUUID(), review);
    expect(await ownRows()).toBe(0);

    const catchUp = new AuditRecordCatchUp(store, dataSource, 0);
    expect(await catchUp.catchUp()).toBe(3);

    const rows = await dataSource.manager.find(DecisionRecordEntity, { where: { disclosureId: In([first.disclosureId, second.disclosureId]) }, order: { disclosureId: 'ASC' } });
    expect(rows.map((r) => [r.disclosureId, r.studentId, r.outcome, r.flagReview])).toEqual([
      [first.disclosureId, one.studentId, 'permit', true],
      [second.disclosureId, two.studentId, 'permit', false],
    ]);
    const [recorded] = await store.readStream(`audit-${one.studentId}`, { maxCount: 1 });
    expect(rows[0]!.auditPosition).toBe(recorded!.position.toString());
    expect(await dataSource.manager.findBy(EmergencyReviewEntity, { disclosureId: first.disclosureId })).toEqual([
      expect.objectContaining({ reviewerOrg: 'municipality:m', reviewedAs: 'controller', outcome: 'justified' }),
    ]);

    // Events younger than the settling time are left to their requests.
    const fresh = decided(four.disclosureId, four.studentId, 'identification');
    await log.append(four.studentId, fresh.disclosureId, fresh);
    expect(await new AuditRecordCatchUp(store, dataSource, 60_000).catchUp()).toBe(0);
    expect(await dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId: fresh.disclosureId })).toBeNull();
    expect(await catchUp.catchUp()).toBe(1);

    // Read again: nothing new to see, nothing rewritten.
    await dataSource.manager.update(DecisionRecordEntity, { disclosureId: second.disclosureId }, { receiptAt: '2026-03-11T00:00:00.000Z' });
    expect(await catchUp.catchUp()).toBe(0);
    expect((await dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId: second.disclosureId }))!.receiptAt).toBe('2026-03-11T00:00:00.000Z');

    // A later decision, whose row its request did write, is left as written.
    const third = decided(three.disclosureId, three.studentId, 'identification');
    await log.append(three.studentId, third.disclosureId, third);
    await dataSource.manager.insert(DecisionRecordEntity, { ...rows[1]!, disclosureId: third.disclosureId, studentId: three.studentId, requestId: 'written-by-request' });
    expect(await catchUp.catchUp()).toBe(1);
    expect((await dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId: third.disclosureId }))!.requestId).toBe('written-by-request');
    expect(await ownRows()).toBe(4);
  });

  it('reads the log soon after a request reports that its row write failed', async () => {
    const { disclosureId, studentId } = idsOf(randomUUID().slice(0, 8), 5);
    const failed = decided(disclosureId, studentId, 'identification');
    await log.append(studentId, failed.disclosureId, failed);
    const catchUp = new AuditRecordCatchUp(store, dataSource, 0);
    try {
      catchUp.rowWriteFailed(); // due in a second once the event has settled (0 ms here)
      const deadline = Date.now() + 10_000;
      while (!(await dataSource.manager.existsBy(DecisionRecordEntity, { disclosureId: failed.disclosureId })) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await dataSource.manager.existsBy(DecisionRecordEntity, { disclosureId: failed.disclosureId })).toBe(true);
    } finally {
      await catchUp.beforeApplicationShutdown();
    }
  });
});
