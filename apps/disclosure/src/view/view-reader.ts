import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { DecisionRecordEntity } from '../queries/decision-record.entity';
import type { Assignment, Category, Consent, DecisionSnapshot, Profession } from '../domain/decision';
import { AssignmentEntity, ConsentEntity, GuardianLinkEntity, SchoolEntity, StudentEntity } from './view.entities';

/** Reads the snapshot a decision needs from disclosure's view. */
@Injectable()
export class ViewReader {
  constructor(private readonly dataSource: DataSource) {}

  async snapshot(studentId: string, professionalId: string): Promise<DecisionSnapshot & { municipalityId?: string }> {
    const manager = this.dataSource.manager;
    const [student, assignments, consents, links, lastEmergency] = await Promise.all([
      manager.findOneBy(StudentEntity, { studentId }),
      manager.findBy(AssignmentEntity, { professionalId }),
      manager.findBy(ConsentEntity, { studentId }),
      manager.findBy(GuardianLinkEntity, { studentId, active: true }),
      manager.findOne(DecisionRecordEntity, {
        where: { studentId, requesterSub: professionalId, emergencyWindowStartedAt: Not(IsNull()) },
        order: { decidedAt: 'DESC' },
      }),
    ]);
    const school = student?.schoolId ? await manager.findOneBy(SchoolEntity, { schoolId: student.schoolId }) : null;
    return {
      student:
        student && student.schoolId
          ? {
              schoolId: student.schoolId,
              decidesForSelf: student.decidesForSelf,
              welfareAccessActive: student.welfareAccessActive,
              ...(student.enrolledAt ? { enrolledAt: student.enrolledAt } : {}),
            }
          : undefined,
      assignments: assignments.map(
        (a): Assignment => ({
          assignmentId: a.assignmentId,
          professionalId: a.professionalId,
          role: a.role as Profession,
          welfareAreaId: a.welfareAreaId,
          schoolId: a.schoolId,
          validFrom: a.validFrom,
          ...(a.validUntil ? { validUntil: a.validUntil } : {}),
          ended: a.ended,
        }),
      ),
      consents: consents.map(
        (c): Consent => ({
          consentId: c.consentId,
          version: c.version,
          grantedBy: { kind: c.grantedByKind, id: c.grantedById },
          categories: c.categories as Category[],
          welfareAreaId: c.welfareAreaId,
          ...(c.roles ? { roles: c.roles as Profession[] } : {}),
          status: c.status,
          validFrom: c.validFrom,
          ...(c.validUntil ? { validUntil: c.validUntil } : {}),
          ...(c.grantedAt ? { grantedAt: c.grantedAt } : {}),
          ...(c.purpose ? { purpose: c.purpose } : {}),
        }),
      ),
      linkedGuardianIds: links.map((l) => l.guardianId),
      guardianLinkedAt: Object.fromEntries(links.filter((l) => l.linkedAt).map((l) => [l.guardianId, l.linkedAt!])),
      ...(lastEmergency?.emergencyWindowStartedAt ? { emergencyWindowStartedAt: lastEmergency.emergencyWindowStartedAt } : {}),
      ...(school ? { municipalityId: school.municipalityId } : {}),
    };
  }

  /** Whether the guardian is currently linked to the student. */
  async isLinkedGuardian(studentId: string, guardianId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(GuardianLinkEntity, { studentId, guardianId, active: true });
  }
}
