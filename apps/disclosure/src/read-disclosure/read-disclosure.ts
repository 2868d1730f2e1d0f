import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { Answers, Caller, Responds, Roles, Summary, type Principal } from '@silta/platform';
import { auditorScope } from '../shared/auditor-scope';
import { DecisionRecordEntity } from '../shared/decision-record.entity';
import { ownDecisions, viewsOf } from '../shared/decision-views';
import { DisclosureDecision } from '../shared/decision-view.responses';

/** One decision, for its requester or an auditor of the right organisation. */
export class GetDisclosure {
  constructor(
    readonly disclosureId: string,
    readonly caller: Principal,
  ) {}
}

@QueryHandler(GetDisclosure)
export class GetDisclosureHandler implements IQueryHandler<GetDisclosure> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ disclosureId, caller }: GetDisclosure) {
    const scope = caller.role === 'auditor' ? auditorScope(caller) : ownDecisions(caller);
    const row = await this.dataSource.manager.findOneBy(DecisionRecordEntity, { disclosureId, ...scope });
    if (!row) throw new Refusal('not_found', 'disclosure_not_found', `no disclosure ${disclosureId} visible to you`);
    const [view] = await viewsOf(this.dataSource, [row]);
    return view;
  }
}

@Controller()
export class ReadDisclosureController {
  constructor(private readonly queries: QueryBus) {}

  @Get('v1/disclosures/:disclosureId')
  @Roles('curator', 'psychologist', 'nurse', 'doctor', 'auditor')
  @Responds({ 403: ['no_organisation'], 404: ['disclosure_not_found'] })
  @Answers(DisclosureDecision)
  @Summary('One decision: to its requester, or to an auditor whose organisation it concerns')
  one(@Param('disclosureId') disclosureId: string, @Caller() caller: Principal) {
    return this.queries.execute(new GetDisclosure(disclosureId, caller));
  }
}
