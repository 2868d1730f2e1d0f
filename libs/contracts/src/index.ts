export * from './categories';
export * from './contract';
export * from './headers';
export * from './topics';
export * from './roster.contracts';
export * from './consent.contracts';
export * from './position-token';
export * from './disclosure.contracts';
