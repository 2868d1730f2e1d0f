/**
 * `silta-audit replay`: a student's audit history in order, with every recorded decision re-run.
 *
 * The decision function belongs to the disclosure service's domain, which the layer rules keep
 * other apps from importing; it is handed in as a DecisionReplayer so this module reads only the
 * stored shape of the audit events (the fields below) and compares canonical JSON.
 */
import { StreamNotFoundError, type EventStore, type RecordedEvent } from '@silta/event-store';
import { canonicalJson } from '@silta/transparency';
import { AUDIT_STREAM_PREFIX } from '../audit-log';

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

interface StoredAuditData {
  readonly disclosureId?: string;
  readonly requester?: { readonly role?: string; readonly org?: string };
  readonly reviewer?: { readonly sub?: string; readonly org?: string };
  readonly input?: { readonly request?: { readonly basis?: string } };
  readonly decision?: { readonly outcome?: string; readonly categories?: ReadonlyArray<{ category?: string; outcome?: string; reason?: string }> };
  readonly outcome?: string;
  readonly decidedAt?: string;
  readonly reviewedAt?: string;
}

export async function studentHistory(store: EventStore, studentId: string, replayer?: DecisionReplayer): Promise<HistoryRow[]> {
  let events: RecordedEvent[];
  try {
    events = await store.readStream(`${AUDIT_STREAM_PREFIX}${studentId}`);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events.map((event) => historyRow(event, replayer));
}

function historyRow(event: RecordedEvent, replayer: DecisionReplayer | undefined): HistoryRow {
  const data = (event.data ?? {}) as StoredAuditData;
  const requester = data.requester
    ? `${data.requester.role ?? '?'} ${data.requester.org ?? '?'}`
    : data.reviewer
      ? `reviewer ${data.reviewer.org ?? '?'}`
      : '';
  return {
    position: event.position.toString(),
    time: data.decidedAt ?? data.reviewedAt ?? event.recordedAt.toISOString(),
    type: event.type,
    requester,
    basis: data.input?.request?.basis ?? '',
    outcome: data.decision?.outcome ?? data.outcome ?? '',
    categories: (data.decision?.categories ?? []).map((c) => `${c.category}:${c.outcome}${c.reason ? `(${c.reason})` : ''}`).join(' '),
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
