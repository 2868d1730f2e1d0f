import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness';

const root = join(__dirname, '..', '..');
const ROUNDS = 5;
const APPS = ['roster', 'consent', 'disclosure', 'receipts'] as const;

/**
 * The start path a new user runs (`npm start`, i.e. scripts/start.ts), on a broker of its own that
 * is deleted before every round: each time the broker starts fresh, the apps create their topics
 * on it, every app reports ready, and Ctrl-C stops everything cleanly. Seen failing before: in 2 of
 * 3 fresh starts consent, disclosure or receipts exited with "This server does not host this
 * topic-partition". The broker gets its own ports and data directory, never the shared 9092; the
 * fetched Kafka jars in .cache/kafka are reused.
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

      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'scripts', 'start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000))]);
      if (code !== 0) throw fail(`Ctrl-C did not stop cleanly: ${code}`);
      expect(output).toMatch(/stopping the local Kafka broker/);
      expect(await answers(Number(brokerEnv.KAFKA_PORT))).toBe(false);
      start = undefined;
    }
  }, 20 * 60_000);
});

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
