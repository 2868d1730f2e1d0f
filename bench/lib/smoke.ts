// For the smoke tests (test/bench/*.int.spec.ts): runs one benchmark script in quick mode as its
// own process, into a temporary results folder, and returns what it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult, Metric } from './result';

export async function runQuick(name: string): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), `silta-bench-${name}-`));
  const root = join(__dirname, '..', '..');
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', join(root, 'bench', `${name}.ts`)],
        { cwd: root, env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS_DIR: dir, SWC_NODE_PROJECT: join(root, 'tsconfig.json') }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(`bench/${name}.ts failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve()),
      );
    });
    return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as BenchResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The metric of that name; throws naming the ones there are. */
export function metricNamed(result: BenchResult, name: string): Metric {
  const found = result.metrics.find((m) => m.name === name);
  if (!found) throw new Error(`no metric "${name}" in ${result.name}: ${result.metrics.map((m) => m.name).join(', ')}`);
  return found;
}
