export * from './app-logger';
export * from './request-context';
export * from './loggable-error';
