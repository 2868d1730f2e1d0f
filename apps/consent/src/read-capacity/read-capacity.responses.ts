import { z } from 'zod';
import { CapacityAssessment } from '../http/answers.responses';

/** The latest capacity assessment per field; a field is absent until someone assesses it. */
export const ReadCapacityAnswer = z
  .strictObject({
    studentId: z.string(),
    capacity: z.strictObject({ social_welfare: CapacityAssessment.optional(), health_care: CapacityAssessment.optional() }),
  })
  .meta({ id: 'ReadCapacityAnswer' });
