import { z } from 'zod';

/** Body of PUT /v1/students/{studentId}/capacity/{field}; strict, so unknown fields are refused. */
export const AssessCapacityRequest = z.strictObject({
  decidesForSelf: z.boolean(),
  /** The day of the assessment, YYYY-MM-DD; the domain refuses one after today. */
  assessedOn: z.iso.date(),
});
export type AssessCapacityRequest = z.infer<typeof AssessCapacityRequest>;
