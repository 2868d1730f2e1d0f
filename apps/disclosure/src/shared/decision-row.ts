import type { DisclosureDecided } from '@silta/decision';
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
