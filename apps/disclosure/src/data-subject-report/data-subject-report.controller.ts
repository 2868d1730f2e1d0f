import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import type { Language } from '@silta/decision';
import { PreferredLanguage } from '../http/preferred-language';
import { DataSubjectReportQuery, GetDataSubjectReport } from './data-subject-report.query';
import { reportFormat, reportToCsv, reportToHtml, type DataSubjectReport } from './report-format';
import { DataSubjectReportAnswer } from './data-subject-report.responses';

/** The part of Express's response the controller touches (headers only; Nest sends the body). */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

@Controller()
export class DataSubjectReportController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/students/:studentId/data-subject-report')
  @Roles('student', 'guardian', 'auditor')
  @Responds({ 400: ['invalid_period'], 403: ['no_organisation', 'not_your_student', 'student_is_adult'], 500: ['audit_log_diverged'], 502: ['roster_unavailable'] })
  @Answers(DataSubjectReportAnswer, 'written by the handler')
  @Summary(
    'Who received the student\'s data, when, on which basis and why (GDPR art. 15(1)(c)), from `from` to `to` (default: the last two years); ' +
      'each entry\'s `reasons` give per category the reason code, its `message` and its legal `source`; ' +
      '`completeness` says whether the report lacks any decision the audit log records for it, proven against the signed checkpoint it names ' +
      "(counts of the student's audit events only in the student's own report); " +
      'format=json|csv|html, or by Accept; messages, sources and HTML headings follow Accept-Language (fi, sv, en)',
  )
  async report(
    @Param('studentId') studentId: string,
    @Query(new ZodPipe(DataSubjectReportQuery)) query: DataSubjectReportQuery,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: HeaderSink,
    @PreferredLanguage() lang: Language,
    @Headers('accept') accept?: string,
  ): Promise<DataSubjectReport | string> {
    const report: DataSubjectReport = await this.queries.execute(new GetDataSubjectReport(studentId, { from: query.from, to: query.to }, caller, lang));
    const format = reportFormat(query.format, accept);
    response.setHeader('Vary', 'Accept, Accept-Language');
    response.setHeader('Content-Language', lang);
    switch (format) {
      case 'json':
        return report;
      case 'csv':
        response.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
        response.setHeader('Content-Disposition', `attachment; filename="data-subject-report-${filenameSafe(studentId)}.csv"`);
        return reportToCsv(report, lang);
      case 'html': {
        response.setHeader('Content-Type', 'text/html; charset=utf-8');
        return reportToHtml(report, lang);
      }
    }
  }
}

/** A student id as it may appear inside a quoted header parameter. */
function filenameSafe(studentId: string): string {
  return studentId.replace(/[^A-Za-z0-9._-]/g, '_');
}
