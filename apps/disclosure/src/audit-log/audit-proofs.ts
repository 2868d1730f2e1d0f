import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StreamNotFoundError, type EventStore, type RecordedEvent } from '@silta/event-store';
import { EVENT_STORE, ProblemError, orgOf, type Principal } from '@silta/platform';
import { auditStreamOf, type DisclosureExplained, type DisclosureReceived, type EmergencyAccessReviewed } from '../domain/audit-events';
import { auditorScope } from '../queries/auditor-scope';
import { DecisionRecordEntity } from '../queries/decision-record.entity';
import { AuditCheckpointer, AuditLogDivergedError, type AuditCheckpoint } from '@silta/audit-trail';
import type { AuditBundle, BundleEvent } from '@silta/transparency';

/** An inclusion proof of one audit event against a signed checkpoint. */
export interface InclusionAnswer {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Lowercase hex, as in the event's metadata. */
  readonly leafHash: string;
  /** Base64 hashes, RFC 9162 order. */
  readonly proof: string[];
  readonly checkpoint: AuditCheckpoint;
}

export interface ConsistencyAnswer {
  readonly from: number;
  readonly to: number;
  readonly proof: string[];
}

const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');

/**
 * The audit API's answers: checkpoints, inclusion and consistency proofs (public cryptographic
 * material: hashes only, for any auditor), and offline bundles (events with their data, so
 * scoped to the auditor's organisation as the other audit queries are).
 */
@Injectable()
export class AuditProofs {
  constructor(
    private readonly checkpointer: AuditCheckpointer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  identity() {
    return this.checkpointer.identity;
  }

  checkpointNow(): Promise<AuditCheckpoint> {
    return guard(async () => (await this.checkpointer.checkpoint())!);
  }

  latest(): Promise<AuditCheckpoint> {
    return guard(async () => {
      const latest = await this.checkpointer.latest();
      if (!latest) throw new ProblemError(404, 'no_checkpoint', 'no checkpoint has been signed yet; POST /v1/audit/log/checkpoints makes one');
      return latest;
    });
  }

  /** Proof of the disclosure's decision against the checkpoint at `size`, or the latest (made now if none covers it). */
  inclusion(disclosureId: string, size: number | undefined): Promise<InclusionAnswer> {
    return guard(async () => {
      const leaf = await this.checkpointer.leafOf(disclosureId);
      if (!leaf) throw new ProblemError(404, 'not_in_audit_log', `no event ${disclosureId} in the audit log`);
      const checkpoint = size === undefined ? await this.covering(leaf.index) : await this.checkpointAt(size);
      if (leaf.index >= checkpoint.size) {
        throw new ProblemError(409, 'not_in_checkpoint', `leaf ${leaf.index} is not in the checkpoint of size ${checkpoint.size}; ask for a later one`);
      }
      const proof = await this.checkpointer.inclusionProof(leaf.index, checkpoint.size);
      return { leafIndex: leaf.index, treeSize: checkpoint.size, leafHash: hex(leaf.hash), proof: proof.map(base64), checkpoint };
    });
  }

  /** Consistency proof between sizes `from` and `to` (default: the latest checkpoint's size). */
  consistency(from: number, to: number | undefined): Promise<ConsistencyAnswer> {
    return guard(async () => {
      const newSize = to ?? (await this.latest()).size;
      const size = await this.checkpointer.size();
      if (from > newSize) throw new ProblemError(400, 'invalid_request', `from (${from}) is larger than to (${newSize})`);
      if (newSize > size) throw new ProblemError(400, 'invalid_request', `to (${newSize}) is larger than the audit log (${size} events)`);
      const proof = await this.checkpointer.consistencyProof(from, newSize);
      return { from, to: newSize, proof: proof.map(base64) };
    });
  }

  /** Every audit event of one student (studentId) or one disclosure (disclosureId) that the auditor's scope covers. */
  bundle(target: { studentId?: string; disclosureId?: string }, caller: Principal): Promise<AuditBundle> {
    return guard(async () => {
      const scope = auditorScope(caller);
      let studentId: string;
      let disclosures: Set<string>;
      if (target.disclosureId) {
        const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId: target.disclosureId, ...scope });
        if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${target.disclosureId} in your organisation's scope`);
        studentId = row.studentId;
        disclosures = new Set([row.disclosureId]);
      } else {
        studentId = target.studentId!;
        const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { studentId, ...scope }, select: { disclosureId: true } });
        if (rows.length === 0) throw new ProblemError(404, 'student_not_in_scope', `no decisions about student ${studentId} in your organisation's scope`);
        disclosures = new Set(rows.map((row) => row.disclosureId));
      }
      const inScope = (event: RecordedEvent) => eventInScope(event, disclosures, caller, target.disclosureId === undefined);
      const events = (await this.readStudentLog(studentId)).filter(inScope);
      const leaves = [];
      for (const event of events) {
        const leaf = await this.checkpointer.leafOf(event.id);
        if (!leaf || leaf.streamId !== event.streamId) throw new ProblemError(500, 'audit_log_diverged', `event ${event.id} of ${event.streamId} is not in the audit log`);
        leaves.push({ event, leaf });
      }
      const last = Math.max(-1, ...leaves.map(({ leaf }) => leaf.index));
      const checkpoint = await this.covering(last);
      const bundled: BundleEvent[] = [];
      for (const { event, leaf } of leaves) {
        const proof = await this.checkpointer.inclusionProof(leaf.index, checkpoint.size);
        bundled.push({ leafIndex: leaf.index, streamId: event.streamId, type: event.type, data: event.data, leafHash: hex(leaf.hash), proof: proof.map(base64) });
      }
      const { origin, verifierKey } = this.checkpointer.identity;
      return { origin, verifierKey, checkpoint: checkpoint.note, events: bundled };
    });
  }

  private async readStudentLog(studentId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(auditStreamOf(studentId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** The latest checkpoint if it covers leaf `index`, else a new one (which does, once the leaf is read). */
  private async covering(index: number): Promise<AuditCheckpoint> {
    const latest = await this.checkpointer.latest();
    if (latest && latest.size > index) return latest;
    return (await this.checkpointer.checkpoint())!;
  }

  private async checkpointAt(size: number): Promise<AuditCheckpoint> {
    const checkpoint = await this.checkpointer.checkpointAt(size);
    if (!checkpoint) throw new ProblemError(404, 'no_checkpoint', `no checkpoint of size ${size}`);
    return checkpoint;
  }
}

/**
 * Which of a student's audit events a bundle holds: decisions and reviews of disclosures in the
 * auditor's scope; for a student bundle also explanations asked by the auditor's own welfare area
 * (or, for a municipality's auditor, all of them: they concern its student and release nothing).
 */
function eventInScope(event: RecordedEvent, disclosures: ReadonlySet<string>, caller: Principal, wholeStudent: boolean): boolean {
  switch (event.type) {
    case 'DisclosureDecided':
      return disclosures.has(event.id);
    case 'EmergencyAccessReviewed':
      return disclosures.has((event.data as EmergencyAccessReviewed).disclosureId);
    case 'DisclosureReceived':
      return disclosures.has((event.data as DisclosureReceived).disclosureId);
    case 'DisclosureExplained':
      return wholeStudent && (orgOf(caller)?.kind === 'municipality' || (event.data as DisclosureExplained).requester.org === caller.org);
    default:
      return wholeStudent;
  }
}

/** A log that no longer matches its own leaf hashes is reported, not proven. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuditLogDivergedError) throw new ProblemError(500, 'audit_log_diverged', error.message);
    throw error;
  }
}
