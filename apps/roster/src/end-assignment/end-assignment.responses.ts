import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What ending an assignment answers. */
export const EndAssignmentAnswer = z.strictObject({ assignmentId: Id }).meta({ id: 'EndAssignmentAnswer' });
