import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@silta/testing';

/**
 * A PostgreSQL server of the fault test's own (the machine's binaries, a fresh cluster in a
 * temporary folder, trust auth on 127.0.0.1 and a free port), so a test can restart it, even
 * crash it, without touching the PostgreSQL every other test uses. As root (CI, this machine) the
 * server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export interface PrivatePostgres {
  /** The admin URL, for createTestDatabase. */
  readonly adminUrl: string;
  /** `pg_ctl stop -m immediate`: every backend is killed at once, as in a crash (the next start recovers from the WAL). */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'silta-fault-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const command = (tool: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args]);
  const run = (tool: string, args: string[]) => execFileSync(...command(tool, args), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  // Asynchronous, so the load goes on while the server stops and starts.
  const runAsync = async (tool: string, args: string[]) => void (await promisify(execFile)(...command(tool, args), { cwd: dir }));
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  // Few connections are needed; fsync stays on (a crash must be survived as in production).
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=100 -c shared_buffers=32MB`;
  const ctlArgs = (...args: string[]) => ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', ...args];
  run('pg_ctl', ctlArgs('start'));
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: () => runAsync('pg_ctl', ctlArgs('stop', '-m', 'immediate')),
    start: () => runAsync('pg_ctl', ctlArgs('start')),
    stop: () => {
      try {
        run('pg_ctl', ctlArgs('stop', '-m', 'immediate'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}: install the postgresql package`);
  return join(root, majors[0]!, 'bin');
}

const uidOf = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());
