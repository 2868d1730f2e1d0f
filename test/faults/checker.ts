import { MessageHeaders, Topics } from '@silta/contracts';
import { eventually, testKafka } from '@silta/testing';
import { VIEW_CONSUMER_GROUP } from '../../apps/disclosure/src/view/view.constants';
import type { FaultWorld } from './fault-world';
import type { MixedLoad } from './load';

/**
 * The fault suite's checker, in the manner of Jepsen's: after a fault has healed it compares what
 * the load's clients were told with what the stores, the view and the topics hold, and counts
 * every difference. A violation is a guarantee broken; the figures say how much was checked.
 */
export interface FaultReport {
  readonly fault: string;
  readonly requests: number;
  readonly answers: Record<string, number>;
  /** Disclosure answers 200, each of which must have its committed audit event. */
  readonly decisionsAnswered: number;
  readonly auditEventsChecked: number;
  /** Decisions answered 200 that named a consent write to be consistent with, each checked against when the view applied it. */
  readonly consistentDecisions: number;
  /** Acknowledged consent writes, each of which must be in consent's store and applied by disclosure's view. */
  readonly consentWritesAcknowledged: number;
  readonly consentEventsChecked: number;
  /** Messages read back from the topics to check the relays; duplicates are harmless (applied once) but counted. */
  readonly topicMessagesChecked: number;
  readonly topicDuplicates: number;
  readonly lost: number;
  readonly duplicatedEffects: number;
  readonly violations: readonly string[];
}

const CONSENT_TYPES = ['ConsentGranted', 'ConsentPaused', 'ConsentResumed', 'ConsentWithdrawn'];
const STATUS_AFTER: Record<string, string> = { ConsentGranted: 'active', ConsentPaused: 'paused', ConsentResumed: 'active', ConsentWithdrawn: 'withdrawn' };

