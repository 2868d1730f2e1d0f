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
    /** Whether the report lacks any decision the audit log records for it, proven against a signed checkpoint (report-completeness.ts). */
    completeness: z.strictObject({
      complete: z.boolean(),
      /** The latest C2SP signed checkpoint, note included, as `GET /v1/audit/log/checkpoints/latest` answers it; null while the log has none (the report never signs one). */
      checkpoint: z.strictObject({ origin: z.string(), size: z.number().int().min(0), note: z.string() }).nullable(),
      missingDisclosures: z.array(z.string()),
      auditTrailIntact: z.boolean(),
      /** Absent except in the student's own report: other readers' reports leave decisions out on purpose, and counts would reveal them. */
      auditEvents: z
        .strictObject({ inCheckpoint: z.number().int().min(0), found: z.number().int().min(0), notYetCheckpointed: z.number().int().min(0) })
        .optional(),
    }),
  })
  .meta({ id: 'DataSubjectReportAnswer' });
