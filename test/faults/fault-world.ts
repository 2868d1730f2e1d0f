import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, eventually, freePort, type RunningApp, type TestDatabase } from '@silta/testing';
import { verifierKeyOf } from '@silta/transparency';
import { signerKeyName } from '../../scripts/local-secrets';
import { Client, policyFileFor, queryDatabase, startApp, testSecrets, type AppName, type AppPlacement } from '../e2e/harness';
import { expectOk } from '../e2e/world';

/**
 * The world every fault test starts from: the municipality's three apps (and, with `receipts`, the
 * welfare area's receipts service, the two witnessing each other) as processes on the fault
 * suite's broker cluster and PostgreSQL, with a school, `students` students each with a guardian,
 * and a curator assigned to the school. Each app keeps the environment it was started with, so a
 * test can kill it and start it again as the same instance: same port, database, keys and group.
 */
export interface FaultWorld {
  readonly ids: { readonly run: string; readonly municipalityId: string; readonly welfareArea: string; readonly school: string };
  readonly students: readonly FaultStudent[];
  readonly curator: Client;
  readonly auditor: Client;
  readonly apps: Partial<Record<AppName, RunningApp>>;
  readonly databases: Partial<Record<AppName, TestDatabase>>;
  /** The consumer group suffix of this world's apps (they read the shared topics in groups of their own). */
  readonly groupSuffix: string;
  url(app: AppName, path: string): string;
  /** Starts `app` again with the environment it had (after a test killed or stopped it). */
  restart(app: AppName): Promise<RunningApp>;
  /** SIGKILL, no goodbye: the process gets no chance to finish a request or commit. */
  kill(app: AppName): Promise<void>;
  query<T extends Record<string, unknown> = Record<string, unknown>>(app: AppName, sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

export interface FaultStudent {
  readonly studentId: string;
  readonly guardian: Client;
}

export interface FaultWorldOptions {
  readonly students?: number;
  /** Also the welfare area's receipts service, on its own database and key, witnessing disclosure's log. */
  readonly receipts?: boolean;
  /** Where receipts runs and how disclosure reaches it (the welfare-network fault puts it in a namespace). */
  readonly receiptsPlacement?: AppPlacement & {
    readonly url?: (port: number) => string;
    readonly disclosureUrl?: string;
    /** SQLite in this folder instead of a PostgreSQL database (a namespace does not reach the host's PostgreSQL). */
    readonly dataDir?: string;
  };
  /** The ports to start apps on (default: free ones), for a test that sets up a route to an app before it starts. */
  readonly ports?: Partial<Record<AppName, number>>;
  /** Settings for every app (e.g. DATABASE_URL of another PostgreSQL via `postgresAdminUrl`). */
  readonly env?: Record<string, string>;
  readonly disclosureEnv?: Record<string, string>;
  /** The PostgreSQL where the apps' databases are created (default: the test PostgreSQL). */
  readonly postgresAdminUrl?: string;
}

export async function startFaultWorld(label: string, options: FaultWorldOptions = {}): Promise<FaultWorld> {
  const run = randomUUID().slice(0, 8);
  const id = (name: string) => `${name}-${run}`;
  const [municipalityId, welfareArea, school] = [id('m'), id('w'), id('school')];
  const municipality = `municipality:${municipalityId}`;
  const groupSuffix = `-fault-${run}`;
  const secrets = testSecrets({ disclosure: `silta.fault/${run}/municipality`, receipts: `silta.fault/${run}/welfare-area-receipts` });
  const policyDir = mkdtempSync(join(tmpdir(), 'silta-fault-'));
  const apps: FaultWorld['apps'] = {};
  const databases: FaultWorld['databases'] = {};
  const envs: Partial<Record<AppName, Record<string, string>>> = {};
  const placements: Partial<Record<AppName, AppPlacement>> = {};
  const names: AppName[] = options.receipts ? ['roster', 'consent', 'disclosure', 'receipts'] : ['roster', 'consent', 'disclosure'];
  const receiptsDataDir = options.receiptsPlacement?.dataDir;
  for (const name of names) {
    if (name === 'receipts' && receiptsDataDir) continue;
    databases[name] = await createTestDatabase(`silta_fault_${label}_${name}`, options.postgresAdminUrl);
  }
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, options.ports?.[name] ?? (await freePort())] as const))) as Record<AppName, number>;
  const localUrl = (name: AppName) => `http://127.0.0.1:${ports[name]}`;
  const receiptsUrl = options.receiptsPlacement?.url?.(ports.receipts) ?? localUrl('receipts');
  const common = { JWT_SECRET: secrets.JWT_SECRET, INTERNAL_TOKEN_SECRET: secrets.INTERNAL_TOKEN_SECRET, KAFKA_GROUP_SUFFIX: groupSuffix, ...options.env };
  const origins = { disclosure: signerKeyName(secrets.AUDIT_SIGNING_KEY), receipts: signerKeyName(secrets.RECEIPTS_AUDIT_SIGNING_KEY) };
  envs.roster = { ...common, PORT: String(ports.roster), DATABASE_URL: databases.roster!.url };
  envs.consent = { ...common, PORT: String(ports.consent), DATABASE_URL: databases.consent!.url, ROSTER_URL: localUrl('roster') };
  envs.disclosure = {
    ...common,
    PORT: String(ports.disclosure),
    DATABASE_URL: databases.disclosure!.url,
    ROSTER_URL: localUrl('roster'),
    POLICY_FILE: policyFileFor(municipalityId, policyDir),
    CONSISTENCY_WAIT_MS: '10000',
    AUDIT_SIGNING_KEY: secrets.AUDIT_SIGNING_KEY,
    AUDIT_ORIGIN: origins.disclosure,
    ...(options.receipts
      ? { PEER_AUDIT_KEY: verifierKeyOf(secrets.RECEIPTS_AUDIT_SIGNING_KEY), PEER_AUDIT_URL: receiptsUrl, PEER_AUDIT_ORIGIN: origins.receipts }
      : {}),
    ...options.disclosureEnv,
  };
  if (options.receipts) {
    envs.receipts = {
      ...common,
      PORT: String(ports.receipts),
      ...(receiptsDataDir ? { DATA_DIR: receiptsDataDir } : { DATABASE_URL: databases.receipts!.url }),
      AUDIT_SIGNING_KEY: secrets.RECEIPTS_AUDIT_SIGNING_KEY,
      AUDIT_ORIGIN: origins.receipts,
      PEER_AUDIT_KEY: verifierKeyOf(secrets.AUDIT_SIGNING_KEY),
      PEER_AUDIT_URL: options.receiptsPlacement?.disclosureUrl ?? localUrl('disclosure'),
      PEER_AUDIT_ORIGIN: origins.disclosure,
    };
    placements.receipts = options.receiptsPlacement;
  }

  const start = async (name: AppName) => (apps[name] = await startApp(name, envs[name]!, placements[name]));
  const world: FaultWorld = {
    ids: { run, municipalityId, welfareArea, school },
    students: [],
    curator: await Client.as(secrets.JWT_SECRET, id('curator'), 'curator', `welfare-area:${welfareArea}`),
    auditor: await Client.as(secrets.JWT_SECRET, id('auditor'), 'auditor', `welfare-area:${welfareArea}`),
    apps,
    databases,
    groupSuffix,
    url: (name, path) => `${apps[name]?.url ?? localUrl(name)}${path}`,
    restart: start,
    async kill(name) {
      const child = apps[name]?.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    query: (name, sql, params = []) => {
      const database = databases[name];
      if (!database) throw new Error(`${name} has no PostgreSQL database in this world (SQLite under its DATA_DIR?)`);
      return queryDatabase(database, sql, params);
    },
    async stop() {
      await Promise.all(Object.values(apps).map((app) => app.stop()));
      for (const db of Object.values(databases)) await db.drop().catch(() => undefined);
      rmSync(policyDir, { recursive: true, force: true });
    },
  };

  try {
    await start('roster');
    await Promise.all(names.filter((name) => name !== 'roster').map(start));
    const user = (sub: string, role: 'school_admin' | 'welfare_admin' | 'guardian', org?: string) => Client.as(secrets.JWT_SECRET, sub, role, org);
    const admin = await user(id('admin'), 'school_admin', municipality);
    const welfareAdmin = await user(id('wadmin'), 'welfare_admin', `welfare-area:${welfareArea}`);
    const roster = (path: string) => world.url('roster', path);
    expectOk(await admin.post(roster('/v1/schools'), { schoolId: school, name: 'Vikakoulu' }));
    expectOk(await admin.put(roster(`/v1/schools/${school}/service`), { welfareAreaId: welfareArea }));
    expectOk(await welfareAdmin.post(roster('/v1/assignments'), { assignmentId: id('a-curator'), professionalId: id('curator'), role: 'curator', welfareAreaId: welfareArea, schoolId: school, validFrom: '2020-01-01' }));
    const students: FaultStudent[] = [];
    for (let i = 0; i < (options.students ?? 12); i++) {
      const studentId = id(`student-${i}`);
      const guardianId = id(`guardian-${i}`);
      expectOk(await admin.post(roster('/v1/students'), { studentId, schoolId: school, name: `Oppilas ${i}`, birthDate: '2012-05-06', group: '7A' }));
      expectOk(await admin.post(roster(`/v1/students/${studentId}/guardians`), { guardianId, name: `Huoltaja ${i}`, contact: { email: 'huoltaja@example.invalid' } }));
      students.push({ studentId, guardian: await user(guardianId, 'guardian') });
    }
    (world.students as FaultStudent[]).push(...students);
    // Both views (consent's and disclosure's) must know every student and guardian before the load starts.
    const ids = students.map((s) => s.studentId);
    await eventually(
      async () =>
        Number((await world.query<{ n: string }>('disclosure', 'SELECT count(*) AS n FROM dv_guardian_links WHERE student_id = ANY($1) AND active', [ids]))[0]!.n) === ids.length &&
        (await world.query('disclosure', 'SELECT 1 FROM dv_assignments WHERE professional_id = $1', [id('curator')])).length === 1,
      90_000,
      () => `disclosure's view did not learn the roster:\n${apps.disclosure!.output().slice(-2000)}`,
    );
    return world;
  } catch (error) {
    await world.stop();
    throw error;
  }
}
