import { EntitySchema } from 'typeorm';

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
