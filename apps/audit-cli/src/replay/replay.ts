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
import type { TimeIndex } from './time-index';

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

/** How auditHistory reads and what it reports. */
export interface HistoryOptions {
  /** Re-runs each recorded decision; without it decisions are listed, not re-run. */
  readonly replayer?: DecisionReplayer;
  readonly pageSize?: number;
  readonly progress?: { readonly every: number; readonly report: (read: number, kept: number) => void };
  /** The audit tree's time index of this store, when it has one: a period is read through it. */
  readonly index?: TimeIndex;
}

/**
 * The selected audit history in log order, a row at a time, every recorded decision re-run when a
 * replayer is given. Nothing is kept between rows, so memory stays flat however long the history.
 */
export async function* auditHistory(store: EventStore, selection: ReplaySelection, options: HistoryOptions = {}): AsyncGenerator<HistoryRow> {
  const { progress } = options;
  let read = 0;
  let kept = 0;
  for await (const event of selectedEvents(store, selection, options)) {
    if (progress && ++read % progress.every === 0) progress.report(read, kept);
    const data = (event.data ?? {}) as StoredAuditData;
    if (!isSelected(event, data, selection)) continue;
    kept++;
    yield historyRow(event, data, options.replayer);
  }
}

/**
 * One student's stream when a student is named; else a period through the time index when there
 * is one; else every audit event of the log. A page at a time either way.
 */
async function* selectedEvents(store: EventStore, selection: ReplaySelection, options: HistoryOptions): AsyncGenerator<RecordedEvent> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (selection.studentId !== undefined) return yield* readStreamInPages(store, `${AUDIT_STREAM_PREFIX}${selection.studentId}`, pageSize);
  if (options.index && usesTimeIndex(selection)) return yield* options.index.eventsIn(store, selection, pageSize);
  yield* readAuditEvents(store, { pageSize });
}

/** Whether a selection is read through the time index when the store has one: a period of the whole log. */
export function usesTimeIndex(selection: ReplaySelection): boolean {
  return selection.studentId === undefined && (selection.from !== undefined || selection.to !== undefined);
}

/** The filters every read path ends with, so the time index only narrows what is read. */
function isSelected(event: RecordedEvent, data: StoredAuditData, selection: ReplaySelection): boolean {
  if (selection.professional !== undefined && actorOf(data)?.sub !== selection.professional) return false;
  const time = Date.parse(timeOf(event, data));
  if (selection.from && !(time >= selection.from.getTime())) return false;
  if (selection.to && !(time < selection.to.getTime())) return false;
  return true;
}

/** Who acted: the requester of a decision or explanation, the receiver of a receipt, the reviewer of a review. */
function actorOf(data: StoredAuditData): Actor | undefined {
  return data.requester ?? data.receiver ?? data.reviewer;
}

/**
 * The event's own time: when it was decided, reviewed or received, else when it was recorded. The
 * same rule as the checkpointer's auditEventTime (libs/audit-trail), which fills the time index.
 */
function timeOf(event: RecordedEvent, data: StoredAuditData): string {
  const own = [data.decidedAt, data.reviewedAt, data.receivedAt].find((time) => typeof time === 'string');
  return own ?? event.recordedAt.toISOString();
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
