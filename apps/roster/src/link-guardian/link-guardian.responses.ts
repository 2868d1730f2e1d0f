import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What linking a guardian answers. */
export const LinkGuardianAnswer = z.strictObject({ studentId: Id, guardianId: Id }).meta({ id: 'LinkGuardianAnswer' });
