import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Refusal } from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { EVENT_STORE, orgOf, type Principal } from '@silta/platform';
import { auditStreamOf, type DisclosureExplained } from '@silta/decision';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { AuditLogQueries, guard, type AuditLeaf } from '@silta/audit-trail';
import { BUNDLE_FORMAT, type AuditBundle, type BundleCompleteness, type BundleEvent } from '@silta/transparency';
import { disclosureOfEvent, explanationInScope } from './disclosure-audit-scope';

const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');

/**
 * Offline bundles: a student's or a disclosure's audit events with their data and inclusion
 * proofs, scoped to the auditor's organisation as the other audit queries are. A student's bundle
 * that holds the whole of the student's audit stream up to its checkpoint (a municipality's auditor's)
 * also carries the completeness-map proof, so verify-bundle can say it holds every event; a bundle
 * with events withheld claims nothing, and so does not reveal how many there are.
 */
@Injectable()
export class AuditProofs {
  constructor(
    private readonly log: AuditLogQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Every audit event of one student (studentId) or one disclosure (disclosureId) that the auditor's
   * scope covers; for a student asking about themself (the data subject), every event of their own
   * stream, which makes the bundle a complete, verifiable account of what the log holds about them.
   */
  bundle(target: { studentId?: string; disclosureId?: string }, caller: Principal): Promise<ServedBundle> {
    return guard(async () => {
      const { studentId, inScope } = caller.role === 'student' ? ownStream(target, caller) : await this.auditorSelection(target, caller);
      const stream = await this.readStudentLog(studentId);
      const events = stream.filter(inScope);
      const leaves = [];
      for (const event of events) {
        const leaf = await this.log.checkpointer.leafOf(event.id);
        if (!leaf || leaf.streamId !== event.streamId) throw new Refusal('corrupted', 'audit_log_diverged', `event ${event.id} of ${event.streamId} is not in the audit log`);
        leaves.push({ event, leaf });
      }
      const last = Math.max(-1, ...leaves.map(({ leaf }) => leaf.index));
      const checkpoint = await this.log.covering(last);
      const bundled: ServedEvent[] = [];
      for (const { event, leaf } of leaves) {
        if (leaf.index >= checkpoint.size) continue;
        const proof = await this.log.checkpointer.inclusionProof(leaf.index, checkpoint.size);
        bundled.push({ ...placeOf(event, leaf), type: event.type, data: event.data, leafHash: hex(leaf.hash), proof: proof.map(base64) });
      }
      const completeness = target.disclosureId === undefined ? await this.completeness(studentId, bundled, checkpoint.size) : undefined;
      const { origin, verifierKey } = this.log.checkpointer.identity;
      return { format: BUNDLE_FORMAT, origin, verifierKey, checkpoint: checkpoint.note, events: bundled, ...(completeness ? { completeness } : {}) };
    });
  }

  /** The student and the events an auditor's bundle holds: the disclosures in the auditor's scope and what belongs to them. */
  private async auditorSelection(target: { studentId?: string; disclosureId?: string }, caller: Principal): Promise<Selection> {
    const scope = auditorScope(caller);
    if (target.disclosureId) {
      const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId: target.disclosureId, ...scope });
      if (!row) throw new Refusal('not_found', 'disclosure_not_found', `no disclosure ${target.disclosureId} in your organisation's scope`);
      const disclosures = new Set([row.disclosureId]);
      return { studentId: row.studentId, inScope: (event) => eventInScope(event, disclosures, caller, false) };
    }
    const studentId = target.studentId!;
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { studentId, ...scope }, select: { disclosureId: true } });
    if (rows.length === 0) throw new Refusal('not_found', 'student_not_in_scope', `no decisions about student ${studentId} in your organisation's scope`);
    const disclosures = new Set(rows.map((row) => row.disclosureId));
    return { studentId, inScope: (event) => eventInScope(event, disclosures, caller, true) };
  }

  /** The map proof for a student's bundle, when it holds every event of the stream up to the checkpoint. */
  private async completeness(studentId: string, bundled: readonly BundleEvent[], size: number): Promise<BundleCompleteness | undefined> {
    const { stream, entry, proof } = await this.log.checkpointer.mapProof(auditStreamOf(studentId), size);
    if ((entry?.count ?? 0) !== bundled.length) return undefined;
    return { stream, entry: entry ?? null, proof };
  }

  private readStudentLog(studentId: string): Promise<RecordedEvent[]> {
    // One read of the student's stream: it holds one event per decision, review, receipt and explanation.
    return this.store.readStream(auditStreamOf(studentId));
  }
}

/**
 * Which of a student's audit events a bundle holds: decisions, reviews and receipts of disclosures
 * in the auditor's scope; for a student bundle also explanations asked by the auditor's own welfare
 * area (or, for a municipality's auditor, whose scope the student is in, all of them: they concern
 * its student and release nothing).
 */
function eventInScope(event: RecordedEvent, disclosures: ReadonlySet<string>, caller: Principal, wholeStudent: boolean): boolean {
  if (event.type === 'DisclosureExplained') {
    return wholeStudent && (orgOf(caller)?.kind === 'municipality' || explanationInScope(event.data as DisclosureExplained, caller));
  }
  const disclosureId = disclosureOfEvent(event);
  return disclosureId !== undefined && disclosures.has(disclosureId);
}

/** Whose stream a bundle reads, and which of its events it holds. */
interface Selection {
  readonly studentId: string;
  readonly inScope: (event: RecordedEvent) => boolean;
}

/** A student's own bundle: the whole of their stream, and only theirs. */
function ownStream(target: { studentId?: string; disclosureId?: string }, caller: Principal): Selection {
  if (target.studentId !== caller.sub) {
    throw new Refusal('forbidden', 'not_your_student', 'a student may ask for the audit bundle of their own studentId only');
  }
  return { studentId: caller.sub, inScope: () => true };
}

/** A bundled event as this service writes it: every field named, whatever the leaf version. */
type ServedEvent = BundleEvent & { readonly leafVersion: 1 | 2; readonly id: string; readonly revision: number };
type ServedBundle = AuditBundle & { readonly format: typeof BUNDLE_FORMAT; readonly events: readonly ServedEvent[] };

/** Where a bundled event sits: its leaf and, for a v2 leaf, the fields its hash binds. */
function placeOf(event: RecordedEvent, leaf: AuditLeaf): Pick<ServedEvent, 'leafIndex' | 'leafVersion' | 'id' | 'streamId' | 'revision' | 'previous'> {
  const place = { leafIndex: leaf.index, id: event.id, streamId: event.streamId, revision: Number(event.revision) };
  return leaf.version === 2 ? { ...place, leafVersion: 2, previous: leaf.previous } : { ...place, leafVersion: 1 };
}
