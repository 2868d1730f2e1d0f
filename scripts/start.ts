// npm start [-- --demo | --issuers-only]: the local broker (SASL_SSL, one SCRAM principal per service), three local
// identity providers (the municipality's staff, the welfare area's staff, citizens), then the
// municipality's roster, consent and disclosure and the welfare area's receipts as four processes
// with SQLite under ./data (or the databases the environment names); disclosure and receipts
// witness each other's logs. Fifth, the web app (apps/web): its browser bundle built first, then
// its server, registered with each issuer as the client `silta-web`. Each process gets an environment of its own with only its party's
// secrets (scripts/parties.ts); each party's apps trust the issuers its trust file names.
// Ctrl-C or SIGTERM stops everything, and the broker if this script started it. Ports: ROSTER_PORT,
// CONSENT_PORT, DISCLOSURE_PORT, RECEIPTS_PORT, MUNICIPALITY_ISSUER_PORT, WELFARE_AREA_ISSUER_PORT,
// CITIZEN_ISSUER_PORT, WEB_PORT (WEB_PUBLIC_URL if browsers reach it elsewhere); the broker: KAFKA_PORT, KAFKA_DATA_DIR, KAFKA_HEAP (read by deploy/kafka/kafka.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { dump } from 'js-yaml';
import { buildClient } from '../apps/web/build';
import { loadDemo } from './demo';
import { issuerUrl, LOCAL_ISSUERS, trustFileFor, type Party } from './local-issuers';
import { loadLocalSecrets, localSecretsFile } from './local-secrets';
import { APPS, parseBrokerLines, portOf, processEnvironments, type AppName, type PartyInputs, type ProcessName } from './parties';

const root = resolve(__dirname, '..');
const kafkaScript = join(root, 'deploy', 'kafka', 'kafka.sh');
const APP_DEFAULTS: Record<AppName, { port: number; color: number }> = {
  roster: { port: 3001, color: 36 },
  consent: { port: 3002, color: 35 },
  disclosure: { port: 3003, color: 33 },
  receipts: { port: 3004, color: 32 },
};
const SERVICES = APPS.map((name) => ({ name, port: portOf(`${name.toUpperCase()}_PORT`, APP_DEFAULTS[name].port), color: APP_DEFAULTS[name].color }));
const PORTS = Object.fromEntries(SERVICES.map(({ name, port }) => [name, port])) as Record<AppName, number>;
const ISSUERS = LOCAL_ISSUERS.map((spec) => ({ spec, process: `${spec.name}-issuer` as ProcessName, url: issuerUrl(spec, process.env) }));
const WEB_PORT = portOf('WEB_PORT', 3000);
/** Where browsers open the web app; also its redirect URI's origin at each issuer. */
const WEB_URL = (process.env.WEB_PUBLIC_URL || `http://127.0.0.1:${WEB_PORT}`).replace(/\/+$/, '');
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

