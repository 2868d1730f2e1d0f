// npm start [-- --demo]: the local broker (unless KAFKA_BROKERS is set), then the municipality's
// roster, consent and disclosure and the welfare area's receipts as four processes with SQLite under
// ./data (or the databases the environment names); disclosure and receipts witness each other's logs.
// Ctrl-C or SIGTERM stops the apps, then the broker if this script started it. Ports: ROSTER_PORT,
// CONSENT_PORT, DISCLOSURE_PORT, RECEIPTS_PORT; the broker: KAFKA_PORT, KAFKA_DATA_DIR, KAFKA_HEAP
// (read by deploy/kafka/kafka.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROLES } from '@silta/platform/auth/principal';
import { loadDemo } from './demo';
import { verifierKeyOf } from '@silta/transparency';
import { loadLocalAuditSigningKeys, loadLocalSecrets, localSecretsFile } from './local-secrets';

const root = resolve(__dirname, '..');
const kafkaScript = join(root, 'deploy', 'kafka', 'kafka.sh');
const SERVICES = [
  { name: 'roster', port: portOf('ROSTER_PORT', 3001), color: 36 },
  { name: 'consent', port: portOf('CONSENT_PORT', 3002), color: 35 },
  { name: 'disclosure', port: portOf('DISCLOSURE_PORT', 3003), color: 33 },
  { name: 'receipts', port: portOf('RECEIPTS_PORT', 3004), color: 32 },
] as const;
const PORTS = Object.fromEntries(SERVICES.map(({ name, port }) => [name, port])) as Record<(typeof SERVICES)[number]['name'], number>;
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

interface App {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

const apps: App[] = [];
let brokerStart: Promise<unknown> | undefined; // set when this script starts the broker, so it stops it
let stopping: Promise<never> | undefined;

const say = (message: string) => console.log(`${'start'.padEnd(10)} | ${message}`);

/** A port from the environment, or the default; anything else stops the start with the variable's name. */
function portOf(variable: string, fallback: number): number {
  const value = process.env[variable];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number (1-65535), got ${JSON.stringify(value)}`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
  process.on('SIGINT', () => void stop(0, 'SIGINT received'));
  process.on('SIGTERM', () => void stop(0, 'SIGTERM received'));
  // `npm start` runs this under `sh -c`; a SIGTERM sent to npm alone kills that shell without
  // passing it on, which would orphan this script. Being re-parented means exactly that.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(0, 'parent process exited'), 1000).unref();

  const dataDir = resolve(process.env.DATA_DIR || join(root, 'data'));
  const secrets = loadLocalSecrets({ ...process.env, DATA_DIR: dataDir });
  const auditKeys = loadLocalAuditSigningKeys({ ...process.env, DATA_DIR: dataDir });
  const partyEnv = partyEnvironment(auditKeys);
  const databases = databaseUrls();
  const brokers = await ensureBroker();
  if (stopping) return; // stopped while the broker was starting

  for (const { name, port, color } of SERVICES) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      PORT: String(port),
      DATA_DIR: dataDir,
      KAFKA_BROKERS: brokers,
      ...secrets,
      DATABASE_URL: databases[name],
      ...partyEnv[name],
    };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps', name, 'src', 'main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const label = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(10)}\x1b[0m` : name.padEnd(10);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => console.log(`${label} | ${line}`));
    }
    const exited = new Promise<void>((done) => child.once('close', () => done())); // after its output is drained
    child.once('exit', (code, signal) => void stop(1, `${name} exited (${signal ?? `code ${code}`}); stopping everything`));
    apps.push({ name, child, exited });
  }

  await Promise.all(SERVICES.map(({ name, port }) => waitForHealth(name, port)));
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const lines = [
    'Silta is running:',
    ...SERVICES.map(({ name, port }) => `  ${name.padEnd(11)} ${url(port)}   OpenAPI ${url(port)}/openapi.json`),
    `  Kafka       ${brokers}${brokerStart ? ' (started here, stopped on exit)' : ''}`,
    `  storage     ${storageSummary(dataDir, databases)}`,
    '',
    `Tokens are signed with the local JWT_SECRET (${shown(localSecretsFile({ DATA_DIR: dataDir }))} unless set in the environment):`,
    '  npm run token -- --role school_admin --sub admin-demo-1 --org municipality:demo',
    '  npm run token -- --role curator --sub curator-demo-1 --org welfare-area:demo',
    `  roles: ${ROLES.filter((role) => role !== 'service').join(', ')}`,
    values.demo ? 'Loading the synthetic demo now.' : 'Load a small synthetic demo (school, students, guardian, curator, nurse): npm run demo:load',
    'Ctrl-C stops everything.',
  ];
  for (const line of lines) say(line);
  void reportReadiness();
  if (values.demo) {
    await loadDemo({ log: say, env: { ...process.env, DATA_DIR: dataDir } }).catch((error: Error) => say(`demo not loaded: ${error.message} (the apps keep running)`));
  }
}

/**
 * What each app gets beyond the shared settings: disclosure reaches roster; disclosure (the
 * municipality's log) and receipts (the welfare area's) each sign with their own key and witness
 * the other. AUDIT_SIGNING_KEY in the environment is disclosure's, never passed to the others.
 */
