import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What activating or deactivating welfare access answers. */
export const SetWelfareAccessAnswer = z.strictObject({ studentId: Id, active: z.boolean() }).meta({ id: 'SetWelfareAccessAnswer' });
