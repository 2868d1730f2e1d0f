// What every benchmark needs from the machine: the real Kafka broker, fresh PostgreSQL databases,
// and the choice between a full run and the smoke run the test suite makes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseBrokerLines } from '../../scripts/parties';

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

/** What a benchmark needs to reach the broker's SASL_SSL listener: its address, its CA, every principal's password file. */
const BROKER_VARIABLES = ['KAFKA_BROKERS', 'KAFKA_SSL_CA_FILE', 'KAFKA_CREDENTIALS_DIR'] as const;

/**
 * The broker to benchmark against: the one KAFKA_BROKERS, KAFKA_SSL_CA_FILE and
 * KAFKA_CREDENTIALS_DIR name if all three are set; else the one deploy/kafka/kafka.sh runs on
 * 127.0.0.1:KAFKA_PORT (9092), started if none is running (left running; stop it with `npm run
 * kafka:stop`). Puts the three variables into process.env (the apps and `testKafka` read them)
 * and returns the brokers.
 */
export async function ensureBroker(): Promise<string> {
  const given = BROKER_VARIABLES.filter((name) => process.env[name]);
  if (given.length === BROKER_VARIABLES.length) return process.env.KAFKA_BROKERS!;
  if (given.length > 0) {
    throw new Error(`${given.join(', ')} set but not ${BROKER_VARIABLES.filter((n) => !process.env[n]).join(', ')}: set all three for another broker, or none`);
  }
  // Idempotent: a running broker answers "already running" and prints the same lines.
  const run = spawnSync('bash', [kafkaScript, 'start'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, KAFKA_PORT: process.env.KAFKA_PORT || '9092' },
  });
  if (run.status !== 0) throw new Error(`deploy/kafka/kafka.sh start failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`);
  const printed = parseBrokerLines(run.stdout);
  if (!printed) throw new Error(`deploy/kafka/kafka.sh start did not print ${BROKER_VARIABLES.join(', ')}; it printed:\n${run.stdout}`);
  Object.assign(process.env, { KAFKA_BROKERS: printed.brokers, KAFKA_SSL_CA_FILE: printed.caFile, KAFKA_CREDENTIALS_DIR: printed.credentialsDir });
  return process.env.KAFKA_BROKERS!;
}
