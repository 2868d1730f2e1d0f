import { z } from 'zod';
import { ConfidentialRole } from '@silta/contracts';
import { BanAssessmentOutcome, Declarant, Instant } from '../http/answers.responses';

/**
 * What guardians may not see now, and why: the declaration in force and any health-care
 * professional's assessment of its ban (both absent while nothing has been declared).
 */
export const ReadGuardianVisibilityAnswer = z
  .strictObject({
    studentId: z.string(),
    hiddenRoles: z.array(ConfidentialRole),
    declaredBy: Declarant.optional(),
    changedAt: Instant.optional(),
    declaration: z.strictObject({ roles: z.array(ConfidentialRole), declaredBy: Declarant, at: Instant }).optional(),
    assessment: z
      .strictObject({
        outcome: BanAssessmentOutcome,
        roles: z.array(ConfidentialRole),
        why: z.string(),
        assessedBy: z.strictObject({ kind: z.literal('professional'), id: z.string(), role: z.enum(['nurse', 'doctor', 'psychologist']), org: z.string() }),
        at: Instant,
      })
      .optional(),
  })
  .meta({ id: 'ReadGuardianVisibilityAnswer' });
