import { z } from 'zod';
import { Instant } from '../shared/decision-view.responses';

/** What recording a review answers: the organisation's outcome, as the controller's or the recipient's review. */
export const ReviewEmergencyAnswer = z
  .strictObject({ disclosureId: z.string(), outcome: z.enum(['justified', 'unjustified']), reviewedAs: z.enum(['controller', 'recipient']), reviewedAt: Instant })
  .meta({ id: 'ReviewEmergencyAnswer' });
