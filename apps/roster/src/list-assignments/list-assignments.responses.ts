import { z } from 'zod';

/** A page of the caller's welfare area's assignments, ended ones marked, ordered by id. */
export const ListAssignmentsAnswer = z
  .strictObject({
    assignments: z.array(
      z.strictObject({
        assignmentId: z.string(),
        professionalId: z.string(),
        role: z.enum(['curator', 'psychologist', 'nurse', 'doctor']),
        schoolId: z.string(),
        validFrom: z.iso.date(),
        validUntil: z.iso.date().optional(),
        assignedAt: z.iso.datetime({ offset: true }),
        ended: z.boolean(),
        endedAt: z.iso.datetime({ offset: true }).optional(),
        current: z.boolean(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ListAssignmentsAnswer' });
