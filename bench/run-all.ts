// npm run bench: every benchmark as its own child process, in sequence, then the report.
// A benchmark whose script is not there yet is skipped with a message; one that fails does not
// stop the others, but the run exits non-zero and names it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBroker } from './lib/infra';

export const BENCHMARKS = ['decisions', 'withdrawal', 'memory', 'relay', 'verify', 'audit-v2', 'scale-out'] as const;

function runScript(file: string): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', file, ...process.argv.slice(2)], {
      cwd: join(__dirname, '..'),
      env: process.env,
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 }));
  });
}

async function main(): Promise<void> {
  // Resolve the broker once, so every child uses (and at most one run starts) the same one.
  await ensureBroker();
  const failed: string[] = [];
  const timings: string[] = [];
  // BENCH_ONLY=decisions,verify: only these (the others keep their last results in the report).
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(BENCHMARKS as readonly string[]).includes(name)) ?? [];
  if (unknown.length) throw new Error(`BENCH_ONLY names no benchmark: ${unknown.join(', ')} (known: ${BENCHMARKS.join(', ')})`);
  for (const name of BENCHMARKS.filter((b) => !only || only.includes(b))) {
    const file = join(__dirname, `${name}.ts`);
    if (!existsSync(file)) {
      console.log(`[bench] skipping ${name}: bench/${name}.ts does not exist yet`);
      continue;
    }
    console.log(`[bench] ${name}`);
    const { code, seconds } = await runScript(file);
    timings.push(`${name} ${seconds.toFixed(0)} s`);
    if (code !== 0) failed.push(name);
  }
  const report = await runScript(join(__dirname, 'report.ts'));
  if (report.code !== 0) failed.push('report');
  console.log(`[bench] took ${timings.join(', ')}`);
  if (failed.length) {
    console.error(`[bench] failed: ${failed.join(', ')}`);
    process.exit(1);
  }
}

main().catch((error: Error) => {
  console.error(`[bench] ${error.message}`);
  process.exit(1);
});
