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
  const kafka = (command) => spawnSync('bash', [script, command], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  // `status` exits 3 when no broker answers; `start` is idempotent, but asking first tells whose broker it is.
  const status = kafka('status');
  if (status.status !== 0 && status.status !== 3) process.stderr.write(status.stderr ?? '');
  const running = status.status === 0;
  const run = running ? status : kafka('start');
  if (!running) process.stderr.write(run.stderr ?? '');
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
  // A broker that was running, or that another process started meanwhile ("already running"), is
  // someone else's: leave it running afterwards. Only one this run started is stopped by the teardown.
  if (!running && !/already running|is starting/.test(run.stderr ?? '')) globalThis.__SILTA_STARTED_KAFKA__ = { KAFKA_PORT: env.KAFKA_PORT };
};
