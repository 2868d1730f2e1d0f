import { z } from 'zod';
import { isWellFormedText } from '@silta/contracts';

/** Body of POST /v1/students/{studentId}/guardian-visibility/assessment; strict, so unknown fields are refused. */
export const AssessGuardianBanRequest = z.strictObject({
  /** `upheld`: the ban holds; `overridden`: it clearly conflicts with the child's interest and is lifted. */
  outcome: z.enum(['upheld', 'overridden']),
  /** The professional's reasoning, kept in the student's log (never published): enough to be reviewed later. */
  why: z.string().trim().min(30).max(2000).refine(isWellFormedText, 'must be well-formed UTF-16 (no lone surrogates)'),
});
export type AssessGuardianBanRequest = z.infer<typeof AssessGuardianBanRequest>;
