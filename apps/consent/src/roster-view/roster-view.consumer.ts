import { ContractRegistry, Topics, rosterContracts } from '@silta/contracts';
import { consumerProvider } from '@silta/platform';
import { RosterViewProjection } from './roster-view.projection';

/** Injection token of the consumer that keeps the roster view. */
export const ROSTER_VIEW_CONSUMER = Symbol('RosterViewConsumer');

/** The roster view consumer's group (KAFKA_GROUP_SUFFIX is appended); its alarms are the view's. */
export const ROSTER_VIEW_GROUP = 'consent';

/** Consumes silta.roster.v1 as group `consent` into the roster view. */
export const rosterViewConsumer = consumerProvider({
  provide: ROSTER_VIEW_CONSUMER,
  groupId: ROSTER_VIEW_GROUP,
  topics: [Topics.roster],
  contracts: new ContractRegistry(rosterContracts),
  handler: RosterViewProjection,
});
