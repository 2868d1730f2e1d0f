import { z } from 'zod';

const FieldStanding = z.strictObject({
  decidesForSelf: z.boolean(),
  assessedOn: z.iso.date().optional(),
  guardianConsentsCount: z.boolean(),
});

/** The caller's students (a guardian's linked students under 18, or the student themself), named, with who decides per capacity field. */
export const ListMyStudentsAnswer = z
  .strictObject({
    students: z.array(
      z.strictObject({
        studentId: z.string(),
        name: z.string().nullable(),
        schoolId: z.string().nullable(),
        welfareAreaId: z.string().nullable(),
        adult: z.boolean(),
        capacity: z.strictObject({ social_welfare: FieldStanding, health_care: FieldStanding }),
      }),
    ),
  })
  .meta({ id: 'ListMyStudentsAnswer' });
