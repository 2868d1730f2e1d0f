/** The SELECTs behind readStream and readAll: one statement each, ordered as the port promises. */
import type { ReadAllOptions, ReadStreamOptions } from '../port';
import { EVENTS_TABLE, type SqlDialect } from './sql-dialect';
import { SELECTED_COLUMNS } from './sql-log';

export interface SqlQuery {
  readonly sql: string;
  readonly params: unknown[];
}

/** A stream's events by revision, forwards or backwards from `fromRevision` (inclusive). */
export function streamQuery(dialect: SqlDialect, streamId: string, options: ReadStreamOptions): SqlQuery {
  const backwards = options.direction === 'backwards';
  const params: unknown[] = [streamId];
  let where = `stream_id = ${dialect.placeholder(1)}`;
  if (options.fromRevision !== undefined) {
    params.push(dialect.bigintParam(options.fromRevision));
    where += ` AND revision ${backwards ? '<=' : '>='} ${dialect.placeholder(2)}`;
  }
  return {
    sql: `SELECT ${SELECTED_COLUMNS} FROM ${EVENTS_TABLE} WHERE ${where} ORDER BY revision ${backwards ? 'DESC' : 'ASC'}${limit(options.maxCount)}`,
    params,
  };
}

/** The whole log by position, strictly after `after` when given. */
export function allQuery(dialect: SqlDialect, options: ReadAllOptions): SqlQuery {
  const params: unknown[] = [];
  let where = '';
  if (options.after !== undefined) {
    params.push(dialect.bigintParam(options.after));
    where = ` WHERE position > ${dialect.placeholder(1)}`;
  }
  return { sql: `SELECT ${SELECTED_COLUMNS} FROM ${EVENTS_TABLE}${where} ORDER BY position ASC${limit(options.maxCount)}`, params };
}

function limit(maxCount: number | undefined): string {
  return maxCount !== undefined ? ` LIMIT ${Math.max(0, Math.floor(maxCount))}` : '';
}
