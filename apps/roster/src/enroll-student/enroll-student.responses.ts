import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What enrolling a student answers. */
export const EnrollStudentAnswer = z.strictObject({ studentId: Id }).meta({ id: 'EnrollStudentAnswer' });
