import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What recording a student's capacity answers. */
export const RecordCapacityAnswer = z.strictObject({ studentId: Id, decidesForSelf: z.boolean() }).meta({ id: 'RecordCapacityAnswer' });
