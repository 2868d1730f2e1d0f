import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AssignmentEndedV1,
  CapacityAssessedV1,
  ConsentGrantedV1,
  ConsentPausedV1,
  ConsentResumedV1,
  ConsentWithdrawnV1,
  GuardianLinkedV1,
  GuardianUnlinkedV1,
  GuardianVisibilityChangedV1,
  ProfessionalAssignedV1,
  SchoolRegisteredV1,
  SchoolServiceDeclaredV1,
  StudentCapacityRecordedV1,
  StudentEnrolledV1,
  StudentTransferredV1,
  WelfareAccessChangedV1,
  type IntegrationEventContract,
} from '@silta/contracts';
import type { IncomingMessage } from '@silta/messaging';
import {
  AssignmentEntity,
  CapacityEntity,
  ConsentEntity,
  GuardianLinkEntity,
  GuardianVisibilityEntity,
  SchoolEntity,
  StudentEntity,
  type ConsentRow,
} from './view.entities';

type PayloadOf<C> = C extends IntegrationEventContract<string, infer P> ? P : never;

/**
 * Projects roster's and consent's public events into disclosure's view. Each change is an upsert
 * or a guarded update, so a redelivery has no effect and events of one student, which share a
 * partition, apply in order; a consent change older than what the view holds is ignored.
 */
@Injectable()
export class ViewProjection {
  async handle(message: IncomingMessage, manager: EntityManager): Promise<void> {
    const p = message.payload;
    switch (message.type) {
      case SchoolRegisteredV1.type: {
        const e = p as PayloadOf<typeof SchoolRegisteredV1>;
        await manager.upsert(SchoolEntity, { schoolId: e.schoolId, municipalityId: e.municipalityId }, ['schoolId']);
        return;
      }
      case SchoolServiceDeclaredV1.type: {
        const e = p as PayloadOf<typeof SchoolServiceDeclaredV1>;
        const current = await manager.findOneBy(SchoolEntity, { schoolId: e.schoolId });
        if (current?.serviceDeclaredAt && current.serviceDeclaredAt > e.declaredAt) return; // the newest declaration wins
        await manager.upsert(
          SchoolEntity,
          { schoolId: e.schoolId, municipalityId: e.municipalityId, servedBy: e.welfareAreaId, serviceDeclaredAt: e.declaredAt },
          ['schoolId'],
        );
        return;
      }
      case StudentEnrolledV1.type: {
        const e = p as PayloadOf<typeof StudentEnrolledV1>;
        await this.updateStudent(manager, e.studentId, { schoolId: e.schoolId, enrolledAt: e.enrolledAt });
        return;
      }
      case StudentTransferredV1.type: {
        const e = p as PayloadOf<typeof StudentTransferredV1>;
        await this.updateStudent(manager, e.studentId, { schoolId: e.toSchoolId, enrolledAt: e.transferredAt });
        return;
      }
      case StudentCapacityRecordedV1.type: {
        const e = p as PayloadOf<typeof StudentCapacityRecordedV1>;
        await this.updateStudent(manager, e.studentId, { decidesForSelf: e.decidesForSelf });
        return;
      }
      case WelfareAccessChangedV1.type: {
        const e = p as PayloadOf<typeof WelfareAccessChangedV1>;
        await this.updateStudent(manager, e.studentId, { welfareAccessActive: e.active });
        return;
      }
      case GuardianLinkedV1.type: {
        const e = p as PayloadOf<typeof GuardianLinkedV1>;
        await manager.upsert(GuardianLinkEntity, { studentId: e.studentId, guardianId: e.guardianId, active: true, linkedAt: e.linkedAt }, ['studentId', 'guardianId']);
        return;
      }
      case GuardianUnlinkedV1.type: {
        const e = p as PayloadOf<typeof GuardianUnlinkedV1>;
        await manager.upsert(GuardianLinkEntity, { studentId: e.studentId, guardianId: e.guardianId, active: false, linkedAt: null }, ['studentId', 'guardianId']);
        return;
      }
      case ProfessionalAssignedV1.type: {
        const e = p as PayloadOf<typeof ProfessionalAssignedV1>;
        await manager.upsert(AssignmentEntity, { ...e, validUntil: e.validUntil ?? null, ended: false }, ['assignmentId']);
        return;
      }
      case AssignmentEndedV1.type: {
        const e = p as PayloadOf<typeof AssignmentEndedV1>;
        await manager.update(AssignmentEntity, { assignmentId: e.assignmentId }, { ended: true });
        return;
      }
      case ConsentGrantedV1.type: {
        const e = p as PayloadOf<typeof ConsentGrantedV1>;
        const current = await manager.findOneBy(ConsentEntity, { consentId: e.consentId });
        if (current && current.version > e.version) return;
        if (current?.status === 'withdrawn') return;
        await manager.upsert(
          ConsentEntity,
          {
            consentId: e.consentId,
            version: e.version,
            studentId: e.studentId,
            grantedByKind: e.grantedBy.kind,
            grantedById: e.grantedBy.id,
            categories: [...e.categories],
            welfareAreaId: e.recipient.welfareAreaId,
            roles: e.recipient.roles ? [...e.recipient.roles] : null,
            status: 'active',
            validFrom: e.validFrom,
            validUntil: e.validUntil ?? null,
            grantedAt: e.grantedAt,
            purpose: e.purpose,
          },
          ['consentId'],
        );
        return;
      }
      case ConsentWithdrawnV1.type:
        return this.setConsentStatus(manager, p as PayloadOf<typeof ConsentWithdrawnV1>, 'withdrawn');
      case ConsentPausedV1.type:
        return this.setConsentStatus(manager, p as PayloadOf<typeof ConsentPausedV1>, 'paused');
      case ConsentResumedV1.type:
        return this.setConsentStatus(manager, p as PayloadOf<typeof ConsentResumedV1>, 'active');
      case GuardianVisibilityChangedV1.type: {
        const e = p as PayloadOf<typeof GuardianVisibilityChangedV1>;
        const current = await manager.findOneBy(GuardianVisibilityEntity, { studentId: e.studentId });
        if (current && current.changedAt > e.changedAt) return; // the newest declaration wins
        await manager.upsert(GuardianVisibilityEntity, { studentId: e.studentId, hiddenRoles: [...e.hiddenRoles], changedAt: e.changedAt }, ['studentId']);
        return;
      }
      case CapacityAssessedV1.type: {
        const e = p as PayloadOf<typeof CapacityAssessedV1>;
        // Offsets normalised, so the newest assessment of the field wins however it was written.
        const assessedAt = new Date(e.assessedAt).toISOString();
        const current = await manager.findOneBy(CapacityEntity, { studentId: e.studentId, field: e.field });
        if (current && current.assessedAt > assessedAt) return; // the newest assessment wins
        await manager.upsert(
          CapacityEntity,
          {
            studentId: e.studentId,
            field: e.field,
            decidesForSelf: e.decidesForSelf,
            assessedOn: e.assessedOn,
            assessedById: e.assessedBy.id,
            assessedByRole: e.assessedBy.role,
            assessedAt,
          },
          ['studentId', 'field'],
        );
        return;
      }
      default:
        return; // a contract this view does not need
    }
  }

