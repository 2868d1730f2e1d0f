import { z } from 'zod';
import type { Principal } from '@silta/platform';
import type { Language } from '@silta/decision';
import { REPORT_FORMATS } from './report-format';

export const DataSubjectReportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(REPORT_FORMATS).optional(),
});
export type DataSubjectReportQuery = z.infer<typeof DataSubjectReportQuery>;

/**
 * Who received a student's data, when, on what basis and why, over a period: the data subject's
 * right to learn the recipients of their data (GDPR art. 15(1)(c)), on the education side.
 */
export class GetDataSubjectReport {
  constructor(
    readonly studentId: string,
    readonly period: { readonly from?: string; readonly to?: string },
    readonly caller: Principal,
    /** The language of each reason's message and legal source. */
    readonly language: Language,
  ) {}
}
