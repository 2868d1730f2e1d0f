import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataCategory } from '@silta/contracts';
import { ConsentsTable, type ConsentRow } from '../consent-store/consents.table';
import { effectiveStatus, seesConsent, viewingRefusal, type WelfareRole } from '../domain';
import { partyOf } from '../http/caller';
import { RosterStanding } from '../roster-view/roster-standing';
import { RosterView } from '../roster-view/roster-view.reader';
import { ListConsentsQuery, type ConsentSummary, type StudentConsents } from './list-consents.query';

/**
 * Lists a student's consents for the student themself, or those guardians granted for a linked
 * guardian while the student is under 18 (roster's birth date, read for guardians only).
 */
@QueryHandler(ListConsentsQuery)
export class ListConsentsHandler implements IQueryHandler<ListConsentsQuery> {
  constructor(
    private readonly table: ConsentsTable,
    private readonly rosterView: RosterView,
    private readonly rosterStanding: RosterStanding,
  ) {}

  async execute({ caller, studentId }: ListConsentsQuery): Promise<StudentConsents> {
    const viewer = partyOf(caller);
    const snapshot = await this.rosterView.snapshot(studentId);
    const now = new Date();
    const refusal = viewingRefusal(viewer, studentId, viewer.kind === 'guardian' ? await this.rosterStanding.withBirthDate(snapshot) : snapshot, now);
    if (refusal) throw refusal;
    const rows = await this.table.forStudent(studentId);
    const visible = rows.filter((row) => seesConsent(viewer, { kind: row.grantedByKind, id: row.grantedById }));
    return { studentId, consents: visible.map((row) => summary(row, now)) };
  }
}

function summary(row: ConsentRow, now: Date): ConsentSummary {
  return {
    consentId: row.consentId,
    version: row.version,
    status: effectiveStatus(row, now),
    grantedBy: { kind: row.grantedByKind, id: row.grantedById },
    categories: row.categories as DataCategory[],
    recipient: { welfareAreaId: row.welfareAreaId, ...(row.roles ? { roles: row.roles as WelfareRole[] } : {}) },
    purpose: row.purpose,
    validFrom: row.validFrom,
    ...(row.validUntil ? { validUntil: row.validUntil } : {}),
    grantedAt: row.grantedAt,
    changedAt: row.changedAt,
  };
}
