import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** A TypeScript entry point run as its own node process (compiled on the fly by SWC). */
export interface TestProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has printed `ready`. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  output(): string;
}

const running = new Set<ChildProcess>();

/** Kills every test process still running; call it in afterAll so a failed test leaves none behind. */
export async function killTestProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

export function startTsProcess(entry: string, env: Record<string, string>): TestProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`${entry} exited (${code ?? signal}) before ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, ready, exited, output: () => output };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An app process started by launchApp, answering on `url`. */
export interface RunningApp {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process has printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 15 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** How to launch one app: its command line and environment, and where its /health answers. */
export interface AppLaunch {
  readonly name: string;
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly url: string;
  /** Each chunk the process prints, as it comes (besides output()): a test log, a log file. */
  readonly onOutput?: (chunk: Buffer, child: ChildProcess) => void;
}

const HEALTHY_WITHIN_MS = 90_000;
const STOP_GRACE_MS = 15_000;

/**
 * Starts an app as a child process and waits until `${url}/health` answers 2xx; throws with the
 * app's output when it exits first or is not healthy within 90 s. The one launcher of the e2e
 * harness (TypeScript through SWC) and the benchmarks (the compiled build).
 */
export async function launchApp({ name, argv, env, url, onOutput }: AppLaunch): Promise<RunningApp> {
  const [command, ...args] = argv;
  const child = spawn(command!, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    onOutput?.(chunk, child);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`${name} did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { name, url, child, output: () => output, stop: () => stopProcess(child) };
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    // Stopped already (a test stopping one app before the rest): it exited, by code or by signal.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
