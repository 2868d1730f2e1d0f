import { z } from 'zod';

/** A page of the caller's municipality's schools, ordered by id. */
export const ListSchoolsAnswer = z
  .strictObject({
    schools: z.array(z.strictObject({ schoolId: z.string(), name: z.string(), servedByWelfareAreaId: z.string().nullable() })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ListSchoolsAnswer' });
