import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { isAdultAt } from '@silta/contracts';
import { CapacityLog } from '../consent-store/capacity-log';
import { CAPACITY_FIELDS, viewingRefusal, type CapacityField, type Party, type StudentCapacity } from '../domain';
import { partyOf } from '../http/caller';
import { RosterStanding } from '../roster-view/roster-standing';
import { GuardianLinkEntity, RosterStudentEntity, SchoolServiceEntity } from '../roster-view/roster-view.entities';
import { RosterView } from '../roster-view/roster-view.reader';
import { ListMyStudentsQuery, type FieldStanding, type MyStudent, type MyStudents } from './list-my-students.query';

/**
 * The caller's students: a guardian's are those the roster view links to them (by the subject
 * consent knows guardians by, as every consent route does), kept only where the domain lets the
 * guardian see the student's consents (linked, and under 18 by roster's birth date); a student's is
 * themself. Guardians of other students, and everyone else, get nothing of them.
 */
@QueryHandler(ListMyStudentsQuery)
export class ListMyStudentsHandler implements IQueryHandler<ListMyStudentsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rosterView: RosterView,
    private readonly rosterStanding: RosterStanding,
    private readonly capacityLog: CapacityLog,
  ) {}

  async execute({ caller }: ListMyStudentsQuery): Promise<MyStudents> {
    const viewer = partyOf(caller);
    const now = new Date();
    const candidates = viewer.kind === 'student' ? [viewer.id] : await this.linkedTo(viewer.id);
    const students = await Promise.all(candidates.map((studentId) => this.standingOf(viewer, studentId, now)));
    return { students: students.filter((student): student is MyStudent => student !== undefined) };
  }

  private async linkedTo(guardianId: string): Promise<string[]> {
    const links = await this.dataSource.getRepository(GuardianLinkEntity).find({ where: { guardianId, linked: true }, order: { studentId: 'ASC' } });
    return links.map((link) => link.studentId);
  }

  /** The student as the viewer may see them, or undefined where the domain refuses the viewer. */
  private async standingOf(viewer: Party, studentId: string, now: Date): Promise<MyStudent | undefined> {
    const { snapshot, name } = await this.rosterStanding.withBirthDateAndName(await this.rosterView.snapshot(studentId));
    // The name only after the domain lets the viewer see the student: no one else's guardian gets it.
    if (viewingRefusal(viewer, studentId, snapshot, now)) return undefined;
    const [student, capacity] = await Promise.all([this.dataSource.getRepository(RosterStudentEntity).findOneBy({ studentId }), this.capacityLog.read(studentId)]);
    const adult = isAdultAt(snapshot.birthDate, now.toISOString());
    const fields = Object.fromEntries(CAPACITY_FIELDS.map((field) => [field, fieldStanding(capacity, field, adult)])) as Record<CapacityField, FieldStanding>;
    const schoolId = student?.schoolId ?? null;
    // The welfare area serving the school: the web app's consent form offers it as the recipient.
    const service = schoolId ? await this.dataSource.getRepository(SchoolServiceEntity).findOneBy({ schoolId }) : null;
    return { studentId, name: name ?? null, schoolId, welfareAreaId: service?.welfareAreaId ?? null, adult, capacity: fields };
  }
}

/** Who decides in the field: as disclosure decides it, an adult always, a minor once assessed as deciding. */
function fieldStanding(capacity: StudentCapacity, field: CapacityField, adult: boolean): FieldStanding {
  const assessment = capacity.assessments[field];
  const decidesForSelf = adult || assessment?.decidesForSelf === true;
  return { decidesForSelf, ...(assessment ? { assessedOn: assessment.assessedOn } : {}), guardianConsentsCount: !decidesForSelf };
}
