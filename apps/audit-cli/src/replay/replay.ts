/**
 * `silta-audit replay`: the audit history of a student, a professional or a period in log order,
 * with every recorded decision re-run.
 *
 * The decision function belongs to the disclosure service's domain, which the layer rules keep
 * other apps from importing; it is handed in as a DecisionReplayer so this module reads only the
 * stored shape of the audit events (the fields below) and compares canonical JSON.
 */
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { canonicalJson } from '@silta/transparency';
import { AUDIT_STREAM_PREFIX, DEFAULT_PAGE_SIZE, readAuditEvents } from '../audit-log';
import { readStreamInPages } from '../stream-pages';

/** Re-runs the decision recorded in a stored DisclosureDecided (upcast first) and returns both. */
export type DecisionReplayer = (storedData: unknown) => { readonly recorded: unknown; readonly replayed: unknown };

export interface HistoryRow {
  readonly position: string;
  readonly time: string;
  readonly type: string;
  readonly requester: string;
  readonly basis: string;
  readonly outcome: string;
  readonly categories: string;
  /** `same`, `DIFFERS`, or `not re-run` (no replayer, or not a decision). */
  readonly replay: string;
}

interface Actor {
  readonly sub?: string;
  readonly role?: string;
  readonly org?: string;
}

interface StoredAuditData {
  readonly disclosureId?: string;
  readonly requester?: Actor;
  readonly reviewer?: Actor;
  readonly receiver?: Actor;
  readonly input?: { readonly request?: { readonly basis?: string } };
  readonly decision?: { readonly outcome?: string; readonly categories?: ReadonlyArray<{ category?: string; outcome?: string; reason?: string }> };
  readonly receivedCategories?: readonly string[];
  readonly outcome?: string;
  readonly decidedAt?: string;
  readonly reviewedAt?: string;
  readonly receivedAt?: string;
}

/**
 * Which audit events to replay: one student's stream, or the whole log filtered by the
 * professional who acted (requested, received or reviewed) and/or by period. At least one is set.
 */
export interface ReplaySelection {
  readonly studentId?: string;
  /** The `sub` of the professional or reviewer who acted. */
  readonly professional?: string;
  /** Inclusive start and exclusive end of the period, by the event's own time. */
  readonly from?: Date;
  readonly to?: Date;
}

/** The selected audit history in log order, every recorded decision re-run when a replayer is given. */
export async function auditHistory(
  store: EventStore,
  selection: ReplaySelection,
  replayer?: DecisionReplayer,
  pageSize = DEFAULT_PAGE_SIZE,
  progress?: { readonly every: number; readonly report: (read: number, kept: number) => void },
): Promise<HistoryRow[]> {
  const rows: HistoryRow[] = [];
  let read = 0;
  for await (const event of selectedEvents(store, selection, pageSize)) {
    if (progress && ++read % progress.every === 0) progress.report(read, rows.length);
    const data = (event.data ?? {}) as StoredAuditData;
    if (selection.professional !== undefined && actorOf(data)?.sub !== selection.professional) continue;
    const time = Date.parse(timeOf(event, data));
    if (selection.from && !(time >= selection.from.getTime())) continue;
    if (selection.to && !(time < selection.to.getTime())) continue;
    rows.push(historyRow(event, data, replayer));
  }
  return rows;
}

/** One student's stream when a student is named, else every audit event of the log; a page at a time either way. */
async function* selectedEvents(store: EventStore, selection: ReplaySelection, pageSize: number): AsyncGenerator<RecordedEvent> {
  if (selection.studentId === undefined) return yield* readAuditEvents(store, { pageSize });
  yield* readStreamInPages(store, `${AUDIT_STREAM_PREFIX}${selection.studentId}`, pageSize);
}

/** Who acted: the requester of a decision or explanation, the receiver of a receipt, the reviewer of a review. */
function actorOf(data: StoredAuditData): Actor | undefined {
  return data.requester ?? data.receiver ?? data.reviewer;
}

function timeOf(event: RecordedEvent, data: StoredAuditData): string {
  return data.decidedAt ?? data.reviewedAt ?? data.receivedAt ?? event.recordedAt.toISOString();
}

function historyRow(event: RecordedEvent, data: StoredAuditData, replayer: DecisionReplayer | undefined): HistoryRow {
  const requester = data.requester
    ? `${data.requester.role ?? '?'} ${data.requester.org ?? '?'}`
    : data.receiver
      ? `receiver ${data.receiver.role ?? '?'} ${data.receiver.org ?? '?'}`
      : data.reviewer
        ? `reviewer ${data.reviewer.org ?? '?'}`
        : '';
  const categories = data.decision?.categories
    ? data.decision.categories.map((c) => `${c.category}:${c.outcome}${c.reason ? `(${c.reason})` : ''}`).join(' ')
    : (data.receivedCategories ?? []).map((category) => `${category}:received`).join(' ');
  return {
    position: event.position.toString(),
    time: timeOf(event, data),
    type: event.type,
    requester,
    basis: data.input?.request?.basis ?? '',
    outcome: data.decision?.outcome ?? data.outcome ?? (data.receivedCategories ? 'received' : ''),
    categories,
    replay: event.type === 'DisclosureDecided' && replayer ? replayVerdict(event.data, replayer) : 'not re-run',
  };
}

function replayVerdict(data: unknown, replayer: DecisionReplayer): string {
  try {
    const { recorded, replayed } = replayer(data);
    return canonicalJson(recorded) === canonicalJson(replayed) ? 'same' : 'DIFFERS';
  } catch (error) {
    return `DIFFERS (replay failed: ${(error as Error).message})`;
  }
}

export function formatHistory(rows: readonly HistoryRow[], format: 'table' | 'json' | 'csv'): string {
  const columns = ['time', 'type', 'requester', 'basis', 'outcome', 'categories', 'replay'] as const;
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') {
    const cell = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].map((line) => `${line}\r\n`).join('');
  }
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((row) => row[c].length)));
  const line = (cells: readonly string[]) => cells.map((text, i) => text.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((c) => row[c])))]
    .map((text) => `${text}\n`)
    .join('');
}
