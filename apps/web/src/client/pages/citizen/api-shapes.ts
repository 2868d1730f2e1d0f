// The shapes the guardian's and student's pages read, as the consent and disclosure controllers
// answer them (apps/consent/src/*/..responses.ts, apps/disclosure/src/*/..responses.ts).

export const CATEGORIES = ['identification', 'guardian_contacts', 'absences', 'lesson_markings', 'grades', 'detentions', 'learning_progress', 'support_needs'] as const;
export type Category = (typeof CATEGORIES)[number];

export const WELFARE_ROLES = ['curator', 'psychologist', 'nurse', 'doctor'] as const;
export type WelfareRole = (typeof WELFARE_ROLES)[number];

/** Capacity is judged per field: a curator's matters are social welfare, the others' health care. */
export const CAPACITY_FIELDS = ['social_welfare', 'health_care'] as const;
export type CapacityField = (typeof CAPACITY_FIELDS)[number];
export const CAPACITY_FIELD_OF: Readonly<Record<WelfareRole, CapacityField>> = { curator: 'social_welfare', psychologist: 'health_care', nurse: 'health_care', doctor: 'health_care' };

/** The longest purpose the consent contract accepts (MAX_PURPOSE_LENGTH in libs/contracts). */
export const MAX_PURPOSE_LENGTH = 500;

export interface FieldStanding {
  readonly decidesForSelf: boolean;
  readonly assessedOn?: string;
  readonly guardianConsentsCount: boolean;
}

/** consent GET /v1/me/students */
export interface MyStudent {
  readonly studentId: string;
  /** The student's name as roster holds it; null when it holds none. */
  readonly name: string | null;
  readonly schoolId: string | null;
  /** The welfare area declared to serve the school: the recipient the grant form proposes. */
  readonly welfareAreaId: string | null;
  readonly adult: boolean;
  readonly capacity: Readonly<Record<CapacityField, FieldStanding>>;
}
export interface MyStudents {
  readonly students: readonly MyStudent[];
}

export type ConsentStatus = 'active' | 'paused' | 'withdrawn' | 'expired';

/** consent GET /v1/students/{studentId}/consents, one entry */
export interface ConsentSummary {
  readonly consentId: string;
  readonly version: number;
  readonly status: ConsentStatus;
  readonly grantedBy: { readonly kind: 'guardian' | 'student'; readonly id: string };
  readonly categories: readonly Category[];
  readonly recipient: { readonly welfareAreaId: string; readonly roles?: readonly WelfareRole[] };
  readonly purpose: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly grantedAt: string;
  readonly changedAt: string;
}
export interface StudentConsents {
  readonly studentId: string;
  readonly consents: readonly ConsentSummary[];
}

/** consent POST /v1/consents */
export interface GrantConsentBody {
  readonly studentId: string;
  readonly categories: readonly Category[];
  readonly recipient: { readonly welfareAreaId: string; readonly roles?: readonly WelfareRole[] };
  readonly purpose: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
}
export interface GrantConsentAnswer {
  readonly consentId: string;
  readonly version: number;
  readonly positionToken: string;
}

/** disclosure GET /v1/students/{studentId}/disclosure-log */
export interface DisclosureLogEntry {
  readonly disclosureId: string;
  readonly decidedAt: string;
  readonly recipient: { readonly role: string; readonly organisation: string; readonly professionalId: string };
  readonly basis: string;
  readonly purpose: string;
  readonly outcome: 'permit' | 'partial' | 'deny';
  readonly released: readonly string[];
}
export interface DisclosureLog {
  readonly studentId: string;
  readonly entries: readonly DisclosureLogEntry[];
  readonly nextCursor: string | null;
}

/** disclosure GET /v1/students/{studentId}/data-subject-report?format=json (the parts the page shows) */
export interface DataSubjectReport {
  readonly studentId: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly generatedAt: string;
  readonly count: number;
  readonly completeness: {
    readonly complete: boolean;
    readonly checkpoint: { readonly origin: string; readonly size: number; readonly note: string } | null;
    readonly missingDisclosures: readonly string[];
    readonly auditTrailIntact: boolean;
  };
}

/** consent GET/PUT /v1/students/{studentId}/guardian-visibility (the parts the page shows) */
export interface GuardianVisibility {
  readonly studentId: string;
  readonly hiddenRoles: readonly WelfareRole[];
  readonly declaration?: { readonly roles: readonly WelfareRole[]; readonly declaredBy: { readonly kind: 'student' | 'professional'; readonly id: string; readonly role?: string }; readonly at: string };
  readonly assessment?: { readonly outcome: 'upheld' | 'overridden'; readonly roles: readonly WelfareRole[]; readonly why: string; readonly assessedBy: { readonly role: string }; readonly at: string };
}
