import { EntitySchema, type EntityManager } from 'typeorm';
import type { DisclosureExplained } from '@silta/decision';

/**
 * One recorded explanation, so a repeated requestId answers what was recorded and a requestId
 * reused for another request is a conflict. Derived from the DisclosureExplained events of the
 * audit log, like the decision rows.
 */
export interface ExplanationRecordRow {
  explanationId: string;
  studentId: string;
  decidedAt: string;
  /** The whole DisclosureExplained event as recorded, JSON. */
  record: string;
}

export const ExplanationRecordEntity = new EntitySchema<ExplanationRecordRow>({
  name: 'ExplanationRecord',
  tableName: 'disclosure_explanations',
  columns: {
    explanationId: { name: 'explanation_id', type: String, primary: true, length: 64 },
    studentId: { name: 'student_id', type: String, length: 200 },
    decidedAt: { name: 'decided_at', type: String, length: 40 },
    record: { type: 'text' },
  },
});

/** Records explanations as rows; a row already there (a retry, or the catch-up of the log) stays. */
export async function writeExplanationRows(manager: EntityManager, explanations: readonly DisclosureExplained[]): Promise<void> {
  if (explanations.length === 0) return;
  await manager
    .createQueryBuilder()
    .insert()
    .into(ExplanationRecordEntity)
    .values(explanations.map((e) => ({ explanationId: e.explanationId, studentId: e.input.request.studentId, decidedAt: e.decidedAt, record: JSON.stringify(e) })))
    .orIgnore()
    .execute();
}
