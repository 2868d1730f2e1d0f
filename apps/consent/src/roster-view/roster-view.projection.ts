import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AssignmentEndedV1,
  GuardianLinkedV1,
  GuardianUnlinkedV1,
  ProfessionalAssignedV1,
  SchoolServiceDeclaredV1,
  StudentCapacityRecordedV1,
  StudentEnrolledV1,
  StudentTransferredV1,
  type IntegrationEventContract,
} from '@silta/contracts';
import type { IncomingMessage } from '@silta/messaging';
import { GuardianLinkEntity, RosterAssignmentEntity, RosterStudentEntity, SchoolServiceEntity } from './roster-view.entities';

type PayloadOf<C> = C extends IntegrationEventContract<string, infer P> ? P : never;

/**
 * Projects silta.roster.v1 into consent's roster view: each student's current school, guardian
 * links and capacity, professionals' assignments and which welfare area serves each school. Runs in the consumer's transaction with the processed-event marker, so a
 * redelivered message changes nothing. Every change carries its own time and is applied only if
 * it is not older than what the row holds, so the view converges whatever order messages arrive
 * in; events consent does not need are ignored.
 */
@Injectable()
export class RosterViewProjection {
  async handle(message: IncomingMessage, manager: EntityManager): Promise<void> {
    switch (message.type) {
      case StudentEnrolledV1.type: {
        const e = message.payload as PayloadOf<typeof StudentEnrolledV1>;
        return this.setSchool(manager, e.studentId, e.schoolId, e.enrolledAt);
      }
      case StudentTransferredV1.type: {
        const e = message.payload as PayloadOf<typeof StudentTransferredV1>;
        return this.setSchool(manager, e.studentId, e.toSchoolId, e.transferredAt);
      }
      case StudentCapacityRecordedV1.type: {
        const e = message.payload as PayloadOf<typeof StudentCapacityRecordedV1>;
        return this.setCapacity(manager, e.studentId, e.decidesForSelf, e.recordedAt);
      }
      case GuardianLinkedV1.type: {
        const e = message.payload as PayloadOf<typeof GuardianLinkedV1>;
        return this.setLink(manager, e.studentId, e.guardianId, true, e.linkedAt);
      }
      case GuardianUnlinkedV1.type: {
        const e = message.payload as PayloadOf<typeof GuardianUnlinkedV1>;
        return this.setLink(manager, e.studentId, e.guardianId, false, e.unlinkedAt);
      }
      case ProfessionalAssignedV1.type: {
        const e = message.payload as PayloadOf<typeof ProfessionalAssignedV1>;
        return this.assign(manager, e);
      }
      case AssignmentEndedV1.type: {
        const e = message.payload as PayloadOf<typeof AssignmentEndedV1>;
        return this.endAssignment(manager, e.assignmentId, e.schoolId, e.endedAt);
      }
      case SchoolServiceDeclaredV1.type: {
        const e = message.payload as PayloadOf<typeof SchoolServiceDeclaredV1>;
        return this.setService(manager, e.schoolId, e.welfareAreaId, e.declaredAt);
      }
      default:
        return; // school registrations and welfare access do not concern consent
    }
  }

  /** An assignment never changes once made, so applying it again changes nothing; an earlier end stays. */
  private async assign(manager: EntityManager, e: PayloadOf<typeof ProfessionalAssignedV1>): Promise<void> {
    const current = await manager.findOneBy(RosterAssignmentEntity, { assignmentId: e.assignmentId });
    await manager.save(RosterAssignmentEntity, {
      assignmentId: e.assignmentId,
      professionalId: e.professionalId,
      role: e.role,
      welfareAreaId: e.welfareAreaId,
      schoolId: e.schoolId,
      validFrom: e.validFrom,
      validUntil: e.validUntil ?? null,
      endedAt: current?.endedAt ?? null,
    });
  }

  /** An end is final: the earliest end recorded holds, and it may arrive before the assignment. */
  private async endAssignment(manager: EntityManager, assignmentId: string, schoolId: string, at: string): Promise<void> {
    const endedAt = utc(at);
    const current = await manager.findOneBy(RosterAssignmentEntity, { assignmentId });
    if (current?.endedAt && current.endedAt <= endedAt) return;
    await manager.save(RosterAssignmentEntity, {
      ...(current ?? { assignmentId, professionalId: null, role: null, welfareAreaId: null, schoolId, validFrom: null, validUntil: null }),
      endedAt,
    });
  }

  private async setService(manager: EntityManager, schoolId: string, welfareAreaId: string, at: string): Promise<void> {
    const asOf = utc(at);
    const current = await manager.findOneBy(SchoolServiceEntity, { schoolId });
    if (current && current.asOf > asOf) return;
    await manager.save(SchoolServiceEntity, { schoolId, welfareAreaId, asOf });
  }

  private async setSchool(manager: EntityManager, studentId: string, schoolId: string, at: string): Promise<void> {
    const asOf = utc(at);
    const current = await manager.findOneBy(RosterStudentEntity, { studentId });
    if (current?.schoolAsOf && current.schoolAsOf > asOf) return;
    await manager.save(RosterStudentEntity, { ...(current ?? blankStudent(studentId)), schoolId, schoolAsOf: asOf });
  }

  private async setCapacity(manager: EntityManager, studentId: string, decidesForSelf: boolean, at: string): Promise<void> {
    const asOf = utc(at);
    const current = await manager.findOneBy(RosterStudentEntity, { studentId });
    if (current?.capacityAsOf && current.capacityAsOf > asOf) return;
    await manager.save(RosterStudentEntity, { ...(current ?? blankStudent(studentId)), decidesForSelf, capacityAsOf: asOf });
  }

  private async setLink(manager: EntityManager, studentId: string, guardianId: string, linked: boolean, at: string): Promise<void> {
    const asOf = utc(at);
    const current = await manager.findOneBy(GuardianLinkEntity, { studentId, guardianId });
    if (current && current.asOf > asOf) return;
    await manager.save(GuardianLinkEntity, { studentId, guardianId, linked, asOf });
  }
}

/** A student the view has heard of before their enrolment arrived: no school, no capacity. */
function blankStudent(studentId: string) {
  return { studentId, schoolId: null, schoolAsOf: null, decidesForSelf: false, capacityAsOf: null };
}

/** Contracts allow any offset; one UTC form makes the stored times comparable as text. */
function utc(isoDateTime: string): string {
  return new Date(isoDateTime).toISOString();
}
