import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Refusal } from '@silta/contracts';
import type { EventStore, RecordedEvent } from '@silta/event-store';
import { EVENT_STORE, orgOf, type Principal } from '@silta/platform';
import { auditStreamOf, type DisclosureExplained } from '@silta/decision';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { AuditLogQueries, guard } from '@silta/audit-trail';
import type { AuditBundle, BundleEvent } from '@silta/transparency';
import { disclosureOfEvent, explanationInScope } from './disclosure-audit-scope';

const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');

/**
 * Offline bundles: a student's or a disclosure's audit events with their data and inclusion
 * proofs, scoped to the auditor's organisation as the other audit queries are.
 */
@Injectable()
export class AuditProofs {
  constructor(
    private readonly log: AuditLogQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  /** Every audit event of one student (studentId) or one disclosure (disclosureId) that the auditor's scope covers. */
  bundle(target: { studentId?: string; disclosureId?: string }, caller: Principal): Promise<AuditBundle> {
    return guard(async () => {
      const scope = auditorScope(caller);
      let studentId: string;
      let disclosures: Set<string>;
      if (target.disclosureId) {
        const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId: target.disclosureId, ...scope });
        if (!row) throw new Refusal('not_found', 'disclosure_not_found', `no disclosure ${target.disclosureId} in your organisation's scope`);
        studentId = row.studentId;
        disclosures = new Set([row.disclosureId]);
      } else {
        studentId = target.studentId!;
        const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { studentId, ...scope }, select: { disclosureId: true } });
        if (rows.length === 0) throw new Refusal('not_found', 'student_not_in_scope', `no decisions about student ${studentId} in your organisation's scope`);
        disclosures = new Set(rows.map((row) => row.disclosureId));
      }
      const inScope = (event: RecordedEvent) => eventInScope(event, disclosures, caller, target.disclosureId === undefined);
      const events = (await this.readStudentLog(studentId)).filter(inScope);
      const leaves = [];
      for (const event of events) {
        const leaf = await this.log.checkpointer.leafOf(event.id);
        if (!leaf || leaf.streamId !== event.streamId) throw new Refusal('corrupted', 'audit_log_diverged', `event ${event.id} of ${event.streamId} is not in the audit log`);
        leaves.push({ event, leaf });
      }
      const last = Math.max(-1, ...leaves.map(({ leaf }) => leaf.index));
      const checkpoint = await this.log.covering(last);
      const bundled: BundleEvent[] = [];
      for (const { event, leaf } of leaves) {
        const proof = await this.log.checkpointer.inclusionProof(leaf.index, checkpoint.size);
        bundled.push({ leafIndex: leaf.index, streamId: event.streamId, type: event.type, data: event.data, leafHash: hex(leaf.hash), proof: proof.map(base64) });
      }
      const { origin, verifierKey } = this.log.checkpointer.identity;
      return { origin, verifierKey, checkpoint: checkpoint.note, events: bundled };
    });
  }

  private readStudentLog(studentId: string): Promise<RecordedEvent[]> {
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
