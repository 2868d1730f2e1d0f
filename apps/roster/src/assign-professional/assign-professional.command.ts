import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import type { EventMetadataInput } from '@silta/event-store';
import { PROFESSIONS } from '../domain/assignment';
import { Id, IsoDate } from '../shared/schemas';

/** Body of `POST /v1/assignments`. */
export const AssignProfessionalBody = z.strictObject({
  assignmentId: Id,
  professionalId: Id,
  role: z.enum(PROFESSIONS),
  welfareAreaId: Id,
  schoolId: Id,
  validFrom: IsoDate,
  validUntil: IsoDate.optional(),
});
export type AssignProfessionalBody = z.infer<typeof AssignProfessionalBody>;

/** Assign a professional of the caller's welfare area to a school. */
export class AssignProfessionalCommand extends Command<{ assignmentId: string }> {
  constructor(
    readonly body: AssignProfessionalBody,
    readonly welfareAreaId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
