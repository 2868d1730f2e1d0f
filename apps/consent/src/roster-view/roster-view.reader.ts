import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { countOpenAlarms } from '@silta/messaging';
import { SERVICE_CONFIG, consumerGroupId, type ServiceConfig } from '@silta/platform';
import type { CallerAssignment, Declarant, RosterSnapshot, StudentStanding } from '../domain';
import { ROSTER_VIEW_GROUP } from './roster-view.consumer';
import { GuardianLinkEntity, RosterAssignmentEntity, RosterStudentEntity, SchoolServiceEntity } from './roster-view.entities';

/** Reads what the roster view knows about a student, as the domain's lookup. */
@Injectable()
export class RosterView {
  private readonly consumer: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.consumer = consumerGroupId(config, ROSTER_VIEW_GROUP);
  }

  /**
   * Refuses (503) what would widen access while a roster message about the student, their school
   * or no key at all could not be applied (an unlink or the end of an assignment, say): the view
   * may then be wider than the roster, so consent fails closed until an operator has resolved the
   * alarm (DESIGN.md invariant 9). Withdrawals and pauses only narrow, and are never refused for it.
   */
  async assertComplete(studentId: string): Promise<void> {
    const student = await this.dataSource.getRepository(RosterStudentEntity).findOneBy({ studentId });
    const keys = [studentId, ...(student?.schoolId ? [student.schoolId] : [])];
    const open = await countOpenAlarms(this.dataSource.manager, this.consumer, keys);
    if (open > 0) {
      throw new Refusal('unavailable', 'roster_view_incomplete', `a roster change about student ${studentId} could not be applied; nothing that widens access is accepted until it is resolved`);
    }
  }

  /**
   * The student's linked guardians; a student the view does not know has none. Roster's
   * `decidesForSelf` stays in the view as the school's record and is not read: who decides is
   * the professionals' per-field assessment in consent's own capacity stream.
   */
  async snapshot(studentId: string): Promise<RosterSnapshot> {
    const links = await this.dataSource.getRepository(GuardianLinkEntity).findBy({ studentId, linked: true });
    return { studentId, linkedGuardianIds: links.map((link) => link.guardianId) };
  }

  /**
   * The standing a declarant or assessor needs: none for the student themself (their token is
   * enough); for a professional, checked complete first, since it widens what they may do.
   */
  async standingFor(actor: Pick<Declarant, 'kind' | 'id'>, studentId: string): Promise<StudentStanding> {
    if (actor.kind !== 'professional') return { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] };
    await this.assertComplete(studentId);
    return this.standing(studentId, actor.id);
  }

  /**
   * The student's current school, the welfare area declared to serve it, and the professional's
   * assignments to that school (by subject; the domain checks role, welfare area and dates).
   */
  async standing(studentId: string, professionalId: string): Promise<StudentStanding> {
    const student = await this.dataSource.getRepository(RosterStudentEntity).findOneBy({ studentId });
    const schoolId = student?.schoolId ?? undefined;
    if (schoolId === undefined) return { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] };
    const [service, rows] = await Promise.all([
      this.dataSource.getRepository(SchoolServiceEntity).findOneBy({ schoolId }),
      this.dataSource.getRepository(RosterAssignmentEntity).findBy({ professionalId, schoolId }),
    ]);
    const callerAssignments: CallerAssignment[] = rows.flatMap((row) =>
      row.role === null || row.welfareAreaId === null || row.validFrom === null
        ? []
        : [
            {
              assignmentId: row.assignmentId,
              role: row.role,
              welfareAreaId: row.welfareAreaId,
              schoolId: row.schoolId,
              validFrom: row.validFrom,
              ...(row.validUntil !== null && { validUntil: row.validUntil }),
              ended: row.endedAt !== null,
            },
          ],
    );
    return { schoolId, schoolServedBy: service?.welfareAreaId, callerAssignments };
  }
}
