// What disclosure's audit routes answer, as this console reads it. The controllers are the truth:
// apps/disclosure/src/shared/decision-view.responses.ts (DisclosureDecision, DisclosurePage),
// review-emergency/review-emergency.responses.ts and audit-log-state/audit-log-state.ts.

export type Outcome = 'permit' | 'partial' | 'deny';
export type ReviewOutcome = 'justified' | 'unjustified';

export interface CategoryDecision {
  readonly category: string;
  readonly outcome: 'permit' | 'deny';
  readonly reason: string;
}

export interface OrganisationReview {
  readonly organisation: string;
  readonly reviewedAs: 'controller' | 'recipient';
  readonly outcome: string;
  readonly reviewedAt: string;
  readonly reviewedBy: string;
}

/** A recorded decision: who asked for which student's data, on what basis, and what was released. Never the data. */
export interface Decision {
  readonly disclosureId: string;
  readonly requestId: string;
  readonly decidedAt: string;
  readonly requester: { readonly sub: string; readonly role: string; readonly org: string };
  readonly studentId: string;
  readonly basis: string;
  readonly purpose: string;
  readonly outcome: Outcome;
  readonly categories: readonly CategoryDecision[];
  readonly flags: { readonly supervision: boolean; readonly review: boolean };
  readonly emergencyWindow?: { readonly startedAt: string; readonly endsAt: string };
  readonly caseId?: string;
  readonly justification?: string;
  readonly reviews?: readonly OrganisationReview[];
}

export interface DecisionPage {
  readonly disclosures: readonly Decision[];
  readonly nextCursor: string | null;
}

export interface ReviewAnswer {
  readonly disclosureId: string;
  readonly outcome: ReviewOutcome;
  readonly reviewedAs: 'controller' | 'recipient';
  readonly reviewedAt: string;
}

export interface Cosignature {
  readonly witness: string;
  readonly witnessKey: string;
  readonly size: number;
  readonly cosignedAt: string;
}

export type Alarm =
  | { readonly kind: 'witness'; readonly origin: string; readonly size: number; readonly reason: string; readonly raisedAt: string }
  | { readonly kind: 'consumer'; readonly consumer: string; readonly topic: string; readonly eventType: string | null; readonly reason: string; readonly raisedAt: string };

export interface AuditLogState {
  readonly origin: string;
  readonly logSize: number;
  readonly size: number | null;
  readonly rootHash: string | null;
  readonly checkpoint: string | null;
  readonly checkpointedAt: string | null;
  readonly cosignatures: readonly Cosignature[];
  readonly lastCosigned: Cosignature | null;
  readonly alarms: readonly Alarm[];
}
