/**
 * Benchmark: the audit trail v2 (issue 14 acceptance), in one run.
 *
 * 1. A student's bundle: a v2 log of 100,000 audit events in which one student has exactly 1,000.
 *    `silta-audit export --student` writes that student's bundle from the store (inclusion proofs
 *    and the completeness-map proof); its size in bytes, the export's wall time, and
 *    `silta-audit verify-bundle`'s wall time and peak RSS, each started as its own process.
 * 2. `silta-audit verify` over 1,000,000 v2 events (every leaf re-hashed with its stream, revision
 *    and previous leaf, the per-student map recomputed and checked at every checkpoint) beside the
 *    SHA-256 floor over the same v2 leaf bytes, measured in the same run; and the same verify over
 *    the same million events with v1 leaves, so the two ratios to the floor come from one run.
 *
 * The logs are seeded once into cached databases (bench/lib/cached-audit-log.ts) and reused by
 * later full runs. export and verify-bundle run through SWC as `npm run audit` runs them; verify runs
 * compiled, as `npm run build` (the Docker image) runs it, with the heap cap the bin script gives it
 * (apps/audit-cli/bin/heap-flags.js): its memory target is about that program.
 *
 *   npm run bench:audit-v2            (BENCH_QUICK=1 for a smoke run on throwaway databases)
 */
import { STREAMING_HEAP_FLAGS } from '../apps/audit-cli/bin/heap-flags';
import os from 'node:os';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leafData } from '@silta/transparency';
import { compileCli } from './lib/compiled-cli';
import { openCachedAuditLog, type CachedAuditLogSpec, type OpenedAuditLog } from './lib/cached-audit-log';
import { runTs, type ChildRun } from './lib/child';
import { sha256LeafRate } from './lib/hash-floor';
import { isQuick, sized } from './lib/infra';
import { machineInfo, median, metric, writeResult, type BenchResult } from './lib/result';
import { BENCH_ORIGIN, BENCH_VERIFIER_KEY, HEAVY_STUDENT, auditLeaves, heavyStudentEvents } from './lib/seed-audit';

/** Part of the cached databases' names and recorded in them: change it whenever seed-audit.ts changes what it writes. */
const SEED_VERSION = 's1';
const BUNDLE_LOG: CachedAuditLogSpec = {
  database: `silta_bench_audit_v2_100k_${SEED_VERSION}`,
  seedVersion: `audit-v2 ${SEED_VERSION}`,
  leaves: sized(100_000, 2_000),
  checkpointEvery: sized(10_000, 500),
  leafVersion: 2,
};
const VERIFY_LOG: CachedAuditLogSpec = {
  database: `silta_bench_audit_v2_1m_${SEED_VERSION}`,
  seedVersion: `audit-v2 ${SEED_VERSION}`,
  leaves: sized(1_000_000, 5_000),
  checkpointEvery: sized(100_000, 1_000),
  leafVersion: 2,
};
/** The same events with v1 leaves: verify's figure before leaf v2, measured in the same run. */
const VERIFY_V1_LOG: CachedAuditLogSpec = { ...VERIFY_LOG, database: `silta_bench_audit_v1_1m_${SEED_VERSION}`, leafVersion: 1 };
const RUNS = sized(3, 1);
const CLI = 'apps/audit-cli/src/main.ts';
/** What apps/audit-cli/bin/silta-audit.js (and so `npm run audit`) starts verify with. */
const VERIFY_HEAP_FLAG = STREAMING_HEAP_FLAGS.verify;
const BASELINE_SAMPLE = 20_000;
/** verify / SHA-256 floor over v1 leaves in the last committed bench:verify run before leaf v2 (2026-11-28, a quieter machine). */
const V1_RATIO_BEFORE = 0.13;
/**
 * The code before leaf v2 against this code, measured by hand (the benchmark runs only this code):
 * re-measure when verify changes.
 */
const BEFORE_AND_AFTER =
  'Before and after, by hand on 2026-12-02 on this machine and these logs, interleaved (old, new, new): the code before leaf v2 (5259892, a git worktree, verify as its bin script ran it, --max-old-space-size=96) over the v1 log: 21.1 s and 20.3 s (222 MB, 201 MB peak RSS); ' +
  'this code over the v2 log with the old 96 MB cap: 23.1 s and 23.0 s (223 MB); with the 128 MB cap the bin script now gives verify: 18.8 s and 19.1 s (237 MB, 236 MB). ' +
  'This code over the v1 log with 128 MB: 20.7 s and 21.5 s. ' +
  'Profile of this code over the v2 log under the 96 MB cap (node --cpu-prof, bench/lib/profile-summary.ts): garbage collector 37.6 % of 34 s sampled, node:crypto hash 20.2 %, StreamMap.append 5.2 %, the pg row reader ~7 %; --trace-gc: 244 mark-compacts, the live heap after each ~54 MB of the 96 MB (start-up code and SWC-compiled sources ~20 MB, TypeScript\'s own sources ~9 MB, the per-student map ~10 MB: 60,000 stream ids, their entries, the tree\'s node buffers). With 128 MB: 112 mark-compacts. ' +
  'Before this change a v2 leaf\'s stored payload was first scanned for canonical form (~15-19 % of the profile): verify now splices it into the leaf as stored and lets the signed root judge it, reading the log again the exact way only when a root does not match (apps/audit-cli/src/verification/verify.ts).';

