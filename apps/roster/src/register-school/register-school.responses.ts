import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What registering a school answers. */
export const RegisterSchoolAnswer = z.strictObject({ schoolId: Id }).meta({ id: 'RegisterSchoolAnswer' });
