import { z } from 'zod';
import { ConfidentialRole } from '@silta/contracts';

/** Body of PUT /v1/students/{studentId}/guardian-visibility; strict, so unknown fields are refused. */
export const SetGuardianVisibilityRequest = z.strictObject({
  /** The set of professions whose disclosures guardians may not see; empty restores what they see. */
  hiddenRoles: z
    .array(ConfidentialRole)
    .max(ConfidentialRole.options.length)
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
});
export type SetGuardianVisibilityRequest = z.infer<typeof SetGuardianVisibilityRequest>;
