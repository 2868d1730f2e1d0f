// What the welfare professional's pages read and send, as the APIs answer it. The controllers are
// the truth: disclosure's list-my-students, explain-disclosure, request-disclosure,
// list-my-disclosures and read-disclosure slices, roster's read-records answer (the released
// data), and receipts' record-receipt slice.

export const CATEGORIES = [
  'identification',
  'guardian_contacts',
  'absences',
  'lesson_markings',
  'grades',
  'detentions',
  'learning_progress',
  'support_needs',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const BASES = ['identification', 'necessity', 'consent', 'emergency'] as const;
export type Basis = (typeof BASES)[number];

export type Outcome = 'permit' | 'partial' | 'deny';

/** GET disclosure /v1/me/students: the schools served today and a page of their students (ids only). */
export interface MyStudentsPage {
  readonly schools: readonly { schoolId: string; assignmentId: string; validFrom: string; validUntil?: string }[];
  readonly students: readonly { schoolId: string; studentId: string; welfareAccessActive: boolean }[];
  readonly nextCursor: string | null;
}

/** The body of POST /v1/disclosures and of POST /v1/disclosures/explain alike. */
export interface DisclosureRequestBody {
  readonly requestId: string;
  readonly studentId: string;
  readonly categories: readonly Category[];
  readonly basis: Basis;
  readonly purpose: string;
  readonly caseId?: string;
  readonly justification?: string;
}

/** One category's decision with its reason in the caller's language and its legal source. */
export interface CategoryOutcome {
  readonly category: Category;
  readonly outcome: 'permit' | 'deny';
  readonly basis: string;
  readonly reason: string;
  readonly message: string;
  readonly source: string;
}

/** POST /v1/disclosures/explain: what a request would get; nothing is released. */
export interface Explanation {
  readonly explanationId: string;
  readonly outcome: Outcome;
  readonly categories: readonly CategoryOutcome[];
  readonly released: false;
}

export interface EmergencyWindow {
  readonly startedAt: string;
  readonly endsAt: string;
}

/** POST /v1/disclosures: the decision and the released data (roster's records, per permitted category). */
export interface DisclosureAnswer {
  readonly disclosureId: string;
  readonly outcome: Outcome;
  readonly categories: readonly CategoryOutcome[];
  readonly flags: { readonly supervision: boolean; readonly review: boolean };
  readonly emergencyWindow?: EmergencyWindow;
  readonly data: ReleasedData;
  readonly dataHash: string;
  readonly audit: { readonly stream: string; readonly eventId: string; readonly position: string };
}

/** GET /v1/disclosures/{id} and the history's rows: the recorded decision, never the data. */
export interface DisclosureDecision {
  readonly disclosureId: string;
  readonly requestId: string;
  readonly decidedAt: string;
  readonly requester: { readonly sub: string; readonly role: string; readonly org: string };
  readonly studentId: string;
  readonly basis: Basis;
  readonly purpose: string;
  readonly outcome: Outcome;
  readonly categories: readonly { category: Category; outcome: 'permit' | 'deny'; reason: string }[];
  readonly policy: { readonly id: string; readonly version: string; readonly hash: string };
  readonly flags: { readonly supervision: boolean; readonly review: boolean };
  readonly emergencyWindow?: EmergencyWindow;
  readonly caseId?: string;
  readonly justification?: string;
  readonly reviews?: readonly { organisation: string; reviewedAs: string; outcome: string; reviewedAt: string; reviewedBy: string }[];
}

export interface DisclosurePage {
  readonly disclosures: readonly DisclosureDecision[];
  readonly nextCursor: string | null;
}

/** POST receipts /v1/disclosures/{id}/receipt answers the receipt as recorded. */
export interface ReceiptAnswer {
  readonly disclosureId: string;
  readonly receivedCategories: readonly Category[];
  readonly dataHash: string;
  readonly receivedAt: string;
}

interface EducationRecordBase {
  readonly recordId: string;
  readonly date: string;
}

/** Roster's records, one shape per category (apps/roster/src/read-records/read-records.responses.ts). */
export interface ReleasedData {
  readonly identification?: { readonly name: string; readonly birthDate: string; readonly group: string };
  readonly guardian_contacts?: readonly { guardianId: string; name: string; contact: { email?: string; phone?: string } }[];
  readonly absences?: readonly (EducationRecordBase & { hours: number; reason?: string })[];
  readonly lesson_markings?: readonly (EducationRecordBase & { subject: string; marking: string })[];
  readonly grades?: readonly (EducationRecordBase & { subject: string; grade: string })[];
  readonly detentions?: readonly (EducationRecordBase & { reason: string })[];
  readonly learning_progress?: readonly (EducationRecordBase & { subject: string; note: string })[];
  readonly support_needs?: readonly (EducationRecordBase & { level: 'general' | 'intensified' | 'special'; note: string })[];
}

/** The categories a decision released: those permitted (what a receipt must name exactly). */
export function releasedCategories(categories: readonly { category: Category; outcome: string }[]): Category[] {
  return categories.filter((c) => c.outcome === 'permit').map((c) => c.category);
}
