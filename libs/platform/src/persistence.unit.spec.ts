import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { queueSqliteTransactions } from './persistence';

describe('the read-model database on SQLite', () => {
  it('runs overlapping transactions one after the other instead of failing the second', async () => {
    const dataSource = queueSqliteTransactions(await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize());
    try {
      await dataSource.query('CREATE TABLE applied (worker INTEGER, step INTEGER)');
      const work = (worker: number) =>
        dataSource.transaction(async (manager) => {
          await manager.query('INSERT INTO applied VALUES (?, 1)', [worker]);
          await new Promise((resolve) => setTimeout(resolve, 10));
          await manager.query('INSERT INTO applied VALUES (?, 2)', [worker]);
        });
      const failing = dataSource.transaction(async () => {
        throw new Error('rolled back');
      });
      await Promise.all([work(1), expect(failing).rejects.toThrow('rolled back'), work(2), work(3)]);
      const rows = (await dataSource.query('SELECT worker, step FROM applied ORDER BY rowid')) as Array<{ worker: number; step: number }>;
      // each transaction's two steps are adjacent: none ran inside another
      expect(rows.map((r) => `${r.worker}.${r.step}`)).toEqual(['1.1', '1.2', '2.1', '2.2', '3.1', '3.2']);
    } finally {
      await dataSource.destroy();
    }
  });

  it('leaves PostgreSQL data sources as they are', () => {
    const options = { type: 'postgres' } as const;
    const fake = { options, manager: { transaction: () => undefined } } as unknown as DataSource;
    const before = fake.manager.transaction;
    expect(queueSqliteTransactions(fake).manager.transaction).toBe(before);
  });
});
