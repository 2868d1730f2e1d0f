export * from './postgres';
export * from './names';
