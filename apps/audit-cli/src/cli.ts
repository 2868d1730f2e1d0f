/**
 * silta-audit: verify, replay and export the disclosure service's audit log (issue 5).
 * `run(argv, io)` is the whole program, so tests drive it as a function; main.ts wires the process.
 *
 * Exit codes: 0 verified (or done), 1 the log, bundle or proof does not verify (the message names
 * the first divergence), 2 the command could not run (usage, unreachable store, unreadable file).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EventStore } from '@silta/event-store';
import { MalformedBundleError, TransparencyError, addSignature, parseBundle, parseVerifierKey, verifierKeyOf, type AuditBundle } from '@silta/transparency';
import { DEFAULT_PAGE_SIZE } from './audit-log';
import { openCheckpointFile } from './checkpoints';
import { AuditFailure, UsageError } from './failures';
import { exportBundle, type BundleSelection } from './export-bundle/export-bundle';
import { fetchBundle } from './export-bundle/fetch-bundle';
import { auditHistory, formatHistory, type DecisionReplayer, type ReplaySelection } from './replay/replay';
import { checkConsistency, parseConsistencyProof } from './verify-consistency/verify-consistency';
import { describeBundleEvent, verifyBundle } from './verify-bundle/verify-bundle';
import { verifyCosignatures } from './verify-cosignatures/verify-cosignatures';
import { verifyLog } from './verify/verify';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Where the event store is. */
export type StoreSource =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'esdb'; readonly connectionString: string };

export interface CliDeps {
  /** Opens the event store; the default connects the SQL or EventStoreDB adapter. */
  readonly openStore?: (source: StoreSource) => Promise<EventStore>;
  /** Re-runs recorded decisions for `replay`; without it decisions are listed, not re-run. */
  readonly replayDecision?: DecisionReplayer;
}

export const USAGE = `usage: silta-audit <command> [options]      (npm run audit -- <command> ...)

  verify --key <verifier key> [--origin <log>] [--checkpoint <held note file>]... [--witness-key <key>]
      Recompute every leaf and root of the audit log and check every signed checkpoint; with
      --witness-key, also the other party's cosignatures of them (cosignatures-audit).
  cosign <checkpoint note> --key <log's verifier key> --signer-key <your signer key> [--out <file>]
      Witness a checkpoint: verify it with the log's key, then add your own signature.
  verify-bundle <bundle.json> --key <verifier key>
      Check an exported bundle offline: checkpoint signature, leaf hashes, inclusion proofs.
  verify-consistency --key <verifier key> --old <note file> --new <note file> --proof <json file>
      Check offline that the older checkpoint is a prefix of the newer one.
  replay [--student <id>] [--professional <sub>] [--from <date>] [--to <date>] [--format table|json|csv]
      The audit history in log order (a student's, a professional's, a period's; at least one
      filter), every recorded decision re-run. --from is inclusive, --to exclusive (ISO 8601).
  export (--student <id> | --disclosure <id>) --out <file> [--key <verifier key>]
      Write an offline bundle: the events with inclusion proofs against the latest checkpoint.
  export (--student <id> | --disclosure <id>) --out <file> --url <service> --key <verifier key> [--token <jwt>]
      The same from the live service's audit API (an auditor's token, or SILTA_TOKEN), verified first.

store (verify, replay, export): --database-url <postgres url> | --sqlite <file>, or the
  environment: EVENTSTORE_CONNECTION_STRING (EventStoreDB), else DATABASE_URL (PostgreSQL).
  --page-size <n> events per read (default ${DEFAULT_PAGE_SIZE}); --progress-every <n> leaves (default 10000).

exit: 0 verified, 1 does not verify (the first divergence is named), 2 could not run.
`;

