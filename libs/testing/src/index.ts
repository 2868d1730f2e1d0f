export * from './csv';
export * from './kafka';
export * from './names';
export * from './postgres';
export * from './processes';
export * from './roster';
export * from './decider-spec';
export * from './test-log';
