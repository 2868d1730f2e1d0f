import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';
import { Id } from '../shared/schemas';

/** Body of `PUT /v1/schools/{schoolId}/service`. */
export const DeclareSchoolServiceBody = z.strictObject({ welfareAreaId: Id });
export type DeclareSchoolServiceBody = z.infer<typeof DeclareSchoolServiceBody>;

/** What the declaration answers. */
export interface DeclareSchoolServiceResult {
  readonly schoolId: string;
  readonly welfareAreaId: string;
}

/** Declare which welfare area serves a school of the caller's municipality. */
export class DeclareSchoolServiceCommand extends Command<DeclareSchoolServiceResult> {
  constructor(
    readonly schoolId: string,
    readonly body: DeclareSchoolServiceBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
