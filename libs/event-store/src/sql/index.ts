export * from './sql-event-store';
export { EVENTS_TABLE, postgresDialect, sqliteDialect, type SqlDialect } from './sql-dialect';
/** How a row of the log table is selected and read back, for readers that join it to their own tables (silta-audit replay). */
export { SELECTED_COLUMNS, toRecordedEvent, type EventRow } from './sql-log';
