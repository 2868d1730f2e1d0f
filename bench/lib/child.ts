// Runs a TypeScript entry point of the repository as a child process, as its npm script would
// (`node -r @swc-node/register <entry>`), or a compiled one (.js) with plain node, and measures its
// wall time and peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** Peak resident set size (VmHWM) in MB, or NaN when it could not be read. */
  readonly peakRssMb: number;
}

export function runTs(entry: string, args: readonly string[], env: Record<string, string> = {}, nodeFlags: readonly string[] = []): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), 'silta-bench-'));
  const rssFile = join(dir, 'peak-rss');
  // A compiled entry (.js) runs as the compiled build does, without SWC.
  const swc = entry.endsWith('.js') ? [] : ['-r', '@swc-node/register'];
  const child = spawn(
    process.execPath,
    [...nodeFlags, ...swc, '-r', join(__dirname, 'peak-rss.ts'), join(repoRoot, entry), ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.json'), BENCH_PEAK_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const started = process.hrtime.bigint();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakRssMb = Number.NaN;
      try {
        peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      } catch {
        // the child died before its exit hook ran
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), seconds, peakRssMb });
    });
  });
}
