// Starts the bare-NestJS baseline (bare-nest.ts) as its own process, like the Silta apps.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { freePort, launchApp } from '@silta/testing';
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
  const app = await launchApp({
    name: 'bare Nest baseline',
    argv: [process.execPath, ...args],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SWC_NODE_PROJECT: join(root, 'tsconfig.json') },
    url: `http://127.0.0.1:${port}`,
  });
  return { url: `${app.url}/v1/echo`, pid: app.child.pid!, stop: () => app.stop() };
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
