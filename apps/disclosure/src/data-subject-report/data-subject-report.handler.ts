import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Between, DataSource, type FindOptionsWhere } from 'typeorm';
import { AuditLogQueries, streamCompleteness } from '@silta/audit-trail';
import { Refusal } from '@silta/contracts';
import type { EventStore } from '@silta/event-store';
import { EVENT_STORE, type Principal } from '@silta/platform';
import { RIGHT_OF_ACCESS, auditStreamOf, explainReason, legalSourceOf, type Language } from '@silta/decision';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity, type DecisionRecordRow } from '../shared/decision-record.entity';
import { toView } from '../shared/decision-views';
import { refuseGuardianOfAdult } from '../shared/guardianship';
import { RosterClient } from '../shared/roster-client';
import { ViewReader } from '../view/view-reader';
import { GuardianVisibilityEntity } from '../view/view.entities';
import { GetDataSubjectReport } from './data-subject-report.query';
import { reportCompleteness, type ReportView } from './report-completeness';
import { reportPeriod, type DataSubjectReport, type ReportCompleteness, type ReportEntry } from './report-format';

/**
 * Builds the report from the decision records (decisions only: explanations release nothing and are
 * not disclosures). A guardian's report omits, without a trace, the roles the student has hidden
 * from guardians, exactly as the guardian-facing log does. The records are a projection, so the
 * report then checks itself against the student's audit stream and a signed checkpoint of the log,
 * and says whether any decision it owes its reader is missing.
 */
@QueryHandler(GetDataSubjectReport)
export class GetDataSubjectReportHandler implements IQueryHandler<GetDataSubjectReport, DataSubjectReport> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
    private readonly roster: RosterClient,
    private readonly auditLog: AuditLogQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ studentId, period: requested, caller, language }: GetDataSubjectReport): Promise<DataSubjectReport> {
    const now = new Date();
    const period = reportPeriod(requested, now);
    if (!period) throw new Refusal('invalid', 'invalid_period', '`from` must not be after `to`');
    const scope = await this.scope(studentId, caller);
    const where: FindOptionsWhere<DecisionRecordRow> = { ...scope, studentId, decidedAt: Between(period.from, period.to) };
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' } });
    const hidden = caller.role === 'guardian' ? await this.hiddenFromGuardians(studentId) : [];
    const entries = rows.filter((row) => !hidden.includes(row.requesterRole)).map((row) => toEntry(row, language));
    const view: ReportView = { period, scope, omittedRoles: hidden, wholeStream: caller.role === 'student' };
    const completeness = await this.completeness(studentId, entries, view);
    return { studentId, period, generatedAt: now.toISOString(), source: RIGHT_OF_ACCESS.text[language], count: entries.length, entries, completeness };
  }

  /**
   * The student's audit stream is read after the records, so it holds every decision they could
   * hold: one recorded in between is named as missing rather than passed over.
   */
  private async completeness(studentId: string, entries: readonly ReportEntry[], view: ReportView): Promise<ReportCompleteness> {
    const proof = await streamCompleteness(this.auditLog, this.store, auditStreamOf(studentId));
    return reportCompleteness(proof, entries.map((entry) => entry.disclosureId), view);
  }

  /** The student themself, a currently linked guardian of a student under 18, or an auditor within their organisation's scope. */
  private async scope(studentId: string, caller: Principal): Promise<FindOptionsWhere<DecisionRecordRow>> {
    if (caller.role === 'auditor') return auditorScope(caller);
    if (caller.role === 'student' && caller.sub === studentId) return {};
    if (caller.role === 'guardian' && (await this.view.isLinkedGuardian(studentId, caller.sub))) {
      await refuseGuardianOfAdult(this.roster, studentId, caller, new Date()); // guardianship ends at 18
      return {};
    }
    throw new Refusal('forbidden', 'not_your_student', 'only the student, a linked guardian or an auditor may read this report');
  }

  private async hiddenFromGuardians(studentId: string): Promise<string[]> {
    return (await this.dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId }))?.hiddenRoles ?? [];
  }
}

function toEntry(row: DecisionRecordRow, language: Language): ReportEntry {
  const view = toView(row);
  return {
    disclosureId: view.disclosureId,
    decidedAt: view.decidedAt,
    recipient: { role: view.requester.role, organisation: view.requester.org, professionalId: view.requester.sub },
    basis: view.basis,
    purpose: view.purpose,
    caseId: view.caseId ?? null,
    outcome: view.outcome,
    released: view.categories.filter((c) => c.outcome === 'permit').map((c) => c.category),
    refused: view.categories.filter((c) => c.outcome !== 'permit').map((c) => c.category),
    reasons: view.categories.map((c) => ({
      category: c.category,
      outcome: c.outcome,
      reason: c.reason,
      message: explainReason(c.reason, language),
      source: legalSourceOf(c.reason, language, view.requester.role),
    })),
  };
}
