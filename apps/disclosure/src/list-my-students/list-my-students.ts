import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, In } from 'typeorm';
import { z } from 'zod';
import { Refusal } from '@silta/contracts';
import { assignmentCovers, type Profession } from '@silta/decision';
import { countOpenAlarms } from '@silta/messaging';
import { Answers, Caller, Responds, Roles, SERVICE_CONFIG, Summary, ZodPipe, consumerGroupId, orgOf, type Principal, type ServiceConfig } from '@silta/platform';
import { PageQuery, readPage } from '@silta/platform/paging';
import { VIEW_CONSUMER_GROUP } from '../view/view.constants';
import { AssignmentEntity, SchoolEntity, StudentEntity, type AssignmentRow, type StudentRow } from '../view/view.entities';

/** One of the schools the professional serves today, by the assignment that makes it so. */
const AssignedSchool = z.strictObject({
  schoolId: z.string(),
  assignmentId: z.string(),
  validFrom: z.iso.date(),
  validUntil: z.iso.date().optional(),
});

/** The professional's schools today, and a page of the students currently enrolled at them: ids only, no records. */
export const MyStudentsPage = z
  .strictObject({
    schools: z.array(AssignedSchool),
    students: z.array(z.strictObject({ schoolId: z.string(), studentId: z.string(), welfareAccessActive: z.boolean() })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'MyStudentsPage' });
type MyStudentsPage = z.infer<typeof MyStudentsPage>;

/** A welfare professional asks which students they serve today. */
export class ListMyStudents {
  constructor(
    readonly caller: Principal,
    readonly page: PageQuery,
  ) {}
}

/**
 * The students currently enrolled, by disclosure's view, at the schools where the professional
 * holds an assignment valid today in their own role and welfare area, and which that welfare area
 * is declared to serve: the same test a decision's precondition applies (assignmentCovers), so the
 * list never names a student a request would be refused for lack of an assignment. Only ids and
 * whether welfare access is active: identification data leave roster only through a recorded
 * disclosure. Fails closed (503) while a roster message about one of those schools could not be
 * applied, as a decision does: an end of assignment lost there would leave the list too wide.
 */
@QueryHandler(ListMyStudents)
export class ListMyStudentsHandler implements IQueryHandler<ListMyStudents> {
  private readonly consumer: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.consumer = consumerGroupId(config, VIEW_CONSUMER_GROUP);
  }

  async execute({ caller, page }: ListMyStudents): Promise<MyStudentsPage> {
    const welfareAreaId = welfareAreaOf(caller);
    const requester = { professionalId: caller.sub, role: caller.role as Profession, welfareAreaId };
    const now = new Date().toISOString();
    const manager = this.dataSource.manager;
    const held = await manager.findBy(AssignmentEntity, { professionalId: caller.sub, welfareAreaId, role: caller.role, ended: false });
    const current = held.filter((row) => assignmentCovers(assignmentOf(row), requester, row.schoolId, now));
    const served = new Set(
      (await manager.findBy(SchoolEntity, { schoolId: In(current.map((row) => row.schoolId)), servedBy: welfareAreaId })).map((school) => school.schoolId),
    );
    const schools = current.filter((row) => served.has(row.schoolId)).sort((a, b) => a.schoolId.localeCompare(b.schoolId) || a.assignmentId.localeCompare(b.assignmentId));
    const schoolIds = [...new Set(schools.map((row) => row.schoolId))];
    if (schoolIds.length > 0 && (await countOpenAlarms(manager, this.consumer, schoolIds)) > 0) {
      throw new Refusal('unavailable', 'view_incomplete', 'a roster change about one of your schools could not be applied; the list is withheld until it is resolved');
    }
    const { rows, nextCursor } = schoolIds.length
      ? await readPage<StudentRow>((options) => manager.find(StudentEntity, options), { schoolId: In(schoolIds) }, { at: 'schoolId', id: 'studentId' }, page)
      : { rows: [], nextCursor: null };
    return {
      schools: schools.map((row) => ({ schoolId: row.schoolId, assignmentId: row.assignmentId, validFrom: row.validFrom, ...(row.validUntil ? { validUntil: row.validUntil } : {}) })),
      students: rows.map((row) => ({ schoolId: row.schoolId!, studentId: row.studentId, welfareAccessActive: row.welfareAccessActive })),
      nextCursor,
    };
  }
}

/** The welfare area a professional's token names; any other organisation (or none) is refused. */
function welfareAreaOf(caller: Principal): string {
  const org = orgOf(caller);
  if (org?.kind !== 'welfare-area') throw new Refusal('forbidden', 'no_organisation', 'a welfare professional token must name their welfare area');
  return org.id;
}

function assignmentOf(row: AssignmentRow) {
  return { ...row, role: row.role as Profession, validUntil: row.validUntil ?? undefined };
}

@Controller()
export class ListMyStudentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/me/students')
  @Roles('curator', 'psychologist', 'nurse', 'doctor')
  @Responds({ 403: ['no_organisation'], 503: ['view_incomplete'] })
  @Answers(MyStudentsPage)
  @Summary(
    'The schools where you hold an assignment valid today (in your role and welfare area, at a school it serves) and a page of the students currently enrolled there, ' +
      'ordered by school and student id: ids and whether welfare access is active, no identification data or records (those come only through a disclosure). ' +
      'limit, cursor: the nextCursor of the previous page; null on the last',
  )
  mine(@Query(new ZodPipe(PageQuery)) page: PageQuery, @Caller() caller: Principal): Promise<MyStudentsPage> {
    return this.queries.execute(new ListMyStudents(caller, page));
  }
}
