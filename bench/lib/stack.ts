// The real stack for the benchmarks: roster, consent and disclosure as processes on fresh
// PostgreSQL databases and the benchmark's broker, seeded through the public API exactly as a
// municipality and a welfare area would, plus the probes a benchmark reads (RSS, the audit log).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { signUserToken } from '@silta/platform';
import { createTestDatabase, freePort, launchApp, type RunningApp, type TestDatabase } from '@silta/testing';
import { Client, appEnv, startApp, testSecrets, type Answer } from '../../test/e2e/harness';

const repoRoot = join(__dirname, '..', '..');

export type AppName = 'roster' | 'consent' | 'disclosure';
export const APP_NAMES: readonly AppName[] = ['roster', 'consent', 'disclosure'];

export interface StackOptions {
  /** Extra environment for disclosure only (e.g. NODE_OPTIONS=--cpu-prof for a profile). */
  readonly disclosureEnv?: Record<string, string>;
}

export interface Stack {
  readonly apps: Record<AppName, RunningApp>;
  readonly databases: Record<AppName, TestDatabase>;
  readonly jwtSecret: string;
  url(app: AppName, path: string): string;
  /** Resident set size of the app's process now, in MB (from /proc/<pid>/status). */
  rssMb(app: AppName): number;
  /** One query on an app's database. */
  query<T = Record<string, unknown>>(app: AppName, sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops the apps, then drops their databases. */
  stop(): Promise<void>;
}

/** Starts the three apps on fresh `silta_bench_*` databases; a unique consumer-group suffix keeps other runs' groups apart. */
export async function startStack(label: string, options: StackOptions = {}): Promise<Stack> {
  const secrets = testSecrets();
  const databases = {} as Record<AppName, TestDatabase>;
  const apps = {} as Record<AppName, RunningApp>;
  const pools = new Map<AppName, PgClient>();
  const stop = async () => {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
    await Promise.all([...pools.values()].map((c) => c.end().catch(() => undefined)));
    for (const db of Object.values(databases)) await db.drop();
  };
  try {
    for (const app of APP_NAMES) databases[app] = await createTestDatabase(`silta_bench_${label}_${app}`);
    // The load generators drive one token far past any caller's write limit: measure the work, not the 429s.
    const common = { ...secrets, KAFKA_GROUP_SUFFIX: `-bench-${randomUUID().slice(0, 8)}`, AUDIT_CHECKPOINT_INTERVAL_MS: '0', RATE_LIMIT_WRITES_PER_MINUTE: '100000000' };
    const start = runsFromSource() ? startApp : (ensureBuild(), startBuiltApp);
    apps.roster = await start('roster', { ...common, DATABASE_URL: databases.roster.url });
    [apps.consent, apps.disclosure] = await Promise.all([
      // Consent reads the student's birth date from roster's standing on grant and resume.
      start('consent', { ...common, DATABASE_URL: databases.consent.url, ROSTER_URL: apps.roster.url }),
      start('disclosure', { ...common, DATABASE_URL: databases.disclosure.url, ROSTER_URL: apps.roster.url, ...options.disclosureEnv }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apps,
    databases,
    jwtSecret: secrets.JWT_SECRET,
    url: (app, path) => `${apps[app].url}${path}`,
    rssMb: (app) => rssMbOf(apps[app].child.pid!),
    query: async (app, sql, params = []) => {
      let client = pools.get(app);
      if (!client) {
        client = new PgClient({ connectionString: databases[app].url });
        await client.connect();
        pools.set(app, client);
      }
      return (await client.query(sql, params)).rows;
    },
    stop,
  };
}

/**
 * The apps run as they do in production (the Dockerfile): the compiled build, `node
 * dist/apps/<name>/src/main.js`. BENCH_RUN_FROM=source runs the TypeScript through
 * @swc-node/register instead (as the e2e tests do), to compare the two.
 */
export function runsFromSource(): boolean {
  return process.env.BENCH_RUN_FROM === 'source';
}

/** How the apps were started, for the result notes. */
export function appCommand(): string {
  return runsFromSource() ? 'node -r @swc-node/register apps/<name>/src/main.ts' : 'node dist/apps/<name>/src/main.js (npm run build)';
}

/**
 * Runs `npm run build` when dist/ is missing or older than any TypeScript under apps/ or libs/.
 * A lock directory keeps concurrent benchmark processes (parallel smoke tests) from building at once.
 */
export function ensureBuild(): void {
  const lock = join(repoRoot, '.cache', 'build.lock');
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for 3 minutes; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (builtAt() > newestSource()) return;
    try {
      execFileSync('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (error) {
      // tsc writes its output even when it reports errors; a half-done dist/ must not look fresh.
      rmSync(join(repoRoot, 'dist', 'apps'), { recursive: true, force: true });
      throw error;
    }
  } finally {
    rmdirSync(lock);
  }
}

/** When the build last finished: the oldest of the apps' compiled entry points (0 if one is missing). */
function builtAt(): number {
  try {
    return Math.min(...(['roster', 'consent', 'disclosure', 'receipts'] as const).map((app) => statSync(builtEntry(app)).mtimeMs));
  } catch {
    return 0;
  }
}

function newestSource(): number {
  let newest = statSync(join(repoRoot, 'tsconfig.build.json')).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|ya?ml)$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(repoRoot, 'apps'));
  walk(join(repoRoot, 'libs'));
  return newest;
}

const builtEntry = (name: string) => join(repoRoot, 'dist', 'apps', name, 'src', 'main.js');

/**
 * V8 flags the compiled apps run with, as in the Dockerfile's CMD: a 4 MB young-generation
 * semi-space (node 20 grows it to 16 MB under load) keeps disclosure's peak RSS under load
 * ~50 MB lower for a few more, cheaper scavenges; a 128 MB old space stops V8 from growing the
 * heap lazily under disclosure's allocation rate (peak 256 -> ~145 MB at the same decisions/s;
 * the live set stays far below it) (bench:memory, BENCHMARKS.md).
 */
export const APP_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=128'];

/** Like the e2e harness's startApp, but runs the compiled build (call ensureBuild first). */
export async function startBuiltApp(name: AppName, env: Record<string, string>): Promise<RunningApp> {
  const port = Number(env.PORT) || (await freePort());
  // As the harness does: the app's own Kafka principal, and only the secrets it needs (an audit
  // signing key only for disclosure, a party's log; INTERNAL_TOKEN_SECRET for roster, disclosure and consent).
  const rest = appEnv(name, env);
  // BENCH_APP_LOG_DIR=<dir>: each app's output also goes to <dir>/<name>-<pid>.log, to read after a run.
  const logDir = process.env.BENCH_APP_LOG_DIR;
  return launchApp({
    name,
    argv: [process.execPath, ...APP_V8_FLAGS, builtEntry(name)],
    env: {
      ...rest,
      // BENCH_APP_NODE_OPTIONS: V8 flags for the apps only (e.g. heap sizes), not the bench process.
      ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: `${rest.NODE_OPTIONS ?? ''} ${process.env.BENCH_APP_NODE_OPTIONS}`.trim() } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    url: `http://127.0.0.1:${port}`,
    ...(logDir ? { onOutput: (chunk: Buffer, child: ChildProcess) => appendFileSync(join(logDir, `${name}-${child.pid}.log`), chunk) } : {}),
  });
}

/** VmRSS of a process in MB (Linux /proc). */
export function rssMbOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** Samples each app's RSS every `everyMs` until stopped; `peak()` and `samples()` per app. */
export class RssSampler {
  private readonly values = new Map<AppName, number[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stack: Stack,
    private readonly everyMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  samples(app: AppName): number[] {
    return this.values.get(app) ?? [];
  }

  peak(app: AppName): number {
    return Math.max(...this.samples(app));
  }

  private sample(): void {
    for (const app of APP_NAMES) {
      const list = this.values.get(app) ?? [];
      list.push(this.stack.rssMb(app));
      this.values.set(app, list);
    }
  }
}

/** The synthetic people of one benchmark run: one municipality, one school, N students. */
export interface Seeded {
  readonly run: string;
  readonly welfareAreaId: string;
  readonly schoolId: string;
  readonly students: readonly string[];
  /** guardians[i] is the linked guardian of students[i] (when seeded with guardians). */
  readonly guardians: readonly string[];
  readonly curatorId: string;
  /** The curator's bearer token, for the load generator. */
  readonly curatorToken: string;
  readonly clients: { admin: Client; welfareAdmin: Client; curator: Client; guardian(i: number): Promise<Client> };
}

/**
 * Seeds a school with `students` students, a curator assigned to it and, optionally, one linked
 * guardian per student, then waits until disclosure's view (and consent's, for guardians) has it.
 */
export async function seed(stack: Stack, options: { students: number; guardians: boolean }): Promise<Seeded> {
  const run = randomUUID().slice(0, 8);
  // The stack runs the shipped policy, which is municipality `demo`'s: disclosure decides only for its students.
  const municipality = 'municipality:demo';
  const welfareAreaId = `bench-${run}`;
  const schoolId = `school-bench-${run}`;
  const curatorId = `curator-bench-${run}`;
  const students = Array.from({ length: options.students }, (_, i) => `student-bench-${run}-${i}`);
  const guardians = options.guardians ? students.map((_, i) => `guardian-bench-${run}-${i}`) : [];
  const s = stack.jwtSecret;
  const admin = await Client.as(s, `admin-bench-${run}`, 'school_admin', municipality);
  const welfareAdmin = await Client.as(s, `wadmin-bench-${run}`, 'welfare_admin', `welfare-area:${welfareAreaId}`);
  const curatorToken = await signUserToken({ sub: curatorId, role: 'curator', org: `welfare-area:${welfareAreaId}` }, { secret: s, issuer: 'silta-local', audience: 'silta' });
  const curator = Client.raw(curatorToken);
  const roster = (path: string) => stack.url('roster', path);

  ok(await admin.post(roster('/v1/schools'), { schoolId, name: 'Vertailukoulu' }));
  ok(await admin.put(roster(`/v1/schools/${schoolId}/service`), { welfareAreaId }));
  ok(await welfareAdmin.post(roster('/v1/assignments'), {
    assignmentId: `assignment-bench-${run}`,
    professionalId: curatorId,
    role: 'curator',
    welfareAreaId,
    schoolId,
    validFrom: '2020-01-01',
  }));
  await inParallel(students, 8, async (studentId, i) => {
    ok(await admin.post(roster('/v1/students'), { studentId, schoolId, name: `Oppilas ${i}`, birthDate: '2012-05-06', group: '8B' }));
    if (options.guardians) {
      ok(await admin.post(roster(`/v1/students/${studentId}/guardians`), { guardianId: guardians[i], name: `Huoltaja ${i}`, contact: { email: `huoltaja-${i}@example.invalid` } }));
    }
  });

  await until(
    async () => {
      const [row] = await stack.query<{ students: string; links: string; assignments: string }>(
        'disclosure',
        `SELECT (SELECT count(*) FROM dv_students WHERE school_id = $1) AS students,
                (SELECT count(*) FROM dv_guardian_links WHERE student_id = ANY($2) AND active) AS links,
                (SELECT count(*) FROM dv_assignments WHERE professional_id = $3) AS assignments`,
        [schoolId, students, curatorId],
      );
      return Number(row!.students) === students.length && Number(row!.links) === guardians.length && Number(row!.assignments) === 1;
    },
    120_000,
    () => `disclosure's view did not catch up with the seed:\n${stack.apps.disclosure.output().slice(-2000)}`,
  );
  return {
    run,
    welfareAreaId,
    schoolId,
    students,
    guardians,
    curatorId,
    curatorToken,
    clients: { admin, welfareAdmin, curator, guardian: (i) => Client.as(s, guardians[i]!, 'guardian') },
  };
}

/**
 * A guardian's consent to absences for the welfare area's curators; retried until consent's own
 * roster view knows the guardian (it learns that over Kafka).
 */
export async function grantConsent(stack: Stack, seeded: Seeded, i: number): Promise<{ consentId: string; positionToken: string }> {
  const guardian = await seeded.clients.guardian(i);
  let answer: Answer | undefined;
  await until(
    async () => {
      answer = await guardian.post(stack.url('consent', '/v1/consents'), {
        studentId: seeded.students[i],
        categories: ['absences'],
        recipient: { welfareAreaId: seeded.welfareAreaId, roles: ['curator'] },
        purpose: 'student welfare assessment',
      });
      return answer.status === 201;
    },
    60_000,
    () => `consent refused the grant: ${answer?.status} ${JSON.stringify(answer?.body)}`,
  );
  return { consentId: answer!.body.consentId, positionToken: answer!.body.positionToken };
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

/** Polls `check` every 100 ms until true; throws `describe()` after the timeout. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function ok(answer: Answer): Answer {
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`seed call answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}