const STORE_OPTIONS = {
  'database-url': { type: 'string' },
  sqlite: { type: 'string' },
  'page-size': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export async function run(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, io, deps);
      case 'verify-bundle':
        return verifyBundleCommand(rest, io);
      case 'verify-consistency':
        return verifyConsistencyCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io, deps);
      case 'export':
        return await exportCommand(rest, io, deps);
      case 'cosign':
        return cosignCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof AuditFailure) {
      io.stderr(`FAIL ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      io.stderr(`silta-audit: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`silta-audit: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`silta-audit: could not run ${command}: ${(error as Error).message}\n`);
    return 2;
  }
}

async function verifyCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_OPTIONS,
      key: { type: 'string' },
      origin: { type: 'string' },
      checkpoint: { type: 'string', multiple: true },
      'witness-key': { type: 'string' },
      'progress-every': { type: 'string' },
    },
    strict: true,
  });
  const key = verifierKey(values.key);
  const witnessKey = values['witness-key'] === undefined ? undefined : verifierKey(values['witness-key']);
  const held = (values.checkpoint ?? []).map((file) => openCheckpointFile(file, key, values.origin));
  const pageSize = positiveInteger(values['page-size'], '--page-size', DEFAULT_PAGE_SIZE);
  const progressEvery = positiveInteger(values['progress-every'], '--progress-every', 10_000);
  const { report, cosignatures } = await withStore(values, io, deps, async (store) => ({
    report: await verifyLog(store, {
      key,
      origin: values.origin,
      pageSize,
      heldCheckpoints: held,
      progressEvery,
      onProgress: (leaves, expected) =>
        io.stderr(
          expected ? `verified ${leaves} leaves (${Math.min(100, Math.floor((leaves / expected) * 100))}% of the latest checkpoint's ${expected})\n` : `verified ${leaves} leaves\n`,
        ),
    }),
    cosignatures: witnessKey ? await verifyCosignatures(store, { key, witnessKey, origin: values.origin, pageSize }) : undefined,
  }));
  const latest = report.latest!;
  const unsigned = report.leaves - latest.size;
  io.stdout(
    `ok: ${report.leaves} leaves match their recorded hashes; ${report.checkpoints} checkpoints` +
      (report.heldCheckpoints ? ` and ${report.heldCheckpoints} held checkpoints` : '') +
      ` signed by ${report.signers.join(', ')} match the recomputed roots and are consistent; ` +
      `latest ${latest.origin} at size ${latest.size}, root ${Buffer.from(latest.root).toString('base64')}` +
      (unsigned > 0 ? `; ${unsigned} newer leaves are not yet under a checkpoint` : '') +
      '\n',
  );
  if (cosignatures) {
    io.stdout(`ok: ${cosignatures.verified} checkpoints are cosigned by ${cosignatures.witness}, the latest at size ${cosignatures.latestSize}\n`);
  }
  return 0;
}

/**
 * The other party's witness step: check a checkpoint against the log's key, then add our own
 * signature, so each party holds checkpoints the other signed. Never cosigns what did not verify.
 */
function cosignCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { key: { type: 'string' }, 'signer-key': { type: 'string' }, origin: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('cosign needs exactly one checkpoint note file');
  const file = positionals[0]!;
  const key = verifierKey(values.key);
  const signerKey = required(values['signer-key'] ?? io.env.SILTA_WITNESS_SIGNER_KEY, '--signer-key <signer key> (or SILTA_WITNESS_SIGNER_KEY)');
  const checkpoint = openCheckpointFile(file, key, values.origin);
  let cosigned: string;
  try {
    cosigned = addSignature(readText(file), signerKey);
  } catch (error) {
    if (error instanceof TransparencyError) throw new UsageError(`--signer-key: ${error.message}`);
    throw error;
  }
  if (values.out) writeFileSync(values.out, cosigned);
  else io.stdout(cosigned);
  io.stderr(`cosigned ${checkpoint.origin} at size ${checkpoint.size} as ${verifierKeyOf(signerKey).split('+')[0]}\n`);
  return 0;
}

/** The bundle in `file`; a wrong shape is an audit finding (exit 1), like a wrong proof. */
function readBundle(file: string): AuditBundle {
  try {
    return parseBundle(readText(file), file);
  } catch (error) {
    if (error instanceof MalformedBundleError) throw new AuditFailure('malformed_bundle', error.message);
    throw error;
  }
}

function verifyBundleCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...args], options: { key: { type: 'string' } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('verify-bundle needs exactly one bundle file');
  const file = positionals[0]!;
  const key = verifierKey(values.key);
  const bundle = readBundle(file);
  const report = verifyBundle(bundle, key);
  const { checkpoint, results } = report;
  io.stdout(`checkpoint ${checkpoint.origin} at size ${checkpoint.size} signed by ${checkpoint.verifiedBy.join(', ')}\n`);
  results.forEach(({ event, failure }, i) => io.stdout(`${failure ? 'FAIL' : 'ok  '} ${failure ? failure.message : describeBundleEvent(event, i)}\n`));
  const failed = results.filter((result) => result.failure);
  if (failed.length > 0) {
    io.stderr(`FAIL ${failed.length} of ${results.length} events do not verify; first: ${failed[0]!.failure!.message}\n`);
    return 1;
  }
  io.stdout(`ok: all ${results.length} events are in the log at size ${checkpoint.size}\n`);
  return 0;
}

function verifyConsistencyCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: { key: { type: 'string' }, old: { type: 'string' }, new: { type: 'string' }, proof: { type: 'string' } },
    strict: true,
  });
  const key = verifierKey(values.key);
  const older = openCheckpointFile(required(values.old, '--old <note file>'), key);
  const newer = openCheckpointFile(required(values.new, '--new <note file>'), key);
  const proofFile = required(values.proof, '--proof <json file>');
  checkConsistency(older, newer, parseConsistencyProof(readText(proofFile), proofFile));
  io.stdout(`ok: the checkpoint at size ${older.size} is a prefix of the checkpoint at size ${newer.size} (${newer.origin})\n`);
  return 0;
}

async function replayCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_OPTIONS,
      student: { type: 'string' },
      professional: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'table' },
      'progress-every': { type: 'string' },
    },
    strict: true,
  });
  const selection: ReplaySelection = {
    studentId: values.student,
    professional: values.professional,
    from: values.from === undefined ? undefined : isoDate(values.from, '--from'),
    to: values.to === undefined ? undefined : isoDate(values.to, '--to'),
  };
  if (Object.values(selection).every((value) => value === undefined)) {
    throw new UsageError('replay needs at least one of --student <id>, --professional <sub>, --from <date>, --to <date>');
  }
  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'csv') throw new UsageError(`--format must be table, json or csv, got "${format}"`);
  if (!deps.replayDecision) io.stderr('note: decisions are listed, not re-run (no decision replayer is wired into this build)\n');
  const pageSize = positiveInteger(values['page-size'], '--page-size', DEFAULT_PAGE_SIZE);
  const every = positiveInteger(values['progress-every'], '--progress-every', 10_000);
  const progress = { every, report: (read: number, kept: number) => io.stderr(`read ${read} audit events, ${kept} selected\n`) };
  const rows = await withStore(values, io, deps, (store) => auditHistory(store, selection, deps.replayDecision, pageSize, progress));
  io.stdout(formatHistory(rows, format));
  const differing = rows.filter((row) => row.replay.startsWith('DIFFERS'));
  if (differing.length > 0) {
    io.stderr(`FAIL ${differing.length} recorded decisions differ when replayed; first at position ${differing[0]!.position} (${differing[0]!.time})\n`);
    return 1;
  }
  return 0;
}

/** An ISO 8601 date or date-time from the command line. */
function isoDate(text: string, option: string): Date {
  const value = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(value.getTime())) throw new UsageError(`${option} must be an ISO 8601 date, got "${text}"`);
  return value;
}