function partyEnvironment(keys: { disclosure: string; receipts: string }): Record<(typeof SERVICES)[number]['name'], NodeJS.ProcessEnv> {
  const none = { AUDIT_SIGNING_KEY: undefined, PEER_AUDIT_KEY: undefined, PEER_AUDIT_URL: undefined, PEER_AUDIT_ORIGIN: undefined };
  return {
    roster: none,
    consent: none,
    disclosure: {
      ROSTER_URL: process.env.ROSTER_URL || `http://127.0.0.1:${PORTS.roster}`,
      AUDIT_SIGNING_KEY: keys.disclosure,
      PEER_AUDIT_KEY: verifierKeyOf(keys.receipts),
      PEER_AUDIT_URL: `http://127.0.0.1:${PORTS.receipts}`,
      PEER_AUDIT_ORIGIN: process.env.RECEIPTS_AUDIT_ORIGIN || 'silta.receipts/local',
    },
    receipts: {
      AUDIT_SIGNING_KEY: keys.receipts,
      AUDIT_ORIGIN: process.env.RECEIPTS_AUDIT_ORIGIN || 'silta.receipts/local',
      PEER_AUDIT_KEY: verifierKeyOf(keys.disclosure),
      PEER_AUDIT_URL: `http://127.0.0.1:${PORTS.disclosure}`,
      PEER_AUDIT_ORIGIN: process.env.AUDIT_ORIGIN || 'silta.disclosure/local',
    },
  };
}

/** Each service's DATABASE_URL: <SERVICE>_DATABASE_URL, else DATABASE_URL, else none (SQLite). */
function databaseUrls(): Record<string, string | undefined> {
  const urls = Object.fromEntries(SERVICES.map(({ name }) => [name, process.env[`${name.toUpperCase()}_DATABASE_URL`] || process.env.DATABASE_URL || undefined]));
  const given = Object.values(urls).filter((url): url is string => Boolean(url));
  if (new Set(given).size < given.length) {
    // A shared database would mean one event log and one processed-events table for all three.
    throw new Error('two services would share one database; set ROSTER_DATABASE_URL, CONSENT_DATABASE_URL, DISCLOSURE_DATABASE_URL and RECEIPTS_DATABASE_URL to separate databases');
  }
  return urls;
}

function storageSummary(dataDir: string, databases: Record<string, string | undefined>): string {
  const events = process.env.EVENTSTORE_CONNECTION_STRING ? `events in ${redact(process.env.EVENTSTORE_CONNECTION_STRING)}, ` : '';
  const perService = SERVICES.map(({ name }) => `${name}: ${databases[name] ? redact(databases[name]) : `SQLite in ${shown(join(dataDir, name))}`}`);
  return `${events}${perService.join('; ')}`;
}

/** A path relative to the repository when it lies inside it. */
const shown = (path: string) => (relative(root, path).startsWith('..') ? path : relative(root, path));
const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/** KAFKA_BROKERS if set; else a broker already answering locally; else one started here. */
async function ensureBroker(): Promise<string> {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const local = `127.0.0.1:${process.env.KAFKA_PORT || 9092}`;
  if (await answers(local)) {
    say(`using the Kafka broker already running on ${local} (left running on exit)`);
    return local;
  }
  say('starting the local Kafka broker (deploy/kafka/kafka.sh start)');
  const run = spawn('bash', [kafkaScript, 'start'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  run.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  brokerStart = new Promise((done) => run.once('exit', done));
  const code = await brokerStart;
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(out)?.[1];
  if (code !== 0 || !brokers) return stop(1, `the local Kafka broker did not start (exit ${code}); see above`);
  return brokers;
}

function answers(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((done) => {
    const socket = connect({ host, port: Number(port), timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
    socket.once('timeout', () => (socket.destroy(), done(false)));
  });
}

async function waitForHealth(name: string, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  await stop(1, `${name} did not answer /health within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * The apps serve HTTP before Kafka is there; says once all of them report ready (consumers joined,
 * relays connected), or after READY_TIMEOUT_MS what still is not. The apps keep retrying either way.
 */
async function reportReadiness(): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const waiting = new Map<string, string>(SERVICES.map(({ name }) => [name, 'no answer yet']));
  while (waiting.size > 0 && Date.now() < deadline && !stopping) {
    for (const { name, port } of SERVICES.filter(({ name }) => waiting.has(name))) {
      const answer = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
        async (r) => ({ ok: r.ok, detail: ((await r.json()) as { detail?: string }).detail }),
        (error: Error) => ({ ok: false, detail: error.message }),
      );
      if (answer.ok) waiting.delete(name);
      else waiting.set(name, answer.detail ?? 'not ready');
    }
    if (waiting.size > 0) await new Promise((done) => setTimeout(done, 500));
  }
  if (stopping) return;
  if (waiting.size === 0) say('all apps are ready (GET /health/ready: consumers joined, relays connected)');
  else for (const [name, detail] of waiting) say(`${name} is not ready after ${READY_TIMEOUT_MS / 1000} s (it keeps retrying): ${detail}`);
}

/** Stops the apps (SIGTERM, then SIGKILL after 10 s), then the broker if started here, and exits. */
function stop(code: number, reason: string): Promise<never> {
  stopping ??= (async () => {
    say(reason);
    await Promise.all(apps.map(stopApp));
    if (brokerStart) {
      await brokerStart; // a broker still starting is stopped once it is up
      say('stopping the local Kafka broker');
      await new Promise((done) => spawn('bash', [kafkaScript, 'stop'], { cwd: root, stdio: 'inherit' }).once('exit', done));
    }
    say(code === 0 ? 'stopped' : 'stopped after a failure');
    process.exit(code);
  })();
  return stopping;
}

async function stopApp({ name, child, exited }: App): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    say(`${name} still running after ${STOP_GRACE_MS / 1000} s; SIGKILL`);
    child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

main().catch((error: Error) => void stop(1, `start failed: ${error.message}`));
