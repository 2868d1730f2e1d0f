import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntitySchema, In, IsNull, type EntityManager, type FindOptionsSelect, type FindOptionsWhere } from 'typeorm';
import { AUDIT_STREAM_PREFIX } from '@silta/audit-trail';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { EVENT_STORE } from '@silta/platform';
import { upcastDisclosureDecided, type DisclosureExplained, type DisclosureReceived, type EmergencyAccessReviewed, type StoredDisclosureDecided } from '@silta/decision';
import { AuditLog } from './audit-log';
import { DecisionRecordEntity } from './decision-record.entity';
import { decisionRowOf } from './decision-row';
import { EmergencyReviewEntity, writeReviewRows } from './emergency-review.entity';
import { ExplanationRecordEntity, writeExplanationRows } from './explanation-record.entity';
import { REVIEW_STREAM_PREFIX, decidedReviewOf, recordReview } from './review-stream';

/** How far the catch-up has read the audit log: one row. */
export interface CatchUpPositionRow {
  name: string;
  position: string;
}

export const CatchUpPositionEntity = new EntitySchema<CatchUpPositionRow>({
  name: 'AuditRecordCatchUpPosition',
  tableName: 'disclosure_record_catch_up',
  columns: {
    name: { type: String, primary: true, length: 40 },
    position: { type: String, length: 40 },
  },
});

const NAME = 'audit-records';

/** Injection token for how old (ms) an event must be before the catch-up looks at it (tests set 0). */
export const SETTLED_AFTER = Symbol('AUDIT_RECORD_CATCH_UP_SETTLED_AFTER_MS');
const PAGE_SIZE = 500;
/**
 * How often the log is read even when nothing failed, so that a boot after a crash has at most
 * this much of the log to read. Reading is the whole cost (every event decoded once more), and a
 * run every few seconds cost the decisions benchmark a tenth of its throughput.
 */
const INTERVAL_MS = 60 * 60_000;
/**
 * Only events at least this old are looked at: a younger one's request may still be writing its
 * row (inserting the same row at the same time deadlocked the two writers under load), and a
 * request that has not written its row by then has failed.
 */
const SETTLED_AFTER_MS = 30_000;

/**
 * Keeps the audit API's rows (decisions, reviews, explanations, receipts) complete with respect to
 * the audit log, which is the truth. A request appends its event and then writes its row in a
 * second step (save a decision's row on PostgreSQL, which commits with its event); a crash or a
 * database error between the two would leave an audited event the auditor API cannot see. This
 * reads the log from where it last stopped and writes each missing row of events older than half
 * a minute: at boot (after a crash), soon after a request reports that its row write failed
 * (`rowWriteFailed`), and hourly. Rows already there are left as they
 * are: it only inserts what is missing (and a receipt time not yet set). A review is decided on a
 * stream of its own before its audit event is appended: that audit event, if missing, is written too.
 */
