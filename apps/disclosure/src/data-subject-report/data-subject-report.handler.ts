import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Between, DataSource, type FindOptionsWhere } from 'typeorm';
import { Refusal } from '@silta/contracts';
import type { Principal } from '@silta/platform';
import { RIGHT_OF_ACCESS, explainReason, legalSourceOf, type Language } from '@silta/decision';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity, type DecisionRecordRow } from '../shared/decision-record.entity';
import { toView } from '../shared/decision-views';
import { refuseGuardianOfAdult } from '../shared/guardianship';
import { RosterClient } from '../shared/roster-client';
import { ViewReader } from '../view/view-reader';
import { GuardianVisibilityEntity } from '../view/view.entities';
import { GetDataSubjectReport } from './data-subject-report.query';
import { reportPeriod, type DataSubjectReport, type ReportEntry } from './report-format';

/**
 * Builds the report from the decision records (decisions only: explanations release nothing and are
 * not disclosures). A guardian's report omits, without a trace, the roles the student has hidden
 * from guardians, exactly as the guardian-facing log does.
 */
@QueryHandler(GetDataSubjectReport)
export class GetDataSubjectReportHandler implements IQueryHandler<GetDataSubjectReport, DataSubjectReport> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
    private readonly roster: RosterClient,
  ) {}

  async execute({ studentId, period: requested, caller, language }: GetDataSubjectReport): Promise<DataSubjectReport> {
    const now = new Date();
    const period = reportPeriod(requested, now);
    if (!period) throw new Refusal('invalid', 'invalid_period', '`from` must not be after `to`');
    const where: FindOptionsWhere<DecisionRecordRow> = { ...(await this.scope(studentId, caller)), studentId, decidedAt: Between(period.from, period.to) };
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' } });
    const hidden = caller.role === 'guardian' ? await this.hiddenFromGuardians(studentId) : [];
    const entries = rows.filter((row) => !hidden.includes(row.requesterRole)).map((row) => toEntry(row, language));
    return { studentId, period, generatedAt: now.toISOString(), source: RIGHT_OF_ACCESS.text[language], count: entries.length, entries };
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
