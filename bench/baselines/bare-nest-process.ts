// Starts the bare-NestJS baseline (bare-nest.ts) as its own process, like the Silta apps.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { freePort } from '../../test/e2e/harness';
import { APP_V8_FLAGS, runsFromSource } from '../lib/stack';

export interface BareNest {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startBareNest(): Promise<BareNest> {
  const root = join(__dirname, '..', '..');
  const port = await freePort();
  // Started the way the apps are (see lib/stack.ts): compiled JS, or TypeScript through SWC.
  const args = runsFromSource() ? ['-r', '@swc-node/register', join(__dirname, 'bare-nest.ts')] : [...APP_V8_FLAGS, compiled(root)];
  const child = spawn(process.execPath, args, {
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

/** bare-nest.ts compiled as `npm run build` compiles the apps (tsc, decorator metadata), under dist/. */
function compiled(root: string): string {
  const out = join(root, 'dist', 'bench', 'baselines', 'bare-nest.js');
  const { outputText } = ts.transpileModule(readFileSync(join(__dirname, 'bare-nest.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, outputText);
  return out;
}
