// What every benchmark needs from the machine: the real Kafka broker, fresh PostgreSQL databases,
// and the choice between a full run and the smoke run the test suite makes.
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

const kafkaScript = join(__dirname, '..', '..', 'deploy', 'kafka', 'kafka.sh');

/**
 * `BENCH_QUICK=1` (set by the smoke tests) shrinks every size and run count so a benchmark proves
 * it still works in seconds; its figures mean nothing and are written under BENCH_RESULTS_DIR.
 */
export function isQuick(): boolean {
  return process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
}

/** Full-run value or smoke-run value. */
export function sized<T>(full: T, quick: T): T {
  return isQuick() ? quick : full;
}

/**
 * The broker to benchmark against: KAFKA_BROKERS if set, else a broker already on
 * 127.0.0.1:KAFKA_PORT (9092), else one started with deploy/kafka/kafka.sh (left running; stop it
 * with `npm run kafka:stop`).
 */
export async function ensureBroker(): Promise<string> {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const port = process.env.KAFKA_PORT ?? '9092';
  const brokers = `127.0.0.1:${port}`;
  if (!(await answers('127.0.0.1', Number(port)))) {
    execFileSync('bash', [kafkaScript, 'start'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KAFKA_PORT: port } });
  }
  process.env.KAFKA_BROKERS = brokers;
  return brokers;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
