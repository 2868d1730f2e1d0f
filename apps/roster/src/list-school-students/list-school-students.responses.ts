import { z } from 'zod';
import { EducationForm } from '@silta/contracts';

/** A page of the students currently at the school, ordered by id. */
export const ListSchoolStudentsAnswer = z
  .strictObject({
    schoolId: z.string(),
    students: z.array(
      z.strictObject({
        studentId: z.string(),
        name: z.string(),
        birthDate: z.iso.date(),
        group: z.string(),
        guardians: z.array(z.strictObject({ guardianId: z.string(), name: z.string() })),
        decidesForSelf: z.boolean(),
        welfareAccess: z.boolean(),
        educationForm: EducationForm,
        inCompulsoryEducation: z.boolean(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ListSchoolStudentsAnswer' });
