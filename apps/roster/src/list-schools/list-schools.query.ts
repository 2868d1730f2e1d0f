import { Query } from '@nestjs/cqrs';
import type { PageQuery } from '@silta/platform/paging';

/** One of the municipality's schools, as its admin sees it. */
export interface SchoolSummary {
  readonly schoolId: string;
  readonly name: string;
  /** The welfare area the municipality declared to serve the school; null until declared. */
  readonly servedByWelfareAreaId: string | null;
}

/** What GET /v1/schools answers: a page, ordered by school id. */
export interface SchoolsPage {
  readonly schools: readonly SchoolSummary[];
  readonly nextCursor: string | null;
}

/** The school admin's municipality asks for its schools. */
export class ListSchoolsQuery extends Query<SchoolsPage> {
  constructor(
    readonly municipalityId: string,
    readonly page: PageQuery,
  ) {
    super();
  }
}
