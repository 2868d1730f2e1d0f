import { Command } from '@nestjs/cqrs';
import { z } from 'zod';
import { EducationForm } from '@silta/contracts';
import type { EventMetadataInput } from '@silta/event-store';
import { Id, IsoDate, Text } from '../shared/schemas';

/** Body of `POST /v1/students`. */
export const EnrollStudentBody = z.strictObject({
  studentId: Id,
  schoolId: Id,
  name: Text,
  birthDate: IsoDate,
  group: Text,
  educationForm: EducationForm.default('basic_education').describe('The form of education (1287/2013 1 §); basic_education when left out.'),
  inCompulsoryEducation: z
    .boolean()
    .default(false)
    .describe('Whether the student is in compulsory education (1214/2020); it matters for adult_upper_secondary. false when left out.'),
});
export type EnrollStudentBody = z.infer<typeof EnrollStudentBody>;

/** Enroll a student at a school of the caller's municipality. */
export class EnrollStudentCommand extends Command<{ studentId: string }> {
  constructor(
    readonly body: EnrollStudentBody,
    readonly municipalityId: string,
    readonly metadata: EventMetadataInput,
  ) {
    super();
  }
}
