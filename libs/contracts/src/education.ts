import { z } from 'zod';

/**
 * The form of education a student is enrolled in, as roster records it. The student-welfare act
 * (1287/2013 1 §) covers pre-primary and basic education, general upper secondary, vocational
 * upper-secondary qualifications and preparatory education; adult upper-secondary students only
 * while in compulsory education (1214/2020).
 */
export const EducationForm = z.enum([
  'pre_primary',
  'basic_education',
  'general_upper_secondary',
  'adult_upper_secondary',
  'vocational_upper_secondary',
  'preparatory',
]);
export type EducationForm = z.infer<typeof EducationForm>;
