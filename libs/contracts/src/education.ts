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

/**
 * What roster tells disclosure and consent about a student's standing (`GET /internal/v1/students/{id}/standing`,
 * their service tokens only): what the decision needs to know about the student beyond
 * disclosure's view. Read, recorded in the decision's snapshot, never released.
 */
export const StudentStanding = z.object({
  /** YYYY-MM-DD: from the 18th birthday guardianship has ended (361/1983 3 §). */
  birthDate: z.iso.date(),
  educationForm: EducationForm,
  /** In compulsory education (1214/2020): brings an adult upper-secondary student under 1287/2013. */
  inCompulsoryEducation: z.boolean(),
  /**
   * The student's name as roster holds it, for consent's list to the student and their linked
   * guardians (who know it already). Optional so a reader that has no use for it (disclosure, which
   * copies out only the fields above) and its stand-ins need not carry it.
   */
  name: z.string().min(1).max(200).optional(),
});
export type StudentStanding = z.infer<typeof StudentStanding>;
