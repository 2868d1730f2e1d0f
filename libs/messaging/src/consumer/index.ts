export * from './consumer-alarm';
export * from './incoming-message';
export * from './processed-event';
export * from './projection-consumer';
