import { EntitySchema } from 'typeorm';

/**
 * One row per decision, for idempotent requests and for the log and audit queries. The audit
 * stream is the truth; this table is derived from it (written in the transaction of each append on
 * PostgreSQL, right after it elsewhere, from the recorded event) and can be rebuilt by replaying
 * the streams.
 */
export interface DecisionRecordRow {
  disclosureId: string;
  requestId: string;
  requesterSub: string;
  requesterRole: string;
  requesterOrg: string;
  studentId: string;
  schoolId: string | null;
  municipalityId: string | null;
  basis: string;
  outcome: string;
  decidedAt: string;
  /** The whole DisclosureDecided event as recorded, JSON. */
  record: string;
  auditPosition: string;
  /** A necessity decision: listed for supervision. */
  flagSupervision: boolean;
  /** An emergency decision: queued for each organisation's review (disclosure_emergency_reviews). */
  flagReview: boolean;
  emergencyWindowStartedAt: string | null;
  /** When the requester acknowledged receiving the released data; optional so older writers need not name it. */
  receiptAt?: string | null;
  /** The hex SHA-256 of the canonical JSON of the data the requester says they received. */
  receiptDataHash?: string | null;
}

export const DecisionRecordEntity = new EntitySchema<DecisionRecordRow>({
  name: 'DecisionRecord',
  tableName: 'disclosure_decisions',
  columns: {
    disclosureId: { name: 'disclosure_id', type: String, primary: true, length: 64 },
    requestId: { name: 'request_id', type: String, length: 200 },
    requesterSub: { name: 'requester_sub', type: String, length: 200 },
    requesterRole: { name: 'requester_role', type: String, length: 40 },
    requesterOrg: { name: 'requester_org', type: String, length: 200 },
    studentId: { name: 'student_id', type: String, length: 200 },
    schoolId: { name: 'school_id', type: String, length: 200, nullable: true },
    municipalityId: { name: 'municipality_id', type: String, length: 200, nullable: true },
    basis: { type: String, length: 40 },
    outcome: { type: String, length: 20 },
    decidedAt: { name: 'decided_at', type: String, length: 40 },
    record: { type: 'text' },
    auditPosition: { name: 'audit_position', type: String, length: 40 },
    flagSupervision: { name: 'flag_supervision', type: Boolean, default: false },
    flagReview: { name: 'flag_review', type: Boolean, default: false },
    emergencyWindowStartedAt: { name: 'emergency_window_started_at', type: String, length: 40, nullable: true },
    receiptAt: { name: 'receipt_at', type: String, length: 40, nullable: true },
    receiptDataHash: { name: 'receipt_data_hash', type: String, length: 64, nullable: true },
  },
  indices: [
    { name: 'disclosure_decisions_student', columns: ['studentId', 'decidedAt'] },
    { name: 'disclosure_decisions_requester', columns: ['requesterSub', 'decidedAt'] },
  ],
});
