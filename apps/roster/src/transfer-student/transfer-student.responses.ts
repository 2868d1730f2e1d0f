import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What a transfer answers: the position token names the StudentTransferred event (DESIGN.md §5). */
export const TransferStudentAnswer = z.strictObject({ studentId: Id, schoolId: Id, positionToken: z.string() }).meta({ id: 'TransferStudentAnswer' });
