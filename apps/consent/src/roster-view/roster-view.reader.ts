import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CallerAssignment, Declarant, RosterSnapshot, StudentStanding } from '../domain';
import { GuardianLinkEntity, RosterAssignmentEntity, RosterStudentEntity, SchoolServiceEntity } from './roster-view.entities';

/** Reads what the roster view knows about a student, as the domain's lookup. */
@Injectable()
export class RosterView {
  constructor(private readonly dataSource: DataSource) {}

  /** The student's linked guardians and capacity; a student the view does not know has neither. */
  async snapshot(studentId: string): Promise<RosterSnapshot> {
    const [student, links] = await Promise.all([
      this.dataSource.getRepository(RosterStudentEntity).findOneBy({ studentId }),
      this.dataSource.getRepository(GuardianLinkEntity).findBy({ studentId, linked: true }),
    ]);
    return { studentId, linkedGuardianIds: links.map((link) => link.guardianId), decidesForSelf: student?.decidesForSelf ?? false };
  }

  /** The standing a declarant needs: none for the student themself (their token is enough). */
  async standingFor(actor: Declarant, studentId: string): Promise<StudentStanding> {
    return actor.kind === 'professional' ? this.standing(studentId, actor.id) : { schoolId: undefined, schoolServedBy: undefined, callerAssignments: [] };
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
