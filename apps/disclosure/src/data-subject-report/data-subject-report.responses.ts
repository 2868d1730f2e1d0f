import { z } from 'zod';
import { Instant } from '../shared/decision-view.responses';

/**
 * The data-subject report as JSON (report-format.ts; format=csv and format=html render the same
 * report): who received the student's data in the period, when, on which basis and why.
 */
export const DataSubjectReportAnswer = z
  .strictObject({
    studentId: z.string(),
    period: z.strictObject({ from: Instant, to: Instant }),
    generatedAt: Instant,
    /** The source of the data subject's right to this report (GDPR art. 15(1)(c)), in the report's language. */
    source: z.string(),
    count: z.number().int().min(0),
    entries: z.array(
      z.strictObject({
        disclosureId: z.string(),
        decidedAt: Instant,
        recipient: z.strictObject({ role: z.string(), organisation: z.string(), professionalId: z.string() }),
        basis: z.string(),
        purpose: z.string(),
        caseId: z.string().nullable(),
        outcome: z.string(),
        released: z.array(z.string()),
        refused: z.array(z.string()),
        reasons: z.array(z.strictObject({ category: z.string(), outcome: z.string(), reason: z.string(), message: z.string(), source: z.string() })),
      }),
    ),
  })
  .meta({ id: 'DataSubjectReportAnswer' });
