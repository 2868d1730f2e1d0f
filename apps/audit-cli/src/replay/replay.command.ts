/**
 * `silta-audit replay`: its options, the history it prints as it reads it, and exit 1 when a
 * decision replays differently. A period is read through the audit tree's time index where the
 * store's database keeps one (time-index.ts).
 */
import { parseArgs } from 'node:util';
import type { EventStore } from '@silta/event-store';
import { DEFAULT_PAGE_SIZE } from '../audit-log';
import { positiveInteger } from '../arguments';
import type { CliDeps, CliIo, StoreSource } from '../command';
import { UsageError } from '../failures';
import { STORE_OPTIONS, withStore } from '../store-options';
import { historyWriter, tableWidths, type HistoryFormat } from './history-format';
import { auditHistory, usesTimeIndex, type HistoryOptions, type HistoryRow, type ReplaySelection } from './replay';
import { TimeIndex } from './time-index';

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
  const differing = await withStore(values, io, deps, (store, source) =>
    withTimeIndex(source, selection, io, (index) => printHistory(store, selection, format, { replayer: deps.replayDecision, pageSize, progress, index }, io)),
  );
  if (differing.count > 0) {
    io.stderr(`FAIL ${differing.count} recorded decisions differ when replayed; first at position ${differing.first!.position} (${differing.first!.time})\n`);
    return 1;
  }
  return 0;
}

/**
 * Prints the history as it is read (a table after a first pass measuring its columns, see
 * history-format.ts); answers how many decisions replayed differently, and the first.
 */
async function printHistory(
  store: EventStore,
  selection: ReplaySelection,
  format: HistoryFormat,
  options: HistoryOptions,
  io: CliIo,
): Promise<{ count: number; first?: HistoryRow }> {
  const history = () => auditHistory(store, selection, options);
  const writer = historyWriter(format, io.stdout, format === 'table' ? await tableWidths(history()) : undefined);
  const differing: { count: number; first?: HistoryRow } = { count: 0 };
  for await (const row of history()) {
    writer.row(row);
    if (!row.replay.startsWith('DIFFERS')) continue;
    differing.count++;
    differing.first ??= row;
  }
  writer.end();
  return differing;
}

/** Runs `work` with the store's time index when a period is replayed and the database keeps one; says which. */
async function withTimeIndex<T>(source: StoreSource, selection: ReplaySelection, io: CliIo, work: (index?: TimeIndex) => Promise<T>): Promise<T> {
  if (!usesTimeIndex(selection)) return work();
  const opened = await TimeIndex.open(source);
  const index = opened instanceof TimeIndex ? opened : undefined;
  io.stderr(
    index
      ? `note: the period is read through the audit tree's time index (${index.head.size} leaves; later events from the log)\n`
      : `note: no time index (${(opened as { missing: string }).missing}); the whole log is scanned\n`,
  );
  try {
    return await work(index);
  } finally {
    await index?.close();
  }
}

/** An ISO 8601 date or date-time from the command line. */
function isoDate(text: string, option: string): Date {
  const value = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(value.getTime())) throw new UsageError(`${option} must be an ISO 8601 date, got "${text}"`);
  return value;
}
