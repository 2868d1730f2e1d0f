import { z } from 'zod';
import { EntityId } from '@silta/contracts';
import type { Principal } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';

/** One decision, for its requester or an auditor of the right organisation. */
export class GetDisclosure {
  constructor(
    readonly disclosureId: string,
    readonly caller: Principal,
  ) {}
}

/** A professional's own request history, a page at a time. */
export class ListMyDisclosures {
  constructor(
    readonly caller: Principal,
    readonly page: PageQuery,
  ) {}
}

/** The guardian- or student-facing log of who received a student's data, a page at a time. */
export class GetDisclosureLog {
  constructor(
    readonly studentId: string,
    readonly caller: Principal,
    readonly page: PageQuery,
  ) {}
}

export const AuditQuery = z.strictObject({
  studentId: EntityId.optional(),
  professionalId: z.string().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...PageQuery.shape,
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** Decisions within the auditor's organisation's scope, filtered. */
export class SearchDisclosures {
  constructor(
    readonly filter: AuditQuery,
    readonly caller: Principal,
  ) {}
}

/** Necessity decisions flagged for supervision, by period and professional. */
export class ListSupervisionFlagged {
  constructor(
    readonly filter: AuditQuery,
    readonly caller: Principal,
  ) {}
}

export const ReviewQueueQuery = z.strictObject({ status: z.enum(['unreviewed', 'reviewed', 'all']).default('unreviewed'), ...PageQuery.shape });
export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuery>;

/** Emergency decisions and the caller's organisation's review of them; those it has not reviewed by default. */
export class ListEmergencyReviews {
  constructor(
    readonly query: ReviewQueueQuery,
    readonly caller: Principal,
  ) {}
}
