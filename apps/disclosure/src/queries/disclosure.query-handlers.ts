import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, type FindOptionsWhere, Between, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { ProblemError, orgOf, type Principal } from '@silta/platform';
import type { DisclosureDecided } from '../domain/audit-events';
import { ViewReader } from '../view/view-reader';
import { DecisionRecordEntity, type DecisionRecordRow } from './decision-record.entity';
import { GetDisclosure, GetDisclosureLog, ListMyDisclosures, SearchDisclosures } from './disclosure.queries';

/** A decision as the API shows it: the recorded decision, never the released data. */
export function toView(row: DecisionRecordRow) {
  const decided = JSON.parse(row.record) as DisclosureDecided;
  return {
    disclosureId: row.disclosureId,
    requestId: row.requestId,
    decidedAt: row.decidedAt,
    requester: decided.requester,
    studentId: row.studentId,
    basis: row.basis,
    purpose: decided.input.request.purpose,
    outcome: row.outcome,
    categories: decided.decision.categories,
    policyVersion: decided.input.policy.version,
  };
}

/** Whether an auditor's organisation covers a decision: their welfare area's requests, or their municipality's students. */
function inAuditorScope(caller: Principal): FindOptionsWhere<DecisionRecordRow> {
  const org = orgOf(caller);
  if (!org) throw new ProblemError(403, 'no_organisation', 'an auditor token must name an organisation');
  return org.kind === 'welfare-area' ? { requesterOrg: caller.org! } : { municipalityId: org.id };
}

@QueryHandler(GetDisclosure)
export class GetDisclosureHandler implements IQueryHandler<GetDisclosure> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ disclosureId, caller }: GetDisclosure) {
    const scope = caller.role === 'auditor' ? inAuditorScope(caller) : { requesterSub: caller.sub };
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...scope });
    if (!row) throw new ProblemError(404, 'disclosure_not_found', `no disclosure ${disclosureId} visible to you`);
    return toView(row);
  }
}

@QueryHandler(ListMyDisclosures)
export class ListMyDisclosuresHandler implements IQueryHandler<ListMyDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ caller }: ListMyDisclosures) {
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { requesterSub: caller.sub }, order: { decidedAt: 'ASC' } });
    return { disclosures: rows.map(toView) };
  }
}

@QueryHandler(GetDisclosureLog)
export class GetDisclosureLogHandler implements IQueryHandler<GetDisclosureLog> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ViewReader,
  ) {}

  async execute({ studentId, caller }: GetDisclosureLog) {
    const allowed =
      (caller.role === 'student' && caller.sub === studentId) ||
      (caller.role === 'guardian' && (await this.view.isLinkedGuardian(studentId, caller.sub)));
    if (!allowed) throw new ProblemError(403, 'not_your_student', 'only the student or a linked guardian may read this log');
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where: { studentId }, order: { decidedAt: 'ASC' } });
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
    };
  }
}

@QueryHandler(SearchDisclosures)
export class SearchDisclosuresHandler implements IQueryHandler<SearchDisclosures> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filter, caller }: SearchDisclosures) {
    const where: FindOptionsWhere<DecisionRecordRow> = { ...inAuditorScope(caller) };
    if (filter.studentId) where.studentId = filter.studentId;
    if (filter.professionalId) where.requesterSub = filter.professionalId;
    const from = filter.from ? new Date(filter.from).toISOString() : undefined;
    const to = filter.to ? new Date(filter.to).toISOString() : undefined;
    if (from && to) where.decidedAt = Between(from, to);
    else if (from) where.decidedAt = MoreThanOrEqual(from);
    else if (to) where.decidedAt = LessThanOrEqual(to);
    const rows = await this.dataSource.manager.find(DecisionRecordEntity, { where, order: { decidedAt: 'ASC' }, take: 1000 });
    return { disclosures: rows.map(toView) };
  }
}

export const queryHandlers = [GetDisclosureHandler, ListMyDisclosuresHandler, GetDisclosureLogHandler, SearchDisclosuresHandler];
