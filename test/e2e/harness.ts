import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { INTERNAL_TOKEN_HOLDERS, signUserToken, type Role } from '@silta/platform';
import { createTestDatabase, freePort, launchApp, recordTestLog, serviceKafkaEnv, type RunningApp, type TestDatabase } from '@silta/testing';
import { generateSignerKey, verifierKeyOf } from '@silta/transparency';
import { signerKeyName } from '../../scripts/local-secrets';

const root = join(__dirname, '..', '..');

/** A TCP proxy the test controls, free ports and the app launcher (one home: @silta/testing). */
export { TcpProxy, freePort, type RunningApp } from '@silta/testing';

export type AppName = 'roster' | 'consent' | 'disclosure' | 'receipts';

/**
 * The environment an app process gets: the test run's (without any Kafka credentials of its own,
 * nor the directory of every principal's password), the app's own Kafka principal
 * (serviceKafkaEnv), then `env`. Each app gets only the secrets it needs: INTERNAL_TOKEN_SECRET
 * only roster, disclosure and consent; an AUDIT_SIGNING_KEY only the parties' logs, disclosure and receipts
 * (receipts takes RECEIPTS_AUDIT_SIGNING_KEY when given one, the welfare area's own), each a fresh
 * key when none is given, with AUDIT_ORIGIN the key's name unless `env` sets one (C2SP: a log's key is
 * named after its origin). `env` may name another principal (KAFKA_USERNAME with KAFKA_PASSWORD or
 * KAFKA_PASSWORD_FILE) or another broker address (KAFKA_BROKERS).
 */
export function appEnv(name: AppName, env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of ['KAFKA_USERNAME', 'KAFKA_PASSWORD', 'KAFKA_PASSWORD_FILE', 'KAFKA_CREDENTIALS_DIR', 'INTERNAL_TOKEN_SECRET']) delete inherited[variable];
  const own: Record<string, string> = serviceKafkaEnv(name);
  if (env.KAFKA_PASSWORD) delete own.KAFKA_PASSWORD_FILE;
  const { AUDIT_SIGNING_KEY, RECEIPTS_AUDIT_SIGNING_KEY, INTERNAL_TOKEN_SECRET, ...rest } = { ...inherited, ...own, ...env };
  const hasLog = name === 'disclosure' || name === 'receipts';
  const auditKey = (name === 'receipts' ? RECEIPTS_AUDIT_SIGNING_KEY : undefined) || AUDIT_SIGNING_KEY || generateSignerKey(uniqueOrigin(name));
  return {
    ...rest,
    // Specs ask for checkpoints as often as their story needs: no on-demand rate limit unless `env` sets one.
    ...(hasLog ? { AUDIT_SIGNING_KEY: auditKey, AUDIT_ORIGIN: rest.AUDIT_ORIGIN || signerKeyName(auditKey), AUDIT_CHECKPOINT_MIN_INTERVAL_MS: rest.AUDIT_CHECKPOINT_MIN_INTERVAL_MS || '0' } : {}),
    ...(INTERNAL_TOKEN_HOLDERS.includes(name) && INTERNAL_TOKEN_SECRET ? { INTERNAL_TOKEN_SECRET } : {}),
  };
}

/** Where an app process runs: the address it listens on, and a wrapper such as `ip netns exec <ns>`. */
export interface AppPlacement {
  /** 127.0.0.1 unless given. */
  readonly host?: string;
  /** Rewrites the command line, e.g. to run the app inside a network namespace. */
  readonly wrap?: (argv: readonly string[]) => string[];
}

/**
 * Starts one Silta app as its own process, as its own Kafka principal, and waits until /health
 * answers, on `env.PORT` or a free port. What it gets of `env` and the run's environment: appEnv.
 */
