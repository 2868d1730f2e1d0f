export * from './esdb-event-store';
export { EsdbSubscription } from './esdb-subscription';
