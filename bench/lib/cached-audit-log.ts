// A seeded audit log kept between full benchmark runs: seeding a million events takes minutes, the
// measurements over it seconds. The database records which seed version wrote it, in a table
// written last, so a seed that did not finish or an older seed is seeded again.
import { createTestDatabase } from '@silta/testing';
import { isQuick } from './infra';
import { seedAuditLog, type AuditSeedOptions, type AuditSeedReport } from './seed-audit';
import { databaseUrl, pgClient, withAdmin } from './seed-events';

export interface CachedAuditLogSpec {
  /** The cached database's name; quick runs use a throwaway database with this as prefix. */
  readonly database: string;
  /** Written into the database; change it whenever what the seed writes changes. */
  readonly seedVersion: string;
  readonly leaves: number;
  readonly checkpointEvery: number;
  readonly leafVersion: 1 | 2;
}

export interface OpenedAuditLog {
  readonly url: string;
  readonly seed: AuditSeedReport;
  readonly cached: boolean;
  readonly seedSeconds: number;
  /** Drops a quick run's throwaway database; keeps a cached one. */
  drop(): Promise<void>;
}

/** Full runs reuse the database when it holds this seed version and size; quick runs seed a throwaway one. */
export async function openCachedAuditLog(spec: CachedAuditLogSpec): Promise<OpenedAuditLog> {
  let reported = 0;
  const seedOptions: AuditSeedOptions = {
    leafVersion: spec.leafVersion,
    onProgress: (done) => {
      if (done < reported + 100_000) return;
      reported = done;
      process.stderr.write(`  ${spec.database}: ${done} events\n`);
    },
  };
  if (isQuick()) {
    const database = await createTestDatabase(spec.database);
    const started = Date.now();
    const seed = await seedAuditLog(database.url, spec.leaves, spec.checkpointEvery, seedOptions);
    return { url: database.url, seed, cached: false, seedSeconds: (Date.now() - started) / 1000, drop: () => database.drop() };
  }
  const url = databaseUrl(spec.database);
  const existing = await readSeedReport(spec);
  if (existing) return { url, seed: existing, cached: true, seedSeconds: 0, drop: async () => undefined };

  process.stderr.write(`seeding ${spec.leaves} audit events (leaf v${spec.leafVersion}) into ${spec.database} (once; later runs reuse it)\n`);
  await withAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${spec.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${spec.database}`);
  });
  const started = Date.now();
  const seed = await seedAuditLog(url, spec.leaves, spec.checkpointEvery, seedOptions);
  const client = await pgClient(url);
  try {
    await client.query(`VACUUM ANALYZE silta_events`);
    // Written last: a database without it is a seed that did not finish, and is seeded again.
    await client.query(`CREATE TABLE bench_seed (version text NOT NULL, report text NOT NULL)`);
    await client.query(`INSERT INTO bench_seed VALUES ($1, $2)`, [spec.seedVersion, JSON.stringify(seed)]);
  } finally {
    await client.end();
  }
  return { url, seed, cached: false, seedSeconds: (Date.now() - started) / 1000, drop: async () => undefined };
}

/** The report of a finished seed of this version and size in the database, if there is one. */
async function readSeedReport(spec: CachedAuditLogSpec): Promise<AuditSeedReport | undefined> {
  const exists = await withAdmin(async (admin) => (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [spec.database])).rowCount === 1);
  if (!exists) return undefined;
  const client = await pgClient(databaseUrl(spec.database));
  try {
    const rows = await client.query(`SELECT version, report FROM bench_seed`).catch(() => undefined);
    const row = rows?.rows[0] as { version: string; report: string } | undefined;
    if (row?.version !== spec.seedVersion) return undefined;
    const report = JSON.parse(row.report) as AuditSeedReport;
    return report.leaves === spec.leaves ? report : undefined;
  } finally {
    await client.end();
  }
}
