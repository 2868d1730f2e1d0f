import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness';

const root = join(__dirname, '..', '..');
/**
 * Rounds in a row; FIRST_START_ROUNDS=1 runs only the last, the short local session, for a quick check.
 * Three: the failure this guards against struck 2 of 3 fresh starts, so three rounds miss it about
 * 1 time in 27, and CI keeps within its time budget (each round is a fresh broker and four apps).
 */
const ROUNDS = Number(process.env.FIRST_START_ROUNDS ?? 3);
const APPS = ['roster', 'consent', 'disclosure', 'receipts'] as const;

/**
 * The start path a new user runs (`npm start`, i.e. scripts/start.ts), on a broker of its own that
 * is deleted before every round: each time the broker starts fresh, the apps create their topics
 * on it, every app reports ready, and Ctrl-C stops everything cleanly. Seen failing before: in 2 of
 * 3 fresh starts consent, disclosure or receipts exited with "This server does not host this
 * topic-partition". The broker gets its own ports and data directory, never the shared 9092; the
 * fetched Kafka jars in .cache/kafka are reused. The last round is a short local session as the
 * README tells it: `npm start -- --demo`, the curator's first request, Ctrl-C, then
 * `npm run audit -- verify --sqlite <data>/disclosure/events.db --key "$(npm run -s audit:key -- disclosure)"`
 * must verify: the service signs a checkpoint at shutdown (issue 14).
 */
describe('a first start on a fresh broker', () => {
  let folder: string;
  let brokerEnv: Record<string, string>;
  let start: ChildProcess | undefined;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'silta-first-start-'));
    const kafkaPort = await freePort();
    brokerEnv = {
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_DATA_DIR: join(folder, 'broker'),
      // A test broker: the script's default heap (256 MB ran out while a fresh broker opened its
      // logs, 1 round in 5 under a full CI run) and only the quick JIT (it lives a minute, on two busy cores).
      KAFKA_HEAP: '-Xms256m -Xmx512m',
      KAFKA_JVM_OPTS: '-XX:TieredStopAtLevel=1',
    };
  });

  afterAll(async () => {
    if (start && start.exitCode === null && start.signalCode === null) {
      start.kill('SIGKILL');
    }
    // Whatever a failed round left running on this test's own broker port (never the shared one).
    spawnSync('bash', [join(root, 'deploy', 'kafka', 'kafka.sh'), 'stop'], { env: { ...process.env, ...brokerEnv }, stdio: 'ignore' });
    rmSync(folder, { recursive: true, force: true });
  });

  it(`comes up ready every time, ${ROUNDS} rounds in a row`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      rmSync(brokerEnv.KAFKA_DATA_DIR!, { recursive: true, force: true });
      const dataDir = join(folder, `apps-${round}`);
      const ports = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await freePort()] as const))) as Record<(typeof APPS)[number], number>;
      const env: NodeJS.ProcessEnv = { ...process.env, ...brokerEnv, DATA_DIR: dataDir, SWC_NODE_PROJECT: join(root, 'tsconfig.json') };
      // Nothing of the test run's own settings: the start path finds or starts its broker (and
      // takes its CA and credentials), and generates its secrets and SQLite stores under DATA_DIR,
      // as on a new user's machine.
      const testBroker = ['KAFKA_BROKERS', 'KAFKA_GROUP_SUFFIX', 'KAFKA_SSL_CA_FILE', 'KAFKA_CREDENTIALS_DIR', 'KAFKA_USERNAME', 'KAFKA_PASSWORD', 'KAFKA_PASSWORD_FILE', 'KAFKA_SASL_MECHANISM'];
      for (const name of Object.keys(env)) {
        if (testBroker.includes(name) || name.endsWith('DATABASE_URL') || name.startsWith('EVENTSTORE_')) delete env[name];
        if (name.endsWith('_SECRET') || name.endsWith('SIGNING_KEY') || name.startsWith('PEER_AUDIT_') || name === 'ROSTER_URL' || name === 'PORT') delete env[name];
      }
      for (const app of APPS) env[`${app.toUpperCase()}_PORT`] = String(ports[app]);
      // The three local identity providers npm start runs too, off their default ports 3010-3012.
      for (const issuer of ['MUNICIPALITY', 'WELFARE_AREA', 'CITIZEN']) env[`${issuer}_ISSUER_PORT`] = String(await freePort());

      const session = round === ROUNDS;
      const args = session ? ['--demo'] : [];
      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'scripts', 'start.ts'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      start = child;
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
      const fail = (why: string) => new Error(`round ${round}: ${why}\n${output.split('\n').slice(-80).join('\n')}`);

      // The broker starts (~25 s), then the four apps; each must end up ready, and none may exit.
      const deadline = Date.now() + 240_000;
      const ready = new Set<string>();
      while (ready.size < APPS.length) {
        if (child.exitCode !== null) throw fail(`npm start exited with ${child.exitCode} before every app was ready`);
        if (Date.now() > deadline) throw fail(`not ready: ${APPS.filter((a) => !ready.has(a)).join(', ')}`);
        for (const app of APPS.filter((a) => !ready.has(a))) {
          const status = await fetch(`http://127.0.0.1:${ports[app]}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
          if (status === 200) ready.add(app);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(output).not.toMatch(/does not host this topic-partition[\s\S]*exited/);
      if (session) await curatorsFirstRequest(env, ports.disclosure, () => output, fail);

      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000))]);
      if (code !== 0) throw fail(`Ctrl-C did not stop cleanly: ${code}`);
      expect(output).toMatch(/stopping the local Kafka broker/);
      expect(await answers(Number(brokerEnv.KAFKA_PORT))).toBe(false);
      start = undefined;
      if (session) {
        const key = npm(['run', '-s', 'audit:key', '--', 'disclosure'], env).stdout.trim();
        const verified = npm(['run', '-s', 'audit', '--', 'verify', '--sqlite', join(dataDir, 'disclosure', 'events.db'), '--key', key], env);
        expect({ code: verified.status, stderr: verified.stderr }).toMatchObject({ code: 0 });
        // Every leaf is under a checkpoint: the last one was signed as the service stopped.
        expect(verified.stdout).toMatch(/^ok: [1-9]\d* leaves match their recorded hashes; [1-9]\d* checkpoints signed by silta\.disclosure\/local/);
        expect(verified.stdout).not.toMatch(/not yet under a checkpoint/);
      }
    }
  }, 20 * 60_000);
});

/** The demo loaded, the curator asks for Aino's identification data, as the demo's instructions show. */
async function curatorsFirstRequest(env: NodeJS.ProcessEnv, port: number, output: () => string, fail: (why: string) => Error): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!output().includes('Demo loaded.')) {
    if (Date.now() > deadline) throw fail('the demo did not load');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const token = npm(['run', '-s', 'token', '--', '--issuer', 'welfare-area', '--role', 'curator', '--sub', 'curator-demo-1', '--org', 'welfare-area:demo'], env).stdout.trim();
  // The view catches up with the demo's roster over Kafka: ask (a new request each time) until permitted.
  for (let attempt = 1; ; attempt++) {
    const body = { requestId: `demo-request-${attempt}`, studentId: 'student-demo-1', categories: ['identification'], basis: 'identification', purpose: 'first meeting' };
    const response = await fetch(`http://127.0.0.1:${port}/v1/disclosures`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json()) as { outcome?: string };
    if (response.ok && answer.outcome === 'permit') return;
    if (Date.now() > deadline) throw fail(`the curator's request answered ${response.status} ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function npm(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npm', args, { cwd: root, env, encoding: 'utf8' });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