@Injectable()
export class AuditRecordCatchUp implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit-record-catch-up');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** The audit log on the same store (it holds nothing else), for reviews' missing audit events. */
  private readonly auditLog: AuditLog;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Optional() @Inject(SETTLED_AFTER) private readonly settledAfterMs: number = SETTLED_AFTER_MS,
  ) {
    this.auditLog = new AuditLog(store);
  }

  /** The first run waits until what was appended before this boot (a crash's victims) has settled. */
  onApplicationBootstrap(): void {
    this.runIn(this.settledAfterMs + 1_000);
  }

  /**
   * A request appended an audit event and then failed to write its row: read the log once the
   * event has settled. (The row's event is older than the stored position only if an earlier run
   * already saw it missing and wrote it.)
   */
  rowWriteFailed(): void {
    this.runIn(this.settledAfterMs + 1_000);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Schedules the next run `delayMs` from now, unless one is due sooner. */
  private runIn(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.timer && this.nextRunAt <= due) return;
    clearTimeout(this.timer);
    this.nextRunAt = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = (this.running ?? Promise.resolve())
        .then(() => this.catchUp())
        .then(
          () => this.runIn(INTERVAL_MS),
          (error: unknown) => {
            this.logger.warn(`catch-up failed, retrying in a minute: ${(error as Error).message}`);
            this.runIn(60_000);
          },
        );
    }, delayMs);
    this.timer.unref();
  }

  private nextRunAt = 0;

  /** Reads the log to its end from the stored position; answers how many audit events it looked at. */
  async catchUp(): Promise<number> {
    const manager = this.dataSource.manager;
    const stored = await manager.findOneBy(CatchUpPositionEntity, { name: NAME });
    let after = stored ? BigInt(stored.position) : undefined;
    let seen = 0;
    for (;;) {
      const read = await this.store.readAll({ ...(after === undefined ? {} : { after }), maxCount: PAGE_SIZE });
      const settledBefore = Date.now() - this.settledAfterMs;
      const unsettled = read.findIndex((event) => event.recordedAt.getTime() > settledBefore);
      const page = unsettled === -1 ? read : read.slice(0, unsettled);
      if (page.length === 0) return seen;
      await this.recordDecidedReviews(page);
      const audit = page.filter((event) => event.streamId.startsWith(AUDIT_STREAM_PREFIX));
      await this.dataSource.transaction(async (tx) => {
        await writeRows(tx, audit);
        await tx.upsert(CatchUpPositionEntity, { name: NAME, position: page[page.length - 1]!.position.toString() }, ['name']);
      });
      seen += audit.length;
      after = page[page.length - 1]!.position;
    }
  }

  /**
   * A review is decided on its own stream, and its request then appends the audit event and writes
   * the row; if the request died in between, the audit record is written here. A review with a row
   * has its audit event (the row is written after it).
   */
  private async recordDecidedReviews(page: readonly RecordedEvent[]): Promise<void> {
    const manager = this.dataSource.manager;
    for (const event of page.filter((e) => e.streamId.startsWith(REVIEW_STREAM_PREFIX))) {
      const decided = decidedReviewOf(event);
      const { disclosureId, reviewer } = decided.review;
      if (await manager.existsBy(EmergencyReviewEntity, { disclosureId, reviewerOrg: reviewer.org })) continue;
      await recordReview(this.auditLog, manager, decided);
    }
  }
}

/**
 * Inserts the rows of these audit events that are missing; rows already present stay untouched.
 * Nearly every row is there already (its request wrote it), so the ids are looked up first and
 * only the missing events are decoded and written.
 */
async function writeRows(manager: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
  const decided = await missing(manager, DecisionRecordEntity, 'disclosureId', events.filter((e) => e.type === 'DisclosureDecided'), (e) => e.id);
  if (decided.length) {
    const rows = decided.map((e) => decisionRowOf(upcastDisclosureDecided(e.data as StoredDisclosureDecided), e.position.toString()));
    await manager.createQueryBuilder().insert().into(DecisionRecordEntity).values(rows).orIgnore().execute();
  }
  const explained = await missing(manager, ExplanationRecordEntity, 'explanationId', events.filter((e) => e.type === 'DisclosureExplained'), (e) => e.id);
  await writeExplanationRows(manager, explained.map((e) => e.data as DisclosureExplained));
  // Reviews and receipts are rare: written (or left) as they are.
  await writeReviewRows(manager, events.filter((e) => e.type === 'EmergencyAccessReviewed').map((e) => e.data as EmergencyAccessReviewed));
  for (const receipt of events.filter((e) => e.type === 'DisclosureReceived').map((e) => e.data as DisclosureReceived)) {
    await manager.update(DecisionRecordEntity, { disclosureId: receipt.disclosureId, receiptAt: IsNull() }, { receiptAt: receipt.receivedAt, receiptDataHash: receipt.dataHash });
  }
}

/** The events whose row (found by `key` = `idOf(event)`) is not in the table. */
async function missing<Row extends object>(
  manager: EntityManager,
  entity: EntitySchema<Row>,
  key: keyof Row & string,
  events: readonly RecordedEvent[],
  idOf: (event: RecordedEvent) => string,
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const present = await manager.find(entity, { where: { [key]: In(events.map(idOf)) } as FindOptionsWhere<Row>, select: { [key]: true } as FindOptionsSelect<Row> });
  const have = new Set(present.map((row) => String(row[key])));
  return events.filter((event) => !have.has(idOf(event)));
}
