// Integration and e2e tests need PostgreSQL (already running on this machine and in CI) and the
// real Kafka broker with its SASL_SSL listener. With KAFKA_BROKERS, KAFKA_SSL_CA_FILE and
// KAFKA_CREDENTIALS_DIR all set, the tests use that broker. Otherwise `kafka.sh start` reuses the
// broker on 127.0.0.1:KAFKA_PORT (9092; `npm run kafka:start`) or starts one for this run, which the
// teardown stops; the three variables it prints go into process.env for every test worker.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const script = path.join(__dirname, '..', 'deploy', 'kafka', 'kafka.sh');
const NAMES = ['KAFKA_BROKERS', 'KAFKA_SSL_CA_FILE', 'KAFKA_CREDENTIALS_DIR'];

module.exports = async () => {
  const given = NAMES.filter((name) => process.env[name]);
  if (given.length === NAMES.length) return;
  if (given.length > 0) {
    throw new Error(`${given.join(', ')} set but not ${NAMES.filter((n) => !process.env[n]).join(', ')}: set all three for another broker, or none to use deploy/kafka/kafka.sh`);
  }
  const env = { ...process.env, KAFKA_PORT: process.env.KAFKA_PORT || '9092' };
  // Idempotent: a running broker answers "already running" (after its ACL set-up is brought up to
  // date) and prints the same lines.
  const run = spawnSync('bash', [script, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  process.stderr.write(run.stderr ?? '');
  if (run.status !== 0) throw new Error(`deploy/kafka/kafka.sh start failed (${run.error ?? `exit ${run.status ?? run.signal}`}); see above`);
  const printed = Object.fromEntries(
    run.stdout
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  const missing = NAMES.filter((name) => !printed[name]);
  if (missing.length > 0) {
    throw new Error(`deploy/kafka/kafka.sh start did not print ${missing.join(', ')} (a broker without its SASL_SSL listener?); it printed:\n${run.stdout}`);
  }
  for (const name of NAMES) process.env[name] = printed[name];
  // A broker that was running, or that another process started meanwhile, is someone else's
  // ("already running"): leave it running afterwards. The teardown stops only one this run started.
  if (!/already running/.test(run.stderr ?? '')) globalThis.__SILTA_STARTED_KAFKA__ = { KAFKA_PORT: env.KAFKA_PORT };
};
