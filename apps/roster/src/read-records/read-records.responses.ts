import { z } from 'zod';
import { SUPPORT_LEVELS } from '../domain/student-records';

const record = { recordId: z.string(), date: z.iso.date() };

/** One education record, its fields fixed by its category (domain/student-records.ts). */
const EducationRecord = z.discriminatedUnion('category', [
  z.strictObject({ ...record, category: z.literal('absences'), hours: z.number(), reason: z.string().optional() }),
  z.strictObject({ ...record, category: z.literal('lesson_markings'), subject: z.string(), marking: z.string() }),
  z.strictObject({ ...record, category: z.literal('grades'), subject: z.string(), grade: z.string() }),
  z.strictObject({ ...record, category: z.literal('detentions'), reason: z.string() }),
  z.strictObject({ ...record, category: z.literal('learning_progress'), subject: z.string(), note: z.string() }),
  z.strictObject({ ...record, category: z.literal('support_needs'), level: z.enum(SUPPORT_LEVELS), note: z.string() }),
]);

/** What disclosure receives for one student: each requested category, a record category as a list (empty when there are none). */
export const ReadRecordsAnswer = z
  .strictObject({
    studentId: z.string(),
    identification: z.strictObject({ name: z.string(), birthDate: z.iso.date(), group: z.string() }).optional(),
    guardian_contacts: z
      .array(z.strictObject({ guardianId: z.string(), name: z.string(), contact: z.strictObject({ email: z.string().optional(), phone: z.string().optional() }) }))
      .optional(),
    absences: z.array(EducationRecord).optional(),
    lesson_markings: z.array(EducationRecord).optional(),
    grades: z.array(EducationRecord).optional(),
    detentions: z.array(EducationRecord).optional(),
    learning_progress: z.array(EducationRecord).optional(),
    support_needs: z.array(EducationRecord).optional(),
  })
  .meta({ id: 'ReadRecordsAnswer' });
