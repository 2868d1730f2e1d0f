// Starts the bare-NestJS baseline (bare-nest.ts) as its own process, like the Silta apps.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../test/e2e/harness';

export interface BareNest {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startBareNest(): Promise<BareNest> {
  const root = join(__dirname, '..', '..');
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'bare-nest.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`bare Nest baseline exited (${code}):\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/v1/echo`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
