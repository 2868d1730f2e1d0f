export * from './polling-subscription';
