import { z } from 'zod';
import { EducationForm } from '@silta/contracts';
import { Id } from '../shared/schemas';

/** What setting a student's education answers: the student and what is now recorded. */
export const SetEducationAnswer = z.strictObject({ studentId: Id, educationForm: EducationForm, inCompulsoryEducation: z.boolean() }).meta({ id: 'SetEducationAnswer' });
