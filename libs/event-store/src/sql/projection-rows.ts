/**
 * Writing the rows of inline projections (EventStore.appendWithProjection) inside an append's
 * transaction, on both append paths: one multi-row upsert per table and column set, however many
 * appends of a group commit brought rows.
 */
import type { QueryRunner } from 'typeorm';
import type { ProjectionRows, ProjectionValue } from '../port';
import type { SqlDialect } from './sql-dialect';

/** Bind parameters per statement at most: under SQLite's 32,766 and PostgreSQL's 65,535. */
const PARAMS_PER_STATEMENT = 30_000;

/** Rows of one table with one column set and one key: what a single upsert statement can take. */
interface UpsertGroup {
  readonly table: string;
  readonly key: readonly string[];
  readonly columns: readonly string[];
  /** Each row's values in `columns` order, by the row's key values: the last row for a key wins. */
  readonly rows: Map<string, ProjectionValue[]>;
}

/**
 * Writes `projected` with `runner`, in its transaction; a later row for a key replaces an earlier
 * one. A column a row leaves out (or leaves undefined) is not written.
 */
export async function writeProjectionRows(runner: QueryRunner, dialect: SqlDialect, projected: readonly ProjectionRows[]): Promise<void> {
  for (const group of upsertGroups(projected)) {
    const rows = [...group.rows.values()];
    const rowsPerStatement = Math.max(1, Math.floor(PARAMS_PER_STATEMENT / group.columns.length));
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      await runner.query(upsertStatement(dialect, group, chunk.length), chunk.flat().map((value) => dialect.projectionParam(value)));
    }
  }
}

function upsertGroups(projected: readonly ProjectionRows[]): UpsertGroup[] {
  const groups = new Map<string, UpsertGroup>();
  for (const { table, key, rows } of projected) {
    for (const row of rows) {
      const columns = Object.keys(row)
        .filter((column) => row[column] !== undefined)
        .sort();
      const missing = key.filter((column) => !columns.includes(column));
      if (missing.length > 0) throw new RangeError(`a row for ${table} lacks its key column(s) ${missing.join(', ')}`);
      const name = JSON.stringify([table, key, columns]);
      let group = groups.get(name);
      if (!group) groups.set(name, (group = { table, key, columns, rows: new Map() }));
      // One upsert may not touch a row twice (PostgreSQL refuses), so a later row for a key replaces the earlier.
      const keyValues = JSON.stringify(key.map((column) => row[column]));
      group.rows.delete(keyValues);
      group.rows.set(keyValues, columns.map((column) => row[column] as ProjectionValue));
    }
  }
  return [...groups.values()];
}

/** `INSERT … ON CONFLICT (key) DO UPDATE` for `rowCount` rows; both PostgreSQL and SQLite (3.24+) speak it. */
function upsertStatement(dialect: SqlDialect, { table, key, columns }: UpsertGroup, rowCount: number): string {
  let n = 0;
  const values = Array.from({ length: rowCount }, () => `(${columns.map(() => dialect.placeholder(++n)).join(', ')})`);
  const updated = columns.filter((column) => !key.includes(column));
  const onConflict = updated.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updated.map((column) => `${quoted(column)} = excluded.${quoted(column)}`).join(', ')}`;
  return `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (${key.map(quoted).join(', ')}) ${onConflict}`;
}

/** An SQL identifier, quoted: table and column names come from code, but may be any string. */
function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
