import { Query } from '@nestjs/cqrs';
import type { DataCategory } from '@silta/contracts';
import type { Principal } from '@silta/platform';
import type { EffectiveStatus, Party, WelfareRole } from '../domain';

/** One consent as a guardian or student sees it. */
export interface ConsentSummary {
  readonly consentId: string;
  readonly version: number;
  /** At the time of the request: `expired` once validUntil has passed. */
  readonly status: EffectiveStatus;
  readonly grantedBy: Party;
  readonly categories: readonly DataCategory[];
  readonly recipient: { readonly welfareAreaId: string; readonly roles?: readonly WelfareRole[] };
  readonly purpose: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly grantedAt: string;
  readonly changedAt: string;
}

/** What GET /v1/students/{studentId}/consents answers. */
export interface StudentConsents {
  readonly studentId: string;
  readonly consents: readonly ConsentSummary[];
}

/** A verified caller asks for a student's consents. */
export class ListConsentsQuery extends Query<StudentConsents> {
  constructor(
    readonly caller: Principal,
    readonly studentId: string,
  ) {
    super();
  }
}
