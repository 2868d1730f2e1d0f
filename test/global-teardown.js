const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  if (!globalThis.__SILTA_STARTED_KAFKA__) return;
  execFileSync('bash', [path.join(__dirname, '..', 'deploy', 'kafka', 'kafka.sh'), 'stop'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, KAFKA_PORT: '9092' },
  });
};
