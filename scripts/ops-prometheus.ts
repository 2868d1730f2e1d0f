// npm run ops:prometheus: Prometheus in the foreground, scraping the apps of `npm start` and
// evaluating Silta's alert rules (deploy/observability), its data under .cache/prometheus/data.
// The binary is Debian's (apt-get install -y prometheus), taken from PATH. Port: PROMETHEUS_PORT
// (9090). Ctrl-C or SIGTERM stops it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { portOf } from './parties';

const root = resolve(__dirname, '..');
const config = join('deploy', 'observability', 'prometheus.yml');
const dataDir = join('.cache', 'prometheus', 'data');

const say = (message: string) => console.log(`${'ops:prometheus'.padEnd(20)} | ${message}`);

function main(): void {
  const port = portOf('PROMETHEUS_PORT', 9090);
  const version = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    say(`no prometheus on PATH (${version.error?.message ?? version.stderr.trim()}); install Debian's: apt-get install -y prometheus`);
    process.exit(1);
  }
  mkdirSync(join(root, dataDir), { recursive: true });
  const child = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`], { cwd: root, stdio: 'inherit' });
  child.once('error', (error) => {
    say(`prometheus did not start: ${error.message}`);
    process.exit(1);
  });
  say(`${version.stdout.split('\n')[0]}, config ${config}, data ${dataDir}`);
  say(`UI http://127.0.0.1:${port}  (targets /targets, alerts /alerts); Grafana dashboard: deploy/observability/grafana/silta-dashboard.json`);
  say('Ctrl-C stops it.');

  // In a terminal Ctrl-C reaches Prometheus too; passing the signal on covers `kill` of this script.
  const forward = (signal: NodeJS.Signals) => () => void (child.exitCode === null && child.signalCode === null && child.kill(signal));
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // `npm run` runs this under `sh -c`; a SIGTERM sent to npm alone kills that shell without passing
  // it on, which would orphan this script. Being re-parented means exactly that.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && forward('SIGTERM')(), 1000).unref();

  child.once('exit', (code, signal) => {
    say(`prometheus stopped (${signal ?? `code ${code}`})`);
    // Stopped by a signal we asked for is a clean stop.
    process.exit(signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : (code ?? 1));
  });
}

try {
  main();
} catch (error) {
  say((error as Error).message);
  process.exit(1);
}
