import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RosterSnapshot } from '../domain';
import { GuardianLinkEntity, RosterStudentEntity } from './roster-view.entities';

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

  /** Whether the view has seen the student enrolled at a school. */
  async knows(studentId: string): Promise<boolean> {
    const student = await this.dataSource.getRepository(RosterStudentEntity).findOneBy({ studentId });
    return student?.schoolId != null;
  }
}
