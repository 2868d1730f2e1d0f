/** `silta-audit replay`: its options, the history it prints, and exit 1 when a decision replays differently. */
import { parseArgs } from 'node:util';
import { DEFAULT_PAGE_SIZE } from '../audit-log';
import { positiveInteger } from '../arguments';
import type { CliDeps, CliIo } from '../command';
import { UsageError } from '../failures';
import { STORE_OPTIONS, withStore } from '../store-options';
import { auditHistory, formatHistory, type ReplaySelection } from './replay';

export async function replayCommand(args: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
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
