import { DataSource } from 'typeorm';
import type { Consent } from '../domain';
import { ConsentEntity, ConsentsTable } from './consents.table';

describe('consents table', () => {
  let dataSource: DataSource;
  let table: ConsentsTable;

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [ConsentEntity], synchronize: true }).initialize();
    table = new ConsentsTable(dataSource);
  });

  afterEach(() => dataSource.destroy());

  const consent: Consent = {
    status: 'active',
    consentId: 'c-1',
    studentId: 's-1',
    version: 1,
    grantedBy: { kind: 'guardian', id: 'g-1' },
    scope: { categories: ['absences'], recipient: { welfareAreaId: 'w-1' }, purpose: 'p', validFrom: '2026-01-01T00:00:00.000Z' },
    grantedAt: '2026-01-01T00:00:00.000Z',
    changedAt: '2026-01-01T00:00:00.000Z',
  };

  it('keeps the fold of the newest revision, whatever order the writes land in, and rewrites idempotently', async () => {
    const paused: Consent = { ...consent, status: 'paused', changedAt: '2026-01-02T00:00:00.000Z' };
    await table.save(paused, 1n);
    await table.save(consent, 0n);
    await table.save(paused, 1n);
    const rows = await table.forStudent('s-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ consentId: 'c-1', status: 'paused', revision: 1, categories: ['absences'], roles: null, validUntil: null });

    await table.save({ ...paused, status: 'withdrawn', changedAt: '2026-01-03T00:00:00.000Z' }, 2n);
    expect((await table.forStudent('s-1'))[0]).toMatchObject({ status: 'withdrawn', revision: 2 });
  });
});
