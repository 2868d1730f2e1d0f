import { And, Equal, FindOperator, MoreThan, type FindOptionsWhere } from 'typeorm';
import { z } from 'zod';
import { Refusal } from '@silta/contracts';

/** How many rows a page holds unless the caller asks for fewer or more (at most MAX_PAGE_SIZE). */
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

/** `cursor` (opaque, from the previous page's `nextCursor`) and `limit` query parameters. */
export const PageQuery = z.strictObject({
  cursor: z.string().min(1).max(600).regex(/^[A-Za-z0-9_-]+$/, 'a cursor from a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type PageQuery = z.infer<typeof PageQuery>;

const instant = z.iso.datetime({ offset: true });

/** A period (`from`, `to`: ISO 8601 with offset, inclusive, either optional) and a page of it. */
export const PeriodPageQuery = z
  .strictObject({ from: instant.optional(), to: instant.optional(), ...PageQuery.shape })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: '`from` must not be after `to`' });
export type PeriodPageQuery = z.infer<typeof PeriodPageQuery>;

/** Where the previous page ended: the sort key and the tie-breaking id of its last row. */
interface Position {
  readonly at: string;
  readonly id: string;
}

/** The cursor naming the position after `row`. */
export function cursorAfter(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id]), 'utf8').toString('base64url');
}

function positionOf(cursor: string): Position {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded) && decoded.length === 2 && decoded.every((part) => typeof part === 'string')) {
      return { at: decoded[0] as string, id: decoded[1] as string };
    }
  } catch {
    // fall through: not one of ours
  }
  throw new Refusal('invalid', 'invalid_request', 'cursor: not a cursor this API gave out', { errors: [{ field: 'cursor', message: 'not a cursor this API gave out' }] });
}

/**
 * A page of rows ordered by a text sort key (an ISO date-time) and then a unique id, so that rows
 * sharing a time are neither skipped nor repeated between pages. `where` is the caller's scope and
 * filter; `atField` may already carry a condition (a period), which the cursor narrows further.
 * Lists end with `nextCursor: null`; a full page names where the next one starts.
 */
export async function readPage<Row extends object>(
  find: (options: { where: FindOptionsWhere<Row>[]; order: Record<string, 'ASC'>; take: number }) => Promise<Row[]>,
  where: FindOptionsWhere<Row>,
  keys: { readonly at: keyof Row & string; readonly id: keyof Row & string },
  page: PageQuery,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  let clauses: FindOptionsWhere<Row>[] = [where];
  if (page.cursor) {
    const { at, id } = positionOf(page.cursor);
    const narrow = (key: string, operator: FindOperator<string>) => {
      const existing = (where as Record<string, unknown>)[key] as FindOperator<string> | string | undefined;
      if (existing === undefined) return operator;
      return And(existing instanceof FindOperator ? existing : Equal(existing), operator);
    };
    clauses = [
      { ...where, [keys.at]: narrow(keys.at, MoreThan(at)) } as FindOptionsWhere<Row>,
      { ...where, [keys.at]: narrow(keys.at, Equal(at)), [keys.id]: narrow(keys.id, MoreThan(id)) } as FindOptionsWhere<Row>,
    ];
  }
  const rows = await find({ where: clauses, order: { [keys.at]: 'ASC', [keys.id]: 'ASC' }, take: page.limit + 1 });
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept[kept.length - 1] as Record<string, unknown> | undefined;
  return { rows: kept, nextCursor: more && last ? cursorAfter(String(last[keys.at]), String(last[keys.id])) : null };
}
