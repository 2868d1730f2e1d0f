import { z } from 'zod';
import type { Principal } from '@silta/platform';
import { REPORT_FORMATS } from './report-format';

export const DataSubjectReportQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(REPORT_FORMATS).optional(),
});
export type DataSubjectReportQuery = z.infer<typeof DataSubjectReportQuery>;

/** Who received a student's data, when and on what basis, over a period (law 703/2023 11 §). */
export class GetDataSubjectReport {
  constructor(
    readonly studentId: string,
    readonly period: { readonly from?: string; readonly to?: string },
    readonly caller: Principal,
  ) {}
}
