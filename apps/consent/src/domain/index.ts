export * from './consent';
export * from './consent.commands';
export * from './consent.decider';
export * from './consent.errors';
export * from './consent.events';
export * from './party';
