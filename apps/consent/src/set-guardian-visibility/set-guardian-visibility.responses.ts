import { z } from 'zod';
import { ConfidentialRole } from '@silta/contracts';

/** What a declaration answers: the professions whose disclosures guardians may not see now. */
export const SetGuardianVisibilityAnswer = z
  .strictObject({ studentId: z.string(), hiddenRoles: z.array(ConfidentialRole), positionToken: z.string() })
  .meta({ id: 'SetGuardianVisibilityAnswer' });