async function exportCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_OPTIONS,
      student: { type: 'string' },
      disclosure: { type: 'string' },
      out: { type: 'string' },
      key: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    },
    strict: true,
  });
  if ((values.student === undefined) === (values.disclosure === undefined)) throw new UsageError('export needs exactly one of --student <id> or --disclosure <id>');
  const selection: BundleSelection = values.student !== undefined ? { studentId: values.student } : { disclosureId: values.disclosure! };
  const out = required(values.out, '--out <file>');
  const key = values.key === undefined ? undefined : verifierKey(values.key);
  if (values.url !== undefined) return exportFromService(values.url, values.token ?? io.env.SILTA_TOKEN, selection, out, key, io);
  const pageSize = positiveInteger(values['page-size'], '--page-size', DEFAULT_PAGE_SIZE);
  const { bundle, size, notYetCheckpointed } = await withStore(values, io, deps, (store) => exportBundle(store, { selection, key, pageSize }));
  writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  if (!key) io.stderr('note: no --key given, so the checkpoint signature was not checked and the bundle names no verifier key\n');
  if (notYetCheckpointed > 0) {
    const many = notYetCheckpointed > 1;
    io.stderr(
      `note: ${notYetCheckpointed} matching event${many ? 's' : ''} came after the latest checkpoint (size ${size}) and ${many ? 'are' : 'is'} not in the bundle\n`,
    );
  }
  io.stdout(`wrote ${bundle.events.length} events with inclusion proofs against ${bundle.origin} at size ${size} to ${out}\n`);
  return 0;
}

/** export --url: the live service's bundle, verified with --key (required here) before it is written. */
async function exportFromService(url: string, token: string | undefined, selection: BundleSelection, out: string, key: string | undefined, io: CliIo): Promise<number> {
  if (!token) throw new UsageError("export --url needs an auditor's token: --token <jwt> or SILTA_TOKEN");
  if (!key) throw new UsageError('export --url needs --key <verifier key>: a bundle from a service is verified before it is kept');
  const bundle = await fetchBundle(url, token, selection);
  const report = verifyBundle(bundle, key);
  const failed = report.results.find((result) => result.failure);
  if (failed) throw new AuditFailure(failed.failure!.code, `the service's bundle does not verify, nothing written: ${failed.failure!.message}`);
  writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  io.stdout(`wrote ${bundle.events.length} events, verified against ${report.checkpoint.origin} at size ${report.checkpoint.size}, from ${url} to ${out}\n`);
  return 0;
}

async function withStore<T>(
  values: { readonly 'database-url'?: string; readonly sqlite?: string },
  io: CliIo,
  deps: CliDeps,
  work: (store: EventStore) => Promise<T>,
): Promise<T> {
  const source = storeSource(values, io.env);
  const store = await (deps.openStore ?? openStore)(source);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function storeSource(values: { readonly 'database-url'?: string; readonly sqlite?: string }, env: CliIo['env']): StoreSource {
  if (values.sqlite !== undefined && values['database-url'] !== undefined) throw new UsageError('give --sqlite or --database-url, not both');
  if (values.sqlite !== undefined) {
    if (!existsSync(values.sqlite)) throw new UsageError(`--sqlite ${values.sqlite}: no such file`);
    return { kind: 'sqlite', file: values.sqlite };
  }
  if (values['database-url'] !== undefined) return { kind: 'postgres', url: values['database-url'] };
  if (env.EVENTSTORE_CONNECTION_STRING) return { kind: 'esdb', connectionString: env.EVENTSTORE_CONNECTION_STRING };
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  throw new UsageError('no event store: give --database-url or --sqlite, or set EVENTSTORE_CONNECTION_STRING or DATABASE_URL');
}

/** The adapters are loaded only when a command needs a store, so offline commands start fast. */
async function openStore(source: StoreSource): Promise<EventStore> {
  switch (source.kind) {
    case 'postgres': {
      const { SqlEventStore } = await import('@silta/event-store/sql');
      return SqlEventStore.connect({ type: 'postgres', url: source.url, poolSize: 2 });
    }
    case 'sqlite': {
      const { SqlEventStore } = await import('@silta/event-store/sql');
      return SqlEventStore.connect({ type: 'better-sqlite3', database: source.file });
    }
    case 'esdb': {
      const { EsdbEventStore } = await import('@silta/event-store/esdb');
      return EsdbEventStore.fromConnectionString(source.connectionString);
    }
  }
}

/** The verifier key, checked before any work so a typo is a usage error, not a failed log. */
function verifierKey(value: string | undefined): string {
  const key = required(value, '--key <verifier key>');
  try {
    parseVerifierKey(key);
  } catch (error) {
    if (error instanceof TransparencyError) throw new UsageError(`--key: ${error.message}`);
    throw error;
  }
  return key;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number ≥ 1, got "${value}"`);
  return n;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}