interface Child {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

const children: Child[] = [];
let brokerStart: Promise<unknown> | undefined; // set when this script starts the broker, so it stops it
let stopping: Promise<never> | undefined;

const say = (message: string) => console.log(`${'start'.padEnd(20)} | ${message}`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean', default: false }, 'issuers-only': { type: 'boolean', default: false } } });
  process.on('SIGINT', () => void stop(0, 'SIGINT received'));
  process.on('SIGTERM', () => void stop(0, 'SIGTERM received'));
  // `npm start` runs this under `sh -c`; a SIGTERM sent to npm alone kills that shell without
  // passing it on, which would orphan this script. Being re-parented means exactly that.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(0, 'parent process exited'), 1000).unref();

  const dataDir = resolve(process.env.DATA_DIR || join(root, 'data'));
  const secrets = loadLocalSecrets({ ...process.env, DATA_DIR: dataDir });
  // The bundle lives under the data dir, not dist/: `npm run build` empties dist/ and would take it from a running stack.
  const web = { port: WEB_PORT, publicUrl: WEB_URL, publicDir: join(dataDir, 'web', 'public') };
  for (const note of secrets.notes) say(note);
  if (values['issuers-only']) {
    // For apps run elsewhere (docker compose, whose starter trust files hold these issuers' public keys).
    const environments = processEnvironments({ root, dataDir, userEnv: process.env, ports: PORTS, broker: { brokers: '', caFile: '', credentialsDir: '' }, secrets, web, databases: { roster: undefined, consent: undefined, disclosure: undefined, receipts: undefined }, trustFiles: { municipality: '', 'welfare-area': '' } });
    await startIssuers(environments);
    for (const { spec, url } of ISSUERS) say(`${spec.name.padEnd(13)} ${url}   ${spec.description}; roles ${spec.roles.join(', ')}`);
    return say('the local issuers are running (npm run token -- --issuer <name> ...); Ctrl-C stops them.');
  }
  const databases = databaseUrls();
  const trustFiles = writeTrustFiles(dataDir);
  const broker = await ensureBroker();
  if (stopping) return; // stopped while the broker was starting

  const inputs: PartyInputs = { root, dataDir, userEnv: process.env, ports: PORTS, broker, secrets, databases, trustFiles, web };
  const environments = processEnvironments(inputs);
  // The issuers first: the apps fetch their keys when the first token arrives.
  await startIssuers(environments);
  // Their stdout is a pipe to this script, so they would log JSON: readable lines unless LOG_FORMAT says otherwise.
  for (const { name, color } of SERVICES) run(name, join(root, 'apps', name, 'src', 'main.ts'), { LOG_FORMAT: 'pretty', ...environments[name] }, color);

  await startWeb(environments.web, web.publicDir);
  await Promise.all(SERVICES.map(({ name, port }) => waitFor(name, `http://127.0.0.1:${port}/health`)));
  await waitFor('web', `http://127.0.0.1:${WEB_PORT}/health`);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const lines = [
    '',
    `  Open Silta in a browser: ${WEB_URL}`,
    '',
    'Silta is running:',
    `  the web app ${WEB_URL}   sign in through the local issuers below (client silta-web)`,
    "  the municipality's apps (trust file " + shown(trustFiles.municipality) + '):',
    ...SERVICES.filter(({ name }) => name !== 'receipts').map(({ name, port }) => `    ${name.padEnd(11)} ${url(port)}   OpenAPI ${url(port)}/openapi.json`),
    "  the welfare area's app (trust file " + shown(trustFiles['welfare-area']) + '):',
    ...SERVICES.filter(({ name }) => name === 'receipts').map(({ name, port }) => `    ${name.padEnd(11)} ${url(port)}   OpenAPI ${url(port)}/openapi.json`),
    '  identity providers (local stand-ins; discovery at <issuer>/.well-known/openid-configuration):',
    ...ISSUERS.map(({ spec, url }) => `    ${spec.name.padEnd(13)} ${url}   ${spec.description}`),
    `  Kafka       ${broker.brokers} over SASL_SSL${brokerStart ? ' (started here, stopped on exit)' : ''}`,
    `  storage     ${storageSummary(dataDir, databases)}`,
    `  secrets     ${shown(localSecretsFile({ DATA_DIR: dataDir }))}; each process gets only its own party's`,
    '',
    'Get a token from the issuer that signs it:',
    '  npm run token -- --issuer municipality --role school_admin --sub admin-demo-1 --org municipality:demo',
    '  npm run token -- --issuer welfare-area --role curator --sub curator-demo-1 --org welfare-area:demo',
    '  npm run token -- --issuer citizen --role guardian --sub guardian-demo-1',
    ...ISSUERS.map(({ spec }) => `  ${spec.name} roles: ${spec.roles.join(', ')}`),
    values.demo ? 'Loading the synthetic demo now.' : 'Load a small synthetic demo (school, students, guardian, curator, nurse): npm run demo:load',
    'Ctrl-C stops everything.',
  ];
  for (const line of lines) say(line);
  void reportReadiness();
  if (values.demo) {
    await loadDemo({ log: say, env: process.env, rosterUrl: url(PORTS.roster) }).catch((error: Error) => say(`demo not loaded: ${error.message} (the apps keep running)`));
  }
}

/**
 * Builds the browser bundle (apps/web/build.ts, esbuild, about a second), then runs the web server
 * with only its own environment: its session key, the issuers' and the apps' URLs, no party's keys.
 */
async function startWeb(env: Record<string, string>, publicDir: string): Promise<void> {
  say(`building the web app's browser bundle into ${shown(publicDir)} (apps/web/build.ts)`);
  try {
    await buildClient(publicDir);
  } catch (error) {
    await stop(1, `the web app's bundle did not build: ${(error as Error).message}`);
  }
  run('web', join(root, 'apps', 'web', 'src', 'main.ts'), { LOG_FORMAT: 'pretty', ...env }, 96);
}

async function startIssuers(environments: Record<ProcessName, Record<string, string>>): Promise<void> {
  for (const { process: name } of ISSUERS) run(name, join(root, 'scripts', 'local-issuer.ts'), environments[name], 34);
  await Promise.all(ISSUERS.map(({ process: name, url }) => waitFor(name, `${url}/.well-known/openid-configuration`)));
}

/** Spawns one process with exactly the environment given, its output prefixed with its name. */
function run(name: string, script: string, env: Record<string, string>, color: number): void {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const label = process.stdout.isTTY ? `\x1b[${color}m${name.padEnd(20)}\x1b[0m` : name.padEnd(20);
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`${label} | ${line}`));
  }
  const exited = new Promise<void>((done) => child.once('close', () => done())); // after its output is drained
  child.once('exit', (code, signal) => void stop(1, `${name} exited (${signal ?? `code ${code}`}); stopping everything`));
  children.push({ name, child, exited });
}

