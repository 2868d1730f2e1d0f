import type { EntityMetadata } from 'typeorm';
import type { DisclosureDecided } from '@silta/decision';
import type { InlineProjection, ProjectionValue } from '@silta/event-store';
import type { DecisionRecordRow } from './decision-record.entity';

/** The audit API's row of a recorded decision (the audit stream is the truth; this row is derived). */
export function decisionRowOf(decided: DisclosureDecided, position: string): DecisionRecordRow {
  return {
    disclosureId: decided.disclosureId,
    requestId: decided.input.request.requestId,
    requesterSub: decided.requester.sub,
    requesterRole: decided.requester.role,
    requesterOrg: decided.requester.org,
    studentId: decided.input.request.studentId,
    schoolId: decided.schoolId ?? null,
    municipalityId: decided.municipalityId ?? null,
    basis: decided.input.request.basis,
    outcome: decided.decision.outcome,
    decidedAt: decided.decidedAt,
    record: JSON.stringify(decided),
    auditPosition: position,
    flagSupervision: decided.decision.flags.supervision,
    flagReview: decided.decision.flags.review,
    emergencyWindowStartedAt: decided.decision.emergencyWindow?.startedAt ?? null,
  };
}

/**
 * The decision's row as an inline projection (EventStore.appendWithProjection), so the row commits
 * with its audit event and records that event's position. `table` is the row's entity metadata in
 * the read-model database: it names the table and its columns as the database knows them.
 */
export function decisionRowProjection(table: EntityMetadata, decided: DisclosureDecided): InlineProjection {
  return (appended) => {
    const row = decisionRowOf(decided, appended.position.toString()) as unknown as Record<string, ProjectionValue | undefined>;
    const columns = table.columns.filter((column) => row[column.propertyName] !== undefined);
    return {
      table: table.tableName,
      key: table.primaryColumns.map((column) => column.databaseName),
      rows: [Object.fromEntries(columns.map((column) => [column.databaseName, row[column.propertyName] as ProjectionValue]))],
    };
  };
}
