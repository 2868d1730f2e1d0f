const { execFileSync } = require('node:child_process');
const path = require('node:path');

// Stops the broker only if the global setup started it for this run (on the port it used).
module.exports = async () => {
  const started = globalThis.__SILTA_STARTED_KAFKA__;
  if (!started) return;
  execFileSync('bash', [path.join(__dirname, '..', 'deploy', 'kafka', 'kafka.sh'), 'stop'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, KAFKA_PORT: started.KAFKA_PORT },
  });
};
