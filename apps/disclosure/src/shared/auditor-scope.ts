import type { FindOptionsWhere } from 'typeorm';
import { Refusal } from '@silta/contracts';
import { orgOf, type Principal } from '@silta/platform';
import type { DecisionRecordRow } from './decision-record.entity';

/** An auditor sees their welfare area's requests, or the decisions about their municipality's students. */
export function auditorScope(caller: Principal): FindOptionsWhere<DecisionRecordRow> {
  const org = orgOf(caller);
  if (!org) throw new Refusal('forbidden', 'no_organisation', 'an auditor token must name an organisation');
  return org.kind === 'welfare-area' ? { requesterOrg: caller.org! } : { municipalityId: org.id };
}
