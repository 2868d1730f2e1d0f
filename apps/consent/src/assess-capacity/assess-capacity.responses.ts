import { z } from 'zod';
import { CapacityField } from '@silta/contracts';
import { CapacityAssessment } from '../http/answers.responses';

/** What recording a capacity assessment answers: the assessment as recorded, in its field. */
export const AssessCapacityAnswer = CapacityAssessment.extend({ studentId: z.string(), field: CapacityField, positionToken: z.string() }).meta({ id: 'AssessCapacityAnswer' });