interface BundleRuns {
  /** What verify-bundle said of the bundle's completeness, the same in every run. */
  readonly verdict: string;
  readonly exports: ChildRun[];
  readonly verifications: ChildRun[];
  readonly bytes: number;
  readonly events: number;
}

interface VerifyRuns {
  readonly v2: ChildRun[];
  readonly v1: ChildRun[];
  readonly v2Floor: number[];
  readonly v1Floor: number[];
  readonly checkpoints: number;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const startLoad = os.loadavg()[0]!;
  const bundleLog = await openCachedAuditLog(BUNDLE_LOG);
  const verifyLog = await openCachedAuditLog(VERIFY_LOG);
  const verifyV1Log = await openCachedAuditLog(VERIFY_V1_LOG);
  const dir = mkdtempSync(join(tmpdir(), 'silta-bench-audit-v2-'));
  const compiled = compileCli();
  try {
    const bundle = await measureBundle(bundleLog.url, join(dir, 'bundle.json'));
    const verify = await measureVerify(compiled.entry, verifyLog.url, verifyV1Log.url);
    const file = writeResult(report(startedAt, startLoad, { bundleLog, verifyLog, verifyV1Log }, bundle, verify));
    process.stdout.write(`${file}\n`);
  } finally {
    compiled.dispose();
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([bundleLog.drop(), verifyLog.drop(), verifyV1Log.drop()]);
  }
}

/**
 * Exports the heavy student's bundle from the store once (the export recomputes every inclusion
 * proof from the leaf hashes: minutes over 100,000 leaves, see the notes), then verifies it offline
 * RUNS times.
 */
async function measureBundle(url: string, out: string): Promise<BundleRuns> {
  const events = heavyStudentEvents(BUNDLE_LOG.leaves);
  const exported = await runTs(CLI, ['export', '--database-url', url, '--student', HEAVY_STUDENT, '--key', BENCH_VERIFIER_KEY, '--out', out]);
  const wrote = `wrote ${events} events with inclusion proofs against ${BENCH_ORIGIN} at size ${BUNDLE_LOG.leaves} to ${out}`;
  if (exported.code !== 0 || !exported.stdout.includes(wrote)) throw new Error(`export did not say "${wrote}" (exit ${exported.code}):\n${exported.stdout}${exported.stderr.slice(-2000)}`);
  process.stderr.write(`bundle: export ${exported.seconds.toFixed(1)} s, ${exported.peakRssMb.toFixed(0)} MB\n`);

  const verdict = `complete: every audit event about student ${HEAVY_STUDENT} up to checkpoint ${BUNDLE_LOG.leaves} (${events} events)`;
  const verifications: ChildRun[] = [];
  for (let run = 0; run < RUNS; run++) {
    const verified = await runTs(CLI, ['verify-bundle', out, '--key', BENCH_VERIFIER_KEY]);
    if (verified.code !== 0 || !verified.stdout.includes(verdict)) throw new Error(`verify-bundle run ${run} did not say "${verdict}" (exit ${verified.code}):\n${verified.stdout.slice(-2000)}${verified.stderr.slice(-2000)}`);
    verifications.push(verified);
    process.stderr.write(`bundle run ${run + 1}/${RUNS}: verify-bundle ${verified.seconds.toFixed(2)} s, ${verified.peakRssMb.toFixed(0)} MB\n`);
  }
  return { verdict, exports: [exported], verifications, bytes: statSync(out).size, events };
}

/**
 * RUNS rounds, each: verify the v2 log, the SHA-256 floor over v2 leaf bytes, verify the v1 log,
 * the floor over v1 leaf bytes. Interleaved, so a drift in the machine's load hits all four alike.
 */
