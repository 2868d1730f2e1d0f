import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import { EducationForm } from '@silta/contracts';
import type { EventMetadataInput } from '@silta/event-store';

/** Body of `PUT /v1/students/{studentId}/education`. */
export const SetEducationBody = z.strictObject({ educationForm: EducationForm, inCompulsoryEducation: z.boolean() });
export type SetEducationBody = z.infer<typeof SetEducationBody>;

/** What `PUT /v1/students/{studentId}/education` answers. */
export type EducationSet = { studentId: string } & SetEducationBody;

/** Set a student's form of education and whether they are in compulsory education. */
export class SetEducationCommand extends Command<EducationSet> {
  constructor(
    readonly studentId: string,
    readonly body: SetEducationBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
