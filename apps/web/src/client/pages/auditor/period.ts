/**
 * A period picked as calendar days, as the audit routes want it: `from` at the start of its day
 * and `to` at the end of its day in the browser's time zone, ISO 8601 with an offset (Z). A day
 * the browser cannot read is passed on as typed, so the API names the field that is wrong.
 */
export function dayStart(day: string): string | undefined {
  return instantOf(day, 'T00:00:00');
}

export function dayEnd(day: string): string | undefined {
  return instantOf(day, 'T23:59:59.999');
}

function instantOf(day: string, time: string): string | undefined {
  if (day === '') return undefined;
  const date = new Date(`${day}${time}`);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(date.getTime()) ? date.toISOString() : day;
}