async function measureVerify(cli: string, v2Url: string, v1Url: string): Promise<VerifyRuns> {
  const v2Sample = leafSample(2);
  const v1Sample = leafSample(1);
  const result: VerifyRuns = { v2: [], v1: [], v2Floor: [], v1Floor: [], checkpoints: 0 };
  let checkpoints = 0;
  for (let run = 0; run < RUNS; run++) {
    const v2 = await verifyOnce(cli, v2Url, `v2 run ${run}`);
    result.v2.push(v2.run);
    result.v2Floor.push(sha256LeafRate(v2Sample, VERIFY_LOG.leaves));
    const v1 = await verifyOnce(cli, v1Url, `v1 run ${run}`);
    result.v1.push(v1.run);
    result.v1Floor.push(sha256LeafRate(v1Sample, VERIFY_LOG.leaves));
    checkpoints = v2.checkpoints;
    process.stderr.write(
      `verify run ${run + 1}/${RUNS}: v2 ${rate(v2.run)} events/s, ${v2.run.peakRssMb.toFixed(0)} MB, floor ${Math.round(result.v2Floor.at(-1)!)}; ` +
        `v1 ${rate(v1.run)} events/s, floor ${Math.round(result.v1Floor.at(-1)!)}\n`,
    );
  }
  return { ...result, checkpoints };
}

/** One `silta-audit verify` of the whole log by the compiled CLI; throws unless it verified every leaf. */
async function verifyOnce(cli: string, url: string, label: string): Promise<{ run: ChildRun; checkpoints: number }> {
  const run = await runTs(cli, verifyArgs(url), {}, [VERIFY_HEAP_FLAG]);
  const leaves = Number(/^ok: (\d+) leaves/m.exec(run.stdout)?.[1] ?? NaN);
  if (run.code !== 0 || leaves !== VERIFY_LOG.leaves) throw new Error(`verify ${label} failed (exit ${run.code}, ${leaves} leaves):\n${run.stdout}${run.stderr.slice(-2000)}`);
  return { run, checkpoints: Number(/; (\d+) checkpoints/.exec(run.stdout)?.[1] ?? NaN) };
}

function verifyArgs(url: string): string[] {
  return ['verify', '--database-url', url, '--key', BENCH_VERIFIER_KEY, '--origin', BENCH_ORIGIN];
}

/** The leaf bytes of the first events of the verify log, in one leaf version. */
function leafSample(leafVersion: 1 | 2): Uint8Array[] {
  return Array.from(auditLeaves(Math.min(VERIFY_LOG.leaves, BASELINE_SAMPLE), leafVersion), ({ leaf }) => leafData(leaf));
}

function rate(run: ChildRun): number {
  return Math.round(VERIFY_LOG.leaves / run.seconds);
}

function averageBytes(sample: readonly Uint8Array[]): number {
  return Math.round(sample.reduce((sum, bytes) => sum + bytes.length, 0) / sample.length);
}

function seedNote(log: OpenedAuditLog): string {
  return log.cached ? 'reused the cached database' : `seeded in ${log.seedSeconds.toFixed(0)} s`;
}

