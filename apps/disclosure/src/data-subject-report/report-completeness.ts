import type { FindOptionsWhere } from 'typeorm';
import type { StreamCompleteness } from '@silta/audit-trail';
import type { RecordedEvent } from '@silta/event-store';
import { upcastDisclosureDecided, type StoredDisclosureDecided } from '@silta/decision';
import type { DecisionRecordRow } from '../shared/decision-record.entity';
import { decisionRowOf } from '../shared/decision-row';
import type { ReportCompleteness, ReportPeriod } from './report-format';

// Whether a data-subject report lists every decision the audit log holds for it. The report is
// read from the decision records (a projection); the audit stream is the truth, measured against
// a signed checkpoint (streamCompleteness). Pure: the handler reads the stream and the records.

/** Which of the student's decisions a report owes its reader. */
export interface ReportView {
  readonly period: ReportPeriod;
  /** The reader's scope as the report's own query applies it (plain column values: an auditor's organisation). */
  readonly scope: FindOptionsWhere<DecisionRecordRow>;
  /** Roles whose decisions the report leaves out on purpose: for a guardian, those the student hid from guardians. */
  readonly omittedRoles: readonly string[];
  /**
   * The student's own report, the only one whose reader may learn of every event in the stream:
   * it alone states counts of the stream's events. A guardian's or an auditor's report leaves out
   * decisions on purpose (hidden roles, other organisations), and a count would reveal them.
   */
  readonly wholeStream: boolean;
}

/**
 * The disclosure ids of the decisions among `events` that the report owes its reader: decided in
 * the period, within the reader's scope, of a role not omitted. The others are accounted for by
 * being out of the reader's view, and are never named.
 */
export function owedDisclosures(events: readonly RecordedEvent[], view: ReportView): string[] {
  return events
    .filter((event) => event.type === 'DisclosureDecided')
    .map((event) => decisionRowOf(upcastDisclosureDecided(event.data as StoredDisclosureDecided), event.position.toString()))
    .filter((row) => row.decidedAt >= view.period.from && row.decidedAt <= view.period.to)
    .filter((row) => inScope(row, view.scope) && !view.omittedRoles.includes(row.requesterRole))
    .map((row) => row.disclosureId);
}

/**
 * The report's completeness: complete when the student's audit stream is exactly what the
 * checkpoint commits to and every decision in it that the report owes its reader is an entry.
 */
export function reportCompleteness(proof: StreamCompleteness, reported: readonly string[], view: ReportView): ReportCompleteness {
  const listed = new Set(reported);
  const missingDisclosures = owedDisclosures(proof.covered, view).filter((id) => !listed.has(id));
  const auditTrailIntact = proof.gaps.length === 0;
  return {
    complete: auditTrailIntact && missingDisclosures.length === 0,
    checkpoint: proof.checkpoint ? { origin: proof.checkpoint.origin, size: proof.checkpoint.size, note: proof.checkpoint.note } : null,
    missingDisclosures,
    auditTrailIntact,
    ...(view.wholeStream && {
      auditEvents: { inCheckpoint: proof.entry?.count ?? 0, found: proof.covered.length, notYetCheckpointed: proof.notYetCheckpointed },
    }),
  };
}

/** The report's query scope as a test of one row: every column it names has the value it names. */
function inScope(row: DecisionRecordRow, scope: FindOptionsWhere<DecisionRecordRow>): boolean {
  return Object.entries(scope).every(([column, value]) => row[column as keyof DecisionRecordRow] === value);
}
