export * from './sql-event-store';
export { postgresDialect, sqliteDialect, type SqlDialect } from './sql-dialect';