function report(startedAt: Date, startLoad: number, logs: Record<'bundleLog' | 'verifyLog' | 'verifyV1Log', OpenedAuditLog>, bundle: BundleRuns, verify: VerifyRuns): BenchResult {
  const v2Rates = verify.v2.map(rate);
  const v1Rates = verify.v1.map(rate);
  const v2Ratios = v2Rates.map((value, i) => round2(value / verify.v2Floor[i]!));
  const v1Ratios = v1Rates.map((value, i) => round2(value / verify.v1Floor[i]!));
  const v2Bytes = averageBytes(leafSample(2));
  const v1Bytes = averageBytes(leafSample(1));
  return {
    name: 'audit-v2',
    title: 'Audit trail v2: a student bundle and verify over v2 leaves',
    command: 'npm run bench:audit-v2',
    startedAt: startedAt.toISOString(),
    machine: machineInfo(),
    parameters: {
      quick: isQuick(),
      bundleLog: `${BUNDLE_LOG.leaves} v2 events, a signed checkpoint every ${BUNDLE_LOG.checkpointEvery} (${logs.bundleLog.seed.checkpoints}); ${seedNote(logs.bundleLog)}`,
      bundleVerdict: bundle.verdict,
      bundleStudent: `${HEAVY_STUDENT}: ${bundle.events} events (every ${BUNDLE_LOG.leaves / bundle.events}th event of the log); the others' students drawn at random`,
      verifyLog: `${VERIFY_LOG.leaves} v2 events, ${verify.checkpoints} signed checkpoints each with the map line; ${seedNote(logs.verifyLog)}`,
      verifyV1Log: `the same ${VERIFY_V1_LOG.leaves} events with v1 leaves, checkpoints without the map line; ${seedNote(logs.verifyV1Log)}`,
      averageLeafBytes: { v2: v2Bytes, v1: v1Bytes },
      runs: RUNS,
      seedVersion: SEED_VERSION,
      cli: `verify: node ${VERIFY_HEAP_FLAG} <compiled>/apps/audit-cli/src/main.js, the CLI compiled as npm run build compiles it (bench/lib/compiled-cli.ts), with the heap cap apps/audit-cli/bin/silta-audit.js gives it; export and verify-bundle: node -r @swc-node/register ${CLI} with V8's default heap, as it starts them`,
      loadAverage: `${startLoad.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (1-minute, this machine's 2 cores; other processes count)`,
    },
    metrics: [
      metric('bundle: size', 'bytes', [bundle.bytes]),
      metric('bundle: export from the store', 's', bundle.exports.map((r) => round2(r.seconds))),
      metric('bundle: export peak RSS', 'MB', bundle.exports.map((r) => Math.round(r.peakRssMb))),
      metric('bundle: verify-bundle', 's', bundle.verifications.map((r) => round2(r.seconds))),
      metric('bundle: verify-bundle peak RSS', 'MB', bundle.verifications.map((r) => Math.round(r.peakRssMb))),
      metric('verify throughput, v2 leaves', 'events/s', v2Rates, { baseline: { name: 'sha-256 over the same v2 leaf bytes, one loop', runs: verify.v2Floor.map(Math.round) }, target: { op: '>=', value: 150_000 } }),
      metric('verify / floor, v2 leaves', 'ratio', v2Ratios, { target: { op: '>=', value: median(v1Ratios) } }),
      metric('verify peak RSS, v2 leaves', 'MB', verify.v2.map((r) => Math.round(r.peakRssMb)), { target: { op: '<=', value: 128 } }),
      metric('verify throughput, v1 leaves (same run)', 'events/s', v1Rates, { baseline: { name: 'sha-256 over the same v1 leaf bytes, one loop', runs: verify.v1Floor.map(Math.round) } }),
      metric('verify / floor, v1 leaves (same run)', 'ratio', v1Ratios),
    ],
    notes: [
      `Bundle: \`silta-audit export --student ${HEAVY_STUDENT} --key <verifier key>\` reads the whole ${BUNDLE_LOG.leaves}-event log from PostgreSQL (every leaf re-hashed, the root and the per-student map checked against the latest checkpoint before anything is written), then writes the ${bundle.events} events with their RFC 9162 inclusion proofs and the map proof, as pretty-printed JSON. \`silta-audit verify-bundle <file> --key <verifier key>\` checks it offline and said, in every run, "${bundle.verdict}". Both timed as processes, start-up included; peak RSS is the process's VmHWM.`,
      `Export: one read of the log (every leaf re-hashed, the tree's perfect subtrees kept, 32 bytes each: libs/transparency's PerfectSubtreeLevels), then each event's inclusion proof folded from those subtrees.`,
      `Bundle size: the bundle is written pretty-printed (JSON.stringify with a 2-space indent), payloads included, so most of its bytes are the events' data and the indentation of their nested members; each event carries ${Math.ceil(Math.log2(BUNDLE_LOG.leaves))} or fewer proof hashes (base64, 44 characters each).`,
      `Verify: the whole log read from PostgreSQL, every leaf re-hashed in the version its metadata names (v2: with its event id, stream, revision and the stream's previous leaf index, which verify settles itself), the Merkle root and (v2) the per-student map recomputed and checked at each of the ${verify.checkpoints} signed checkpoints. ${RUNS} runs per log, interleaved with the floor.`,
      `Heap: every verify run, of both leaf versions, is started as apps/audit-cli/bin/silta-audit.js starts it, with ${VERIFY_HEAP_FLAG} (apps/audit-cli/bin/heap-flags.js says why).`,
      `Floor: node:crypto SHA-256 (createHash) of 0x00 || leaf bytes, ${VERIFY_LOG.leaves} times in one loop over the first ${BASELINE_SAMPLE} events' leaf bytes (v2 average ${v2Bytes} bytes, v1 ${v1Bytes}), once after each verify run. The ratio row is each run's verify rate over the floor measured right after it.`,
      `Acceptance ("verify over 1M events no slower than today's figure, same-run ratio"): the v2 ratio's target is the v1 ratio measured in this run, over the same events, on the same machine, with the same heap (v1 leaves take the per-leaf path verify had before leaf v2: each payload scanned canonical and compared with its recorded hash). Median ratios here: v2 ${median(v2Ratios).toFixed(2)}, v1 ${median(v1Ratios).toFixed(2)}; the last committed bench:verify run before leaf v2 (2026-11-28, a quieter machine) had ${V1_RATIO_BEFORE} for v1.`,
      BEFORE_AND_AFTER,
      'Absolute figures move with the machine\'s load (see loadAverage); the ratios, measured back to back, move less.',
    ],
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench audit-v2 failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
