import { Between, LessThanOrEqual, MoreThanOrEqual, type FindOperator } from 'typeorm';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

/** `from` and `to` query parameters (ISO 8601 with offset, both inclusive, either optional). */
export const PeriodQuery = z
  .strictObject({ from: instant.optional(), to: instant.optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: '`from` must not be after `to`' });
export type PeriodQuery = z.infer<typeof PeriodQuery>;

/**
 * A TypeORM condition on an ISO-8601 UTC text column for the period, or undefined for no bound.
 * The bounds are normalised to UTC first, so an offset in the query compares correctly as text.
 */
export function withinPeriod(period: { readonly from?: string; readonly to?: string }): FindOperator<string> | undefined {
  const from = period.from ? new Date(period.from).toISOString() : undefined;
  const to = period.to ? new Date(period.to).toISOString() : undefined;
  if (from && to) return Between(from, to);
  if (from) return MoreThanOrEqual(from);
  if (to) return LessThanOrEqual(to);
  return undefined;
}
