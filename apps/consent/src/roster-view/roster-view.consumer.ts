import { ContractRegistry, Topics, rosterContracts } from '@silta/contracts';
import { consumerProvider } from '@silta/platform';
import { RosterViewProjection } from './roster-view.projection';

/** Injection token of the consumer that keeps the roster view. */
export const ROSTER_VIEW_CONSUMER = Symbol('RosterViewConsumer');

/** Consumes silta.roster.v1 as group `consent` into the roster view. */
export const rosterViewConsumer = consumerProvider({
  provide: ROSTER_VIEW_CONSUMER,
  groupId: 'consent',
  topics: [Topics.roster],
  contracts: new ContractRegistry(rosterContracts),
  handler: RosterViewProjection,
});
