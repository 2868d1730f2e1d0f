/**
 * silta-audit: verify, replay and export the disclosure service's audit log (issue 5).
 * `run(argv, io)` is the whole program, so tests drive it as a function; main.ts wires the process.
 * Each command parses its own options beside its work (verify/verify.command.ts, ...); this file
 * only dispatches and turns what a command throws into an exit code.
 *
 * Exit codes: 0 verified (or done), 1 the log, bundle or proof does not verify (the message names
 * the first divergence), 2 the command could not run (usage, unreachable store, unreadable file).
 */
import { DEFAULT_PAGE_SIZE } from './audit-log';
import type { CliDeps, CliIo, Command } from './command';
import { cosignCommand } from './cosign/cosign.command';
import { exportCommand } from './export-bundle/export.command';
import { AuditFailure, UsageError } from './failures';
import { replayCommand } from './replay/replay.command';
import { verifyBundleCommand } from './verify-bundle/verify-bundle.command';
import { verifyConsistencyCommand } from './verify-consistency/verify-consistency.command';
import { verifyCommand } from './verify/verify.command';

export type { CliDeps, CliIo, StoreSource } from './command';

export const USAGE = `usage: silta-audit <command> [options]      (npm run audit -- <command> ...)

  verify --key <verifier key> [--origin <log>] [--checkpoint <held note file>]... [--witness-key <cosigner key>]... [--workers <n>]
      Recompute every leaf, root and per-student map of the audit log and check every signed
      checkpoint; with --witness-key, also each witness's cosignatures of them (cosignatures-audit).
      From PostgreSQL, leaves are hashed in <n> worker threads (default: the cores less one, at least 1).
  cosign <checkpoint note> --key <log's verifier key> --signer-key <your signer key> [--out <file>]
      Witness a checkpoint: verify it with the log's key, then add your C2SP tlog-cosignature/v1.
  verify-bundle <bundle.json> --key <verifier key> [--witness-key <cosigner key>]...
      Check an exported bundle offline: checkpoint signature and cosignatures, leaf hashes,
      inclusion proofs, and for a whole student's bundle that it holds every event (complete).
  verify-consistency --key <verifier key> --old <note file> --new <note file> --proof <json file>
      Check offline that the older checkpoint is a prefix of the newer one.
  replay [--student <id>] [--professional <sub>] [--from <date>] [--to <date>] [--format table|json|csv]
      The audit history in log order (a student's, a professional's, a period's; at least one
      filter), every recorded decision re-run. --from is inclusive, --to exclusive (ISO 8601).
      A period is read through the service's audit tree (its time index) where the store's
      database keeps one, else the whole log is scanned. Rows are written as they are read; a
      table reads the history twice (the first pass sizes its columns).
  export (--student <id> | --disclosure <id>) --out <file> [--key <verifier key>]
      Write an offline bundle: the events with inclusion proofs against the latest checkpoint.
  export (--student <id> | --disclosure <id>) --out <file> --url <service> --key <verifier key> [--token <jwt>]
      The same from the live service's audit API (an auditor's token, or SILTA_TOKEN), verified first.

store (verify, replay, export): --database-url <postgres url> | --sqlite <file>, or the
  environment: EVENTSTORE_CONNECTION_STRING (EventStoreDB), else DATABASE_URL (PostgreSQL).
  --page-size <n> events per read (default ${DEFAULT_PAGE_SIZE}); --progress-every <n> leaves (default 10000).

exit: 0 verified, 1 does not verify (the first divergence is named), 2 could not run.
`;

const COMMANDS: Readonly<Record<string, Command>> = {
  verify: verifyCommand,
  'verify-bundle': verifyBundleCommand,
  'verify-consistency': verifyConsistencyCommand,
  replay: replayCommand,
  export: exportCommand,
  cosign: cosignCommand,
};

export async function run(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!handler) throw new UsageError(`unknown command "${command}"`);
    return await handler(rest, io, deps);
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
