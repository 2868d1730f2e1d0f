import { z } from 'zod';
import { ConfidentialRole, WelfareRole } from '@silta/contracts';

// Parts of consent's answers that several use cases share; each use case's *.responses.ts names its whole answer.

/** A moment as consent records it (ISO 8601 with a time zone). */
export const Instant = z.iso.datetime({ offset: true });

/** A guardian or the student, by their subject. */
export const Party = z.strictObject({ kind: z.enum(['guardian', 'student']), id: z.string() });

/** One field's latest capacity assessment: what was judged, on which day, by whom, recorded when. */
export const CapacityAssessment = z.strictObject({
  decidesForSelf: z.boolean(),
  assessedOn: z.iso.date(),
  assessedBy: z.strictObject({ id: z.string(), role: WelfareRole, org: z.string() }),
  assessedAt: Instant,
});
export type CapacityAssessmentAnswer = z.infer<typeof CapacityAssessment>;

/** The student, or a welfare professional on their behalf, who declared what guardians may not see. */
export const Declarant = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('student'), id: z.string() }),
  z.strictObject({ kind: z.literal('professional'), id: z.string(), role: ConfidentialRole, org: z.string() }),
]);

/** Whether a ban holds (`upheld`) or clearly conflicts with the child's interest and is lifted (`overridden`). */
export const BanAssessmentOutcome = z.enum(['upheld', 'overridden']);

/** What pausing, resuming or withdrawing a consent answers: its version and status after the change. */
export const ConsentChangeAnswer = z
  .strictObject({ consentId: z.string(), version: z.number().int().positive(), status: z.enum(['active', 'paused', 'withdrawn']), positionToken: z.string() })
  .meta({ id: 'ConsentChangeAnswer' });