export async function checkInvariants(fault: string, world: FaultWorld, load: MixedLoad, { catchUpMs = 90_000 } = {}): Promise<FaultReport> {
  const violations: string[] = [];
  let lost = 0;
  let duplicatedEffects = 0;
  const studentIds = world.students.map((s) => s.studentId);

  // 1. No release without audit: every 200 from disclosure has its audit event, committed.
  const decisions = load.exchanges.filter((e) => e.kind === 'decision' && e.status === 200);
  const audited = await world.query<{ request_id: string; disclosure_id: string; event_id: string; position: string }>(
    'disclosure',
    `SELECT data::json->'input'->'request'->>'requestId' AS request_id, data::json->>'disclosureId' AS disclosure_id, event_id, position
       FROM silta_events WHERE type = 'DisclosureDecided' AND stream_id = ANY($1)`,
    [studentIds.map((s) => `audit-${s}`)],
  );
  const auditedRequests = new Map(audited.map((row) => [row.request_id, row.disclosure_id]));
  const unaudited = decisions.filter((d) => auditedRequests.get(d.requestId!) !== d.disclosureId);
  if (unaudited.length > 0) {
    lost += unaudited.length;
    violations.push(`${unaudited.length} of ${decisions.length} disclosure answers 200 have no committed audit event (releases without audit), e.g. request ${unaudited[0]!.requestId}`);
  }

  // 2. Every acknowledged consent write is in consent's store.
  const acknowledged = load.exchanges.filter((e) => e.kind !== 'decision' && (e.status === 200 || e.status === 201));
  const consentEvents = await world.query<{ event_id: string; type: string; consent_id: string; position: string; stream_id: string; revision: string }>(
    'consent',
    `SELECT event_id, type, data::json->>'consentId' AS consent_id, position, stream_id, revision FROM silta_events WHERE type = ANY($1) ORDER BY position`,
    [CONSENT_TYPES],
  );
  const stored = new Set(consentEvents.map((e) => e.event_id));
  const notStored = acknowledged.filter((e) => !e.eventId || !stored.has(e.eventId));
  if (notStored.length > 0) {
    lost += notStored.length;
    violations.push(`${notStored.length} of ${acknowledged.length} acknowledged consent writes are not in consent's store, e.g. ${notStored[0]!.kind} of ${notStored[0]!.consentId}`);
  }

  // 3. ... and reaches disclosure's view exactly once in effect: every consent event is marked
  //    applied by the view's group (once: the marker is its key), and each consent's row in the view
  //    stands where the store's last event for it left it. The view may need time to catch up after
  //    the fault: it must, without anyone restarting it.
  const group = `${VIEW_CONSUMER_GROUP}${world.groupSuffix}`;
  const lastByConsent = new Map<string, string>();
  for (const e of consentEvents) lastByConsent.set(e.consent_id, e.type);
  let viewProblem = '';
  const viewAgrees = async (): Promise<boolean> => {
    const applied = new Set(
      (await world.query<{ event_id: string }>('disclosure', 'SELECT event_id FROM silta_processed_events WHERE consumer = $1 AND event_id = ANY($2)', [group, [...stored]])).map((r) => r.event_id),
    );
    const unapplied = consentEvents.filter((e) => !applied.has(e.event_id));
    const rows = await world.query<{ consent_id: string; status: string }>('disclosure', 'SELECT consent_id, status FROM dv_consents WHERE consent_id = ANY($1)', [[...lastByConsent.keys()]]);
    const rowStatus = new Map(rows.map((r) => [r.consent_id, r.status]));
    const wrong = [...lastByConsent].filter(([consentId, type]) => rowStatus.get(consentId) !== STATUS_AFTER[type]);
    viewProblem =
      unapplied.length > 0 || wrong.length > 0
        ? `${unapplied.length} of ${consentEvents.length} consent events not applied by ${group}; ${wrong.length} of ${lastByConsent.size} consents stand otherwise in the view than in the store` +
          (wrong[0] ? ` (e.g. ${wrong[0][0]}: store ${STATUS_AFTER[wrong[0][1]]}, view ${rowStatus.get(wrong[0][0]) ?? 'missing'})` : '')
        : '';
    return viewProblem === '';
  };
  try {
    await eventually(viewAgrees, catchUpMs, () => viewProblem);
  } catch {
    violations.push(`disclosure's view did not catch up with consent's store: ${viewProblem}`);
  }
  // 4. Read your writes: a decision that had to be consistent with a consent write was answered
  //    only after disclosure's view had applied that write.
  const consistent = decisions.filter((d) => d.consistentWith);
  const appliedAt = new Map(
    (
      await world.query<{ event_id: string; processed_at: Date }>('disclosure', 'SELECT event_id, processed_at FROM silta_processed_events WHERE consumer = $1 AND event_id = ANY($2)', [
        group,
        consistent.map((d) => d.consistentWith),
      ])
    ).map((r) => [r.event_id, r.processed_at.getTime()]),
  );
  const stale = consistent.filter((d) => !(appliedAt.get(d.consistentWith!)! <= d.at));
  if (stale.length > 0) violations.push(`${stale.length} of ${consistent.length} decisions were answered before the view applied the consent write they had to be consistent with`);

  // Duplicated effects: a request audited twice, or a consent whose view row counts more grants
  // (its version) than the store holds.
  const perRequest = new Map<string, number>();
  for (const row of audited) perRequest.set(row.request_id, (perRequest.get(row.request_id) ?? 0) + 1);
  const auditedTwice = [...perRequest.values()].filter((n) => n > 1).length;
  const versions = await world.query<{ consent_id: string; version: number }>('disclosure', 'SELECT consent_id, version FROM dv_consents WHERE consent_id = ANY($1)', [[...lastByConsent.keys()]]);
  const grants = new Map<string, number>();
  for (const e of consentEvents) if (e.type === 'ConsentGranted') grants.set(e.consent_id, (grants.get(e.consent_id) ?? 0) + 1);
  const overApplied = versions.filter((v) => Number(v.version) > (grants.get(v.consent_id) ?? 0)).length;
  duplicatedEffects = auditedTwice + overApplied;
  if (duplicatedEffects > 0) violations.push(`duplicated effects: ${auditedTwice} requests audited more than once, ${overApplied} consents at a version beyond their grants`);

  // 5. No event missing from a topic up to its relay's checkpoint (consent's consent events,
  //    disclosure's decisions); duplicates counted.
  const relayed = async (app: 'consent' | 'disclosure') =>
    BigInt((await world.query<{ checkpoint: string | null }>(app, 'SELECT max(checkpoint::bigint) AS checkpoint FROM silta_relay_state'))[0]?.checkpoint ?? '0');
  const [consentCheckpoint, disclosureCheckpoint] = [await relayed('consent'), await relayed('disclosure')];
  const expected = new Map<string, string>(); // event id -> topic
  for (const e of consentEvents) if (BigInt(e.position) <= consentCheckpoint) expected.set(e.event_id, Topics.consent);
  for (const e of audited) if (BigInt(e.position) <= disclosureCheckpoint) expected.set(e.event_id, Topics.disclosure);
  const seen = await readEventIds([Topics.consent, Topics.disclosure], new Set(studentIds), new Set(expected.keys()));
  const missing = [...expected.keys()].filter((id) => !seen.counts.has(id));
  if (missing.length > 0) {
    lost += missing.length;
    violations.push(`${missing.length} of ${expected.size} events at or before their relay's checkpoint are missing from their topic, e.g. ${missing[0]} on ${expected.get(missing[0]!)}`);
  }
  const topicDuplicates = [...seen.counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

  return {
    fault,
    requests: load.exchanges.length,
    answers: load.summary(),
    decisionsAnswered: decisions.length,
    auditEventsChecked: audited.length,
    consistentDecisions: consistent.length,
    consentWritesAcknowledged: acknowledged.length,
    consentEventsChecked: consentEvents.length,
    topicMessagesChecked: seen.messages,
    topicDuplicates,
    lost,
    duplicatedEffects,
    violations,
  };
}

/**
 * Reads `topics` from the start until every wanted event id was seen (or 60 s), counting each
 * event id among the messages keyed by one of `keys`.
 */
async function readEventIds(topics: readonly string[], keys: ReadonlySet<string>, wanted: ReadonlySet<string>): Promise<{ counts: Map<string, number>; messages: number }> {
  const kafka = testKafka(`fault-checker-${Date.now()}`);
  const consumer = kafka.consumer({ groupId: `fault-checker-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const counts = new Map<string, number>();
  let messages = 0;
  let found = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let done!: () => void;
    const complete = new Promise<void>((resolve) => (done = resolve));
    if (wanted.size === 0) done();
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (!message.key || !keys.has(message.key.toString())) return;
        const id = message.headers?.[MessageHeaders.eventId]?.toString();
        if (!id) return;
        messages++;
        const n = (counts.get(id) ?? 0) + 1;
        counts.set(id, n);
        if (n === 1 && wanted.has(id) && ++found === wanted.size) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([complete, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
    clearTimeout(timer);
    return { counts, messages };
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Prints the figures in the test output, where a reader of CI's log finds them; `sections` adds a
 * line of a fault's own figures each (e.g. { 'welfare area': { receiptsAcknowledged: 12 } }).
 */
export function printReport(report: FaultReport, sections: Record<string, Record<string, number | string>> = {}): void {
  const { violations, answers, ...figures } = report;
  process.stdout.write(
    `\nfault: ${report.fault}\n` +
      `  ${Object.entries(figures)
        .filter(([name]) => name !== 'fault')
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}\n` +
      `  answers: ${Object.entries(answers)
        .map(([kind, n]) => `${kind}: ${n}`)
        .join(', ')}\n` +
      Object.entries(sections)
        .map(([title, values]) => `  ${title}: ${Object.entries(values).map(([name, value]) => `${name}=${value}`).join(' ')}\n`)
        .join('') +
      (violations.length > 0 ? `  VIOLATIONS:\n${violations.map((v) => `    - ${v}`).join('\n')}\n` : '  violations: none\n'),
  );
}
