import { Query } from '@nestjs/cqrs';
import { z } from 'zod';
import { PageQuery } from '@silta/platform/paging';
import type { Profession } from '../domain/assignment';
import { Id } from '../shared/schemas';

/** `?schoolId=` (optional: one school's assignments) and a page. */
export const AssignmentsQuery = z.strictObject({ schoolId: Id.optional(), ...PageQuery.shape });
export type AssignmentsQuery = z.infer<typeof AssignmentsQuery>;

/** One of the welfare area's assignments, ended ones included and marked. */
export interface AssignmentSummary {
  readonly assignmentId: string;
  readonly professionalId: string;
  readonly role: Profession;
  readonly schoolId: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly assignedAt: string;
  /** Ended by the welfare admin (DELETE /v1/assignments/{id}), whatever its last day. */
  readonly ended: boolean;
  readonly endedAt?: string;
  /** Not ended, and today is within its days: the professional may act on it now. */
  readonly current: boolean;
}

/** What GET /v1/assignments answers: a page, ordered by assignment id. */
export interface AssignmentsPage {
  readonly assignments: readonly AssignmentSummary[];
  readonly nextCursor: string | null;
}

/** The welfare admin's welfare area asks for its assignments. */
export class ListAssignmentsQuery extends Query<AssignmentsPage> {
  constructor(
    readonly welfareAreaId: string,
    readonly query: AssignmentsQuery,
  ) {
    super();
  }
}
