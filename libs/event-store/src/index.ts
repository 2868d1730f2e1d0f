export * from './port';
export * from './decider';
export * from './metadata';
