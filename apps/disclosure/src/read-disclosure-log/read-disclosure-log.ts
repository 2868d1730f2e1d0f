import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, In, Not, type FindOptionsWhere } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { Answers, Caller, Responds, Roles, Summary, ZodPipe, type Principal } from '@silta/platform';
import { PageQuery } from '@silta/platform/paging';
import type { DecisionRecordRow } from '../shared/decision-record.entity';
import { pageOfDecisions, toView } from '../shared/decision-views';
import { refuseGuardianOfAdult } from '../shared/guardianship';
import { RosterClient } from '../shared/roster-client';
import { ViewReader } from '../view/view-reader';
import { GuardianVisibilityEntity } from '../view/view.entities';
import { ReadDisclosureLogAnswer } from './read-disclosure-log.responses';

/** The guardian- or student-facing log of who received a student's data, a page at a time. */
export class GetDisclosureLog {
  constructor(
    readonly studentId: string,
    readonly caller: Principal,
    readonly page: PageQuery,
  ) {}
}

@QueryHandler(GetDisclosureLog)
export class GetDisclosureLogHandler implements IQueryHandler<GetDisclosureLog> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
    private readonly roster: RosterClient,
  ) {}

  async execute({ studentId, caller, page }: GetDisclosureLog) {
    const allowed =
      (caller.role === 'student' && caller.sub === studentId) ||
      (caller.role === 'guardian' && (await this.view.isLinkedGuardian(studentId, caller.sub)));
    if (!allowed) throw new Refusal('forbidden', 'not_your_student', 'only the student or a linked guardian may read this log');
    await refuseGuardianOfAdult(this.roster, studentId, caller, new Date()); // guardianship ends at 18
    // Minors' confidentiality: the guardian-facing log omits what the student hid; the student's own log does not.
    const hidden =
      caller.role === 'guardian' ? ((await this.dataSource.manager.findOneBy(GuardianVisibilityEntity, { studentId }))?.hiddenRoles ?? []) : [];
    const where: FindOptionsWhere<DecisionRecordRow> = hidden.length ? { studentId, requesterRole: Not(In(hidden)) } : { studentId };
    const { rows, nextCursor } = await pageOfDecisions(this.dataSource, where, page);
    return {
      studentId,
      entries: rows.map((row) => {
        const view = toView(row);
        return {
          disclosureId: view.disclosureId,
          decidedAt: view.decidedAt,
          recipient: { role: view.requester.role, organisation: view.requester.org, professionalId: view.requester.sub },
          basis: view.basis,
          purpose: view.purpose,
          outcome: view.outcome,
          released: view.categories.filter((c) => c.outcome === 'permit').map((c) => c.category),
        };
      }),
      nextCursor,
    };
  }
}

@Controller()
export class DisclosureLogController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/students/:studentId/disclosure-log')
  @Roles('guardian', 'student')
  @Responds({ 403: ['not_your_student', 'student_is_adult'], 502: ['roster_unavailable'] })
  @Answers(ReadDisclosureLogAnswer)
  @Summary("Who received the student's data, when and on what basis, a page at a time (limit, cursor)")
  log(@Param('studentId') studentId: string, @Query(new ZodPipe(PageQuery)) page: PageQuery, @Caller() caller: Principal) {
    return this.queries.execute(new GetDisclosureLog(studentId, caller, page));
  }
}