  private async updateStudent(
    manager: EntityManager,
    studentId: string,
    change: Partial<{ schoolId: string; enrolledAt: string; decidesForSelf: boolean; welfareAccessActive: boolean }>,
  ): Promise<void> {
    const current = await manager.findOneBy(StudentEntity, { studentId });
    await manager.save(StudentEntity, {
      studentId,
      schoolId: current?.schoolId ?? null,
      enrolledAt: current?.enrolledAt ?? null,
      decidesForSelf: current?.decidesForSelf ?? false,
      welfareAccessActive: current?.welfareAccessActive ?? false,
      ...change,
    });
  }

  /** Withdrawal is final: nothing moves a withdrawn consent back. */
  private async setConsentStatus(
    manager: EntityManager,
    e: { consentId: string; version: number; studentId: string },
    status: ConsentRow['status'],
  ): Promise<void> {
    const current = await manager.findOneBy(ConsentEntity, { consentId: e.consentId });
    if (!current || current.status === 'withdrawn' || current.version > e.version) {
      if (!current && status === 'withdrawn') {
        // The withdrawal overtook the grant (it cannot on one partition, but stay safe): remember it.
        await manager.insert(ConsentEntity, {
          consentId: e.consentId,
          version: e.version,
          studentId: e.studentId,
          grantedByKind: 'guardian',
          grantedById: '',
          categories: [],
          welfareAreaId: '',
          roles: null,
          status,
          validFrom: new Date(0).toISOString(),
          validUntil: null,
          grantedAt: null,
          purpose: null,
        });
      }
      return;
    }
    await manager.update(ConsentEntity, { consentId: e.consentId }, { status });
  }
}
