// The shape every benchmark writes to bench/results/<name>.json, and the helpers to fill it in.
// bench/report.ts renders BENCHMARKS.md from these files alone, so a table can always be traced
// back to its raw runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';

/** bench/results, or BENCH_RESULTS_DIR (the smoke tests write to a temporary folder). */
export const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(__dirname, '..', 'results');

/** One measured figure: every run's value, their median, and optionally its baseline and target. */
export interface Metric {
  readonly name: string;
  /** e.g. 'req/s', 'ms', 'events/s', 'MB', 'share'. */
  readonly unit: string;
  readonly runs: readonly number[];
  readonly median: number;
  /** Spread of the runs as (max - min) / median, so the reader sees the noise. */
  readonly spread: number;
  readonly baseline?: { readonly name: string; readonly runs: readonly number[]; readonly median: number };
  /** median / baseline.median (for "lower is better" metrics the report says so in the notes). */
  readonly ratio?: number;
  readonly target?: { readonly op: '>=' | '<='; readonly value: number; readonly met: boolean };
}

export interface BenchResult {
  /** File name and script name: bench/results/<name>.json, `npm run bench:<name>`. */
  readonly name: string;
  readonly title: string;
  readonly command: string;
  readonly startedAt: string;
  readonly machine: MachineInfo;
  /** What was run: sizes, concurrency, durations, number of runs. */
  readonly parameters: Record<string, unknown>;
  readonly metrics: readonly Metric[];
  /** Free text for BENCHMARKS.md: what bounds the figure, profile evidence, next step. */
  readonly notes: readonly string[];
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  readonly kafka: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Builds a metric from its runs; pass a baseline's runs to get the ratio, a target to get `met`. */
export function metric(
  name: string,
  unit: string,
  runs: readonly number[],
  options: { baseline?: { name: string; runs: readonly number[] }; target?: { op: '>=' | '<='; value: number } } = {},
): Metric {
  const mid = median(runs);
  const spread = runs.length > 1 && mid !== 0 ? (Math.max(...runs) - Math.min(...runs)) / Math.abs(mid) : 0;
  const baseline = options.baseline ? { ...options.baseline, median: median(options.baseline.runs) } : undefined;
  const target = options.target
    ? { ...options.target, met: options.target.op === '>=' ? mid >= options.target.value : mid <= options.target.value }
    : undefined;
  return { name, unit, runs, median: mid, spread, baseline, ratio: baseline ? mid / baseline.median : undefined, target };
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    postgres: quietly(() => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-Atc', 'show server_version'], { encoding: 'utf8' }).trim()),
    kafka: quietly(() => execFileSync('sed', ['-n', 's:.*<kafka.version>\\(.*\\)</kafka.version>.*:\\1:p', join(__dirname, '..', '..', 'deploy', 'kafka', 'pom.xml')], { encoding: 'utf8' }).trim()),
  };
}

function quietly(read: () => string): string {
  try {
    return read();
  } catch {
    return 'unknown';
  }
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult(result: BenchResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${result.name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
