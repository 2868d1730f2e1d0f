/**
 * How replay prints its history, a row at a time as the rows are read, so memory stays flat however
 * many rows a period holds. csv and json are written in one pass. A table's columns are as wide as
 * their widest cell, which is known only at the end: the table takes two passes over the history,
 * the first measuring the columns (tableWidths), the second printing; only the widths are kept
 * between them. The output is the same text the whole-history formatter wrote.
 */
import type { HistoryRow } from './replay';

export type HistoryFormat = 'table' | 'json' | 'csv';

const COLUMNS = ['time', 'type', 'requester', 'basis', 'outcome', 'categories', 'replay'] as const;
/** Output is handed on in chunks of about this many characters rather than a write per row. */
const CHUNK = 64 * 1024;

/** Writes the rows it is given, then the end of the document. */
export interface HistoryWriter {
  row(row: HistoryRow): void;
  end(): void;
}

/** The widths of a table of `rows`, each column's widest cell or its name. */
export async function tableWidths(rows: AsyncIterable<HistoryRow>): Promise<number[]> {
  const widths: number[] = COLUMNS.map((column) => column.length);
  for await (const row of rows) COLUMNS.forEach((column, i) => (widths[i] = Math.max(widths[i]!, row[column].length)));
  return widths;
}

/** A writer of `format` to `write`; a table needs the widths tableWidths measured. */
export function historyWriter(format: HistoryFormat, write: (text: string) => void, widths?: readonly number[]): HistoryWriter {
  const out = chunked(write);
  switch (format) {
    case 'csv':
      return csvWriter(out);
    case 'json':
      return jsonWriter(out);
    case 'table':
      if (!widths) throw new Error('a table is written with the column widths measured first (tableWidths)');
      return tableWriter(out, widths);
  }
}

interface Chunked {
  (text: string): void;
  flush(): void;
}

function chunked(write: (text: string) => void): Chunked {
  let pending = '';
  const flush = () => {
    if (pending) write(pending);
    pending = '';
  };
  return Object.assign(
    (text: string) => {
      pending += text;
      if (pending.length >= CHUNK) flush();
    },
    { flush },
  );
}

function csvWriter(out: Chunked): HistoryWriter {
  const cell = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  out(`${COLUMNS.join(',')}\r\n`);
  return { row: (row) => out(`${COLUMNS.map((c) => cell(row[c])).join(',')}\r\n`), end: () => out.flush() };
}

/** The text JSON.stringify(rows, null, 2) gives, one element at a time. */
function jsonWriter(out: Chunked): HistoryWriter {
  let rows = 0;
  return {
    row: (row) => out(`${rows++ === 0 ? '[\n' : ',\n'}${JSON.stringify(row, null, 2).replace(/^/gm, '  ')}`),
    end: () => {
      out(rows === 0 ? '[]\n' : '\n]\n');
      out.flush();
    },
  };
}

function tableWriter(out: Chunked, widths: readonly number[]): HistoryWriter {
  const line = (cells: readonly string[]) => `${cells.map((text, i) => text.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  out(line(COLUMNS));
  out(line(widths.map((w) => '-'.repeat(w))));
  return { row: (row) => out(line(COLUMNS.map((c) => row[c]))), end: () => out.flush() };
}