export async function startApp(name: AppName, env: Record<string, string>, { host = '127.0.0.1', wrap = (argv) => [...argv] }: AppPlacement = {}): Promise<RunningApp> {
  const port = Number(env.PORT) || (await freePort());
  return launchApp({
    name,
    argv: wrap([process.execPath, '-r', '@swc-node/register', join(root, 'apps', name, 'src', 'main.ts')]),
    env: { ...appEnv(name, env), PORT: String(port), HOST: host, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    url: `http://${host}:${port}`,
    // Kept for output(), and shown by the test environment only if a test fails.
    onOutput: (chunk) => recordTestLog(`[${name}] ${chunk.toString()}`),
  });
}

/**
 * Random secrets for one test run: disclosure's audit signing key, and the welfare area's for
 * receipts. startApp hands each app only its own (INTERNAL_TOKEN_SECRET to roster, disclosure and consent).
 * Each audit key is named after its log's origin, `origins`' or one of this run's own (runs share the
 * checkpoint topic, where a witness tells logs apart by origin); the apps take that name as AUDIT_ORIGIN.
 */
export function testSecrets(origins: { disclosure?: string; receipts?: string } = {}): {
  JWT_SECRET: string;
  INTERNAL_TOKEN_SECRET: string;
  AUDIT_SIGNING_KEY: string;
  RECEIPTS_AUDIT_SIGNING_KEY: string;
} {
  return {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    INTERNAL_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_SIGNING_KEY: generateSignerKey(origins.disclosure ?? uniqueOrigin('disclosure')),
    RECEIPTS_AUDIT_SIGNING_KEY: generateSignerKey(origins.receipts ?? uniqueOrigin('receipts')),
  };
}

/** An audit-log origin no other test run uses, for disclosure's log or receipts'. */
function uniqueOrigin(app: AppName): string {
  return `silta.e2e/${randomBytes(4).toString('hex')}/${app === 'receipts' ? 'welfare-area-receipts' : 'municipality'}`;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An HTTP client holding one caller's token. */
export class Client {
  constructor(
    private readonly token: string | undefined,
    private readonly timeoutMs?: number,
  ) {}

  /** The same caller, giving up on an answer after `ms` (a request into a cut network would wait for ever). */
  withTimeout(ms: number): Client {
    return new Client(this.token, ms);
  }

  static async as(secret: string, sub: string, role: Role, org?: string): Promise<Client> {
    return new Client(await signUserToken({ sub, role, org }, { secret, issuer: 'silta-local', audience: 'silta' }));
  }

  static raw(token: string | undefined): Client {
    return new Client(token);
  }

  call(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.send(method, url, body === undefined ? undefined : JSON.stringify(body), headers);
  }

  /** Sends `body` exactly as given (bytes or text) with the given headers: for bodies no JSON client would send. */
  async send(method: string, url: string, body: string | Uint8Array | undefined, headers: Record<string, string> = {}): Promise<Answer> {
    const all: Record<string, string> = { ...headers };
    if (this.token) all.authorization = `Bearer ${this.token}`;
    const response = await fetch(url, { method, headers: all, body, signal: this.timeoutMs ? AbortSignal.timeout(this.timeoutMs) : undefined });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed };
  }

  post(url: string, body: unknown = {}) {
    return this.call('POST', url, body);
  }
  put(url: string, body: unknown) {
    return this.call('PUT', url, body);
  }
  get(url: string) {
    return this.call('GET', url);
  }
  delete(url: string) {
    return this.call('DELETE', url);
  }
}

export interface RunningSilta {
  readonly apps: Record<'roster' | 'consent' | 'disclosure', RunningApp> & { receipts?: RunningApp };
  readonly databases: Record<'roster' | 'consent' | 'disclosure', TestDatabase> & { receipts?: TestDatabase };
  /** Stops the apps, then drops their databases. */
  stop(): Promise<void>;
}

/**
 * The three municipality apps as processes, each on its own fresh PostgreSQL database and as its
 * own Kafka principal on the test broker, with what each needs of `secrets`; `disclosureEnv` adds
 * settings for disclosure. With `receipts`, also the welfare area's receipts service with its own
 * key, the two parties witnessing each other; `receiptsEnv` adds settings for receipts alone (the
 * welfare area's own trust file).
 */
export async function startSilta(
  label: string,
  secrets: Record<string, string>,
  disclosureEnv: Record<string, string> = {},
  options: { receipts?: boolean; env?: Record<string, string>; groupSuffix?: string; municipality?: string; receiptsEnv?: Record<string, string> } = {},
): Promise<RunningSilta> {
  const { RECEIPTS_AUDIT_SIGNING_KEY, ...shared } = secrets;
  // Disclosure decides only for its policy's municipality: run the shipped policy as the test's own.
  const policyDir = options.municipality && !disclosureEnv.POLICY_FILE ? mkdtempSync(join(tmpdir(), 'silta-e2e-policy-')) : undefined;
  if (policyDir) disclosureEnv = { ...disclosureEnv, POLICY_FILE: policyFileFor(options.municipality!, policyDir) };
  const databases: RunningSilta['databases'] = {
    roster: await createTestDatabase(`silta_e2e_${label}_roster`),
    consent: await createTestDatabase(`silta_e2e_${label}_consent`),
    disclosure: await createTestDatabase(`silta_e2e_${label}_disclosure`),
  };
  // A group suffix of its own keeps this cluster's consumers from sharing partitions with another
  // cluster on the same broker (they then read the topics from the start).
  const common = { ...shared, ...(options.groupSuffix ? { KAFKA_GROUP_SUFFIX: options.groupSuffix } : {}), ...options.env };
  const roster = await startApp('roster', { ...common, DATABASE_URL: databases.roster.url });
  let peering: Record<'disclosure' | 'receipts', Record<string, string>> = { disclosure: {}, receipts: {} };
  if (options.receipts) {
    databases.receipts = await createTestDatabase(`silta_e2e_${label}_receipts`);
    const [disclosurePort, receiptsPort] = [await freePort(), await freePort()];
    const disclosureKey = disclosureEnv.AUDIT_SIGNING_KEY ?? shared.AUDIT_SIGNING_KEY ?? generateSignerKey(uniqueOrigin('disclosure'));
    const receiptsKey = RECEIPTS_AUDIT_SIGNING_KEY ?? generateSignerKey(uniqueOrigin('receipts'));
    const origins = { disclosure: disclosureEnv.AUDIT_ORIGIN ?? signerKeyName(disclosureKey), receipts: signerKeyName(receiptsKey) };
    peering = {
      disclosure: {
        PORT: String(disclosurePort),
        AUDIT_SIGNING_KEY: disclosureKey,
        AUDIT_ORIGIN: origins.disclosure,
        PEER_AUDIT_KEY: verifierKeyOf(receiptsKey),
        PEER_AUDIT_URL: `http://127.0.0.1:${receiptsPort}`,
        PEER_AUDIT_ORIGIN: origins.receipts,
      },
      receipts: {
        PORT: String(receiptsPort),
        AUDIT_SIGNING_KEY: receiptsKey,
        AUDIT_ORIGIN: origins.receipts,
        PEER_AUDIT_KEY: verifierKeyOf(disclosureKey),
        PEER_AUDIT_URL: `http://127.0.0.1:${disclosurePort}`,
        PEER_AUDIT_ORIGIN: origins.disclosure,
      },
    };
  }
  const [consent, disclosure, receipts] = await Promise.all([
    // Consent reads the student's birth date from roster's standing (who may grant: custody ends at 18).
    startApp('consent', { ...common, DATABASE_URL: databases.consent.url, ROSTER_URL: roster.url }),
    startApp('disclosure', { ...common, DATABASE_URL: databases.disclosure.url, ROSTER_URL: roster.url, ...disclosureEnv, ...peering.disclosure }),
    options.receipts ? startApp('receipts', { ...common, DATABASE_URL: databases.receipts!.url, ...options.receiptsEnv, ...peering.receipts }) : undefined,
  ]);
  const apps: RunningSilta['apps'] = { roster, consent, disclosure, ...(receipts ? { receipts } : {}) };
  return {
    apps,
    databases,
    stop: async () => {
      await Promise.all(Object.values(apps).map((app) => app.stop()));
      for (const db of Object.values(databases)) await db.drop();
      if (policyDir) rmSync(policyDir, { recursive: true, force: true });
    },
  };
}

/** A shipped policy (the default unless named) as municipality `municipality`'s own (its bare id), written into `dir`. */
export function policyFileFor(municipality: string, dir: string, shippedFile = join(root, 'apps', 'disclosure', 'policy', 'default.policy.yaml')): string {
  const shipped = readFileSync(shippedFile, 'utf8');
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, shipped.replace(/^municipality:.*$/m, `municipality: ${municipality}`).replace(/^id:.*$/m, `id: municipality:${municipality}/disclosure-policy`));
  return file;
}

/** The apps whose event stores a test can count. */
export type StoreName = 'roster' | 'consent' | 'disclosure' | 'receipts';

/** Rows in each app's SQL event store (`silta_events`): a write is a new row, so equal counts mean nothing was written. */
export async function eventCounts(databases: RunningSilta['databases']): Promise<Partial<Record<StoreName, number>>> {
  const counts: Partial<Record<StoreName, number>> = {};
  await Promise.all(
    (Object.entries(databases) as [StoreName, TestDatabase | undefined][]).map(async ([name, db]) => {
      if (!db) return;
      counts[name] = Number((await queryDatabase<{ n: string }>(db, 'SELECT count(*) AS n FROM silta_events'))[0]!.n);
    }),
  );
  return counts;
}

/** Runs one SQL statement on an app's database, on a connection of its own: for checking what an app stored. */
export async function queryDatabase<T extends Record<string, unknown> = Record<string, unknown>>(db: TestDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new PgClient({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs the auditors' CLI (`npm run audit -- ...`) as its own process. */
export function audit(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'audit', '--', ...args],
      { cwd: join(__dirname, '..', '..'), env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
