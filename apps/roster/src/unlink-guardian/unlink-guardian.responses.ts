import { z } from 'zod';
import { Id } from '../shared/schemas';

/** What an unlink answers: the position token names the GuardianUnlinked event (DESIGN.md §5). */
export const UnlinkGuardianAnswer = z.strictObject({ studentId: Id, guardianId: Id, positionToken: z.string() }).meta({ id: 'UnlinkGuardianAnswer' });
