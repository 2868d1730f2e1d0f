/**
 * The rows verify reads from PostgreSQL's event table, in COPY's binary format: raw bytes that the
 * main thread frames cheaply and hands to worker threads whole (parallel-leaves.ts), so no payload
 * is decoded on the thread that reads the socket. Each row is a 16-bit field count, then each
 * field as a 32-bit length and its bytes (the text columns as UTF-8, the bigint ones 8 bytes big-endian).
 */

/** The columns, in order, as COPY_COLUMNS selects them. */
export const Column = { Position: 0, Id: 1, Stream: 2, Revision: 3, Type: 4, Data: 5, Metadata: 6 } as const;
export type Column = (typeof Column)[keyof typeof Column];
const COLUMNS = 7;

/** The SELECT list: bigint columns as 8-byte integers, the rest as text. */
export const COPY_COLUMNS = 'position::bigint, event_id::text, stream_id::text, revision::bigint, type::text, data::text, metadata::text';

/** "PGCOPY\n\xff\r\n\0", flags and the header extension's length: the start of a binary COPY. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8;

/** Where a binary COPY's first row starts in its first chunk; throws when it is not one. */
export function headerLength(chunk: Buffer): number {
  if (chunk.length < HEADER || !chunk.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
  return HEADER + chunk.readUInt32BE(SIGNATURE.length + 4);
}

/**
 * Frames the row at `at` of `bytes`: each column's start and end go to `fields` (2 entries a
 * column). Returns the offset after the row, or -1 at the stream's trailer.
 */
export function frameRow(bytes: Buffer, at: number, fields: Int32Array): number {
  const count = bytes.readInt16BE(at);
  if (count === -1) return -1;
  if (count !== COLUMNS) throw new Error(`a COPY row with ${count} columns, expected ${COLUMNS}`);
  at += 2;
  for (let column = 0; column < COLUMNS; column++) {
    const length = bytes.readInt32BE(at);
    if (length < 0) throw new Error(`a NULL in column ${column} of the event table`);
    fields[2 * column] = at + 4;
    fields[2 * column + 1] = at + 4 + length;
    at += 4 + length;
  }
  return at;
}

/** The text of `column` of the framed row. */
export function textOf(bytes: Buffer, fields: Int32Array, column: Column): string {
  return bytes.toString('utf8', fields[2 * column], fields[2 * column + 1]);
}

/** The bigint `column` of the framed row. */
export function bigintOf(bytes: Buffer, fields: Int32Array, column: Column): bigint {
  return bytes.readBigInt64BE(fields[2 * column]);
}

/** A new array for frameRow. */
export function rowFields(): Int32Array {
  return new Int32Array(2 * COLUMNS);
}
