import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What declaring a school's welfare area answers. */
export const DeclareSchoolServiceAnswer = z.strictObject({ schoolId: Id, welfareAreaId: Id }).meta({ id: 'DeclareSchoolServiceAnswer' });
