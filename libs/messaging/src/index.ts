export * from './consumer';
export * from './kafka';
export * from './logger';
export * from './relay';
export * from './shutdown';
export * from './trace-context';
