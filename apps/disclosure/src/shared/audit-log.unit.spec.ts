import type { EventStore } from '@silta/event-store';
import { SqlEventStore } from '@silta/event-store/sql';
import { createHash } from 'node:crypto';
import { canonicalJson } from '@silta/transparency';
import type { AuditEvent, EmergencyAccessReviewed } from '@silta/decision';
import { AuditLog } from './audit-log';


describe('AuditLog', () => {
  let store: EventStore;
  let log: AuditLog;
  beforeEach(async () => {
    store = await SqlEventStore.connect({ type: 'better-sqlite3', database: ':memory:' });
    log = new AuditLog(store);
  });
  afterEach(() => store.close());

  const review = (note?: string): EmergencyAccessReviewed => ({
    type: 'EmergencyAccessReviewed',
    disclosureId: '6f1d2c1e-0000-4000-8000-000000000001',
    reviewer: { sub: 'auditor-1', org: 'welfare-area:w' },
    outcome: 'justified',
    note,
    reviewedAt: '2026-03-10T09:00:00.000Z',
  });

  it('stores each audit event as a v2 leaf with the hash of exactly the data the store holds', async () => {
    // `note: undefined` is not stored; the hash must not depend on it either.
    await log.append('student-1', '0b0c0d0e-0000-4000-8000-000000000001', review(undefined));
    await log.append('student-1', '0b0c0d0e-0000-4000-8000-000000000002', { ...review('checked with the curator'), outcome: 'unjustified' });

    const recorded = await store.readStream('audit-student-1');
    expect(recorded).toHaveLength(2);
    for (const event of recorded) {
      expect(event.metadata.leafVersion).toBe(2);
      expect(event.metadata.dataHash).toBe(createHash('sha256').update(canonicalJson(event.data)).digest('hex'));
    }
    expect(recorded[0]!.data).not.toHaveProperty('note');
  });

  it('writes nothing new when the same event id is appended again', async () => {
    const eventId = '0b0c0d0e-0000-4000-8000-000000000003';
    await log.append('student-2', eventId, review('first'));
    await log.append('student-2', eventId, review('first'));
    expect(await store.readStream('audit-student-2')).toHaveLength(1);
  });

  it('refuses an event JSON cannot carry before writing anything', async () => {
    const bad = { ...review(), reviewedAt: 10n } as unknown as AuditEvent;
    await expect(log.append('student-3', '0b0c0d0e-0000-4000-8000-000000000004', bad)).rejects.toThrow(/BigInt/);
    expect(await store.readAll()).toEqual([]);
  });
});
