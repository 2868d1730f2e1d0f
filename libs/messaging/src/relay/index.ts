export * from './event-relay';
export * from './relay-state';