/** Each party's trust file under the data dir, rewritten on every start (the ports may have moved). */
function writeTrustFiles(dataDir: string): Record<Party, string> {
  const folder = join(dataDir, 'trust');
  mkdirSync(folder, { recursive: true });
  const files = { municipality: join(folder, 'municipality.yaml'), 'welfare-area': join(folder, 'welfare-area.yaml') };
  for (const party of Object.keys(files) as Party[]) {
    const header = `# Written by npm start on every start: the issuers ${party === 'municipality' ? "the municipality's apps" : "the welfare area's receipts"} accept.\n`;
    writeFileSync(files[party], header + dump(trustFileFor(party, process.env), { lineWidth: 200 }));
  }
  return files;
}

/** Each service's DATABASE_URL: <SERVICE>_DATABASE_URL, else DATABASE_URL, else none (SQLite). */
function databaseUrls(): Record<AppName, string | undefined> {
  const urls = Object.fromEntries(SERVICES.map(({ name }) => [name, process.env[`${name.toUpperCase()}_DATABASE_URL`] || process.env.DATABASE_URL || undefined])) as Record<AppName, string | undefined>;
  const given = Object.values(urls).filter((url): url is string => Boolean(url));
  if (new Set(given).size < given.length) {
    // A shared database would mean one event log and one processed-events table for all of them.
    throw new Error('two services would share one database; set ROSTER_DATABASE_URL, CONSENT_DATABASE_URL, DISCLOSURE_DATABASE_URL and RECEIPTS_DATABASE_URL to separate databases');
  }
  return urls;
}

function storageSummary(dataDir: string, databases: Record<AppName, string | undefined>): string {
  const events = process.env.EVENTSTORE_CONNECTION_STRING ? `municipality's events in ${redact(process.env.EVENTSTORE_CONNECTION_STRING)}, ` : '';
  const perService = SERVICES.map(({ name }) => `${name}: ${databases[name] ? redact(databases[name]) : `SQLite in ${shown(join(dataDir, name))}`}`);
  return `${events}${perService.join('; ')}`;
}

/** A path relative to the repository when it lies inside it. */
const shown = (path: string) => (relative(root, path).startsWith('..') ? path : relative(root, path));
const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/**
 * KAFKA_BROKERS with KAFKA_SSL_CA_FILE and KAFKA_CREDENTIALS_DIR if set; else the local broker
 * through `kafka.sh start`, which starts it unless it already runs, and answers where it is, its
 * CA, and the folder of the principals' password files. One this script started is stopped on exit.
 */
async function ensureBroker(): Promise<PartyInputs['broker']> {
  if (process.env.KAFKA_BROKERS) {
    const given = parseBrokerLines(['KAFKA_BROKERS', 'KAFKA_SSL_CA_FILE', 'KAFKA_CREDENTIALS_DIR'].map((name) => `${name}=${process.env[name] ?? ''}`).join('\n'));
    if (!given) return stop(1, 'KAFKA_BROKERS is set: set KAFKA_SSL_CA_FILE (the broker CA) and KAFKA_CREDENTIALS_DIR (its <service>.password files) too');
    return given;
  }
  const running = await answers(`127.0.0.1:${process.env.KAFKA_PORT || 9092}`);
  say(running ? 'asking the local Kafka broker that already runs for its settings (left running on exit)' : 'starting the local Kafka broker (deploy/kafka/kafka.sh start)');
  const start = spawn('bash', [kafkaScript, 'start'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  start.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise((done) => start.once('exit', done));
  if (!running) brokerStart = exited;
  const code = await exited;
  const broker = parseBrokerLines(out);
  if (code !== 0 || !broker) return stop(1, `the local Kafka broker did not start (exit ${code}${code === 0 ? '; kafka.sh printed no KAFKA_BROKERS, KAFKA_SSL_CA_FILE and KAFKA_CREDENTIALS_DIR' : ''}); see above`);
  return broker;
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

async function waitFor(name: string, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  await stop(1, `${name} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s`);
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

/** Stops the apps and issuers (SIGTERM, then SIGKILL after 10 s), then the broker if started here, and exits. */
function stop(code: number, reason: string): Promise<never> {
  stopping ??= (async () => {
    say(reason);
    await Promise.all(children.map(stopChild));
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

async function stopChild({ name, child, exited }: Child): Promise<void> {
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
