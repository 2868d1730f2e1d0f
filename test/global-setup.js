// Integration tests need PostgreSQL (already running on this machine and in CI) and a real Kafka
// broker. Use KAFKA_BROKERS if given; otherwise reuse a broker on 127.0.0.1:9092 (npm run
// kafka:start) or start one for this run and stop it afterwards.
const { execFileSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const script = path.join(__dirname, '..', 'deploy', 'kafka', 'kafka.sh');

function answers(hostPort) {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

module.exports = async () => {
  if (process.env.KAFKA_BROKERS) return;
  const local = '127.0.0.1:9092';
  process.env.KAFKA_BROKERS = local;
  if (await answers(local)) return;
  execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KAFKA_PORT: '9092' } });
  globalThis.__SILTA_STARTED_KAFKA__ = true;
};
