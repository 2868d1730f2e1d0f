import { z } from 'zod';

/** Categories of student data (DESIGN.md §2 glossary). */
export const DataCategory = z.enum([
  'identification',
  'guardian_contacts',
  'absences',
  'lesson_markings',
  'grades',
  'detentions',
  'learning_progress',
  'support_needs',
]);
export type DataCategory = z.infer<typeof DataCategory>;
