import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What assigning a professional answers. */
export const AssignProfessionalAnswer = z.strictObject({ assignmentId: Id }).meta({ id: 'AssignProfessionalAnswer' });
