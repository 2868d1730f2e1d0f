import { z } from 'zod';
import { ConfidentialRole } from '@silta/contracts';
import { BanAssessmentOutcome } from '../http/answers.responses';

/** What assessing a ban answers: its outcome and what guardians may not see once assessed. */
export const AssessGuardianBanAnswer = z
  .strictObject({ studentId: z.string(), outcome: BanAssessmentOutcome, hiddenRoles: z.array(ConfidentialRole), positionToken: z.string() })
  .meta({ id: 'AssessGuardianBanAnswer' });
