/**
 * Majority in Finland, the one rule both consent and disclosure apply: who may let a student's data
 * flow, and whose consent counts, changes on the student's 18th birthday. Plain TypeScript, no clock:
 * the caller passes the instant.
 */

/**
 * Whether the student is 18 or more at `now`: custody ends when the child turns 18 (laki lapsen
 * huollosta ja tapaamisoikeudesta 361/1983 3 §). The 18th birthday begins at midnight in Finland's
 * time zone (Europe/Helsinki): `now` is read as the Helsinki calendar date. A student born on
 * 29 February turns 18 on 1 March, since the 18th birthday never falls in a leap year (taken as the
 * Finnish practice for a non-leap year: they are a minor on 28 February, the later and narrower
 * reading for guardians' consents; not confirmed here from a primary source, so it is named in the
 * README for the municipality's legal review). The day begins at midnight, as the old guardianship
 * act counted majority from the start of the calendar day.
 * An unknown or malformed birth date gives false: nothing changes for that student.
 */
export function isAdultAt(birthDate: string | undefined, now: string): boolean {
  const born = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate ?? '');
  const at = new Date(now);
  if (!born || Number.isNaN(at.getTime())) return false;
  const year = Number(born[1]) + 18;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDay = `${born[2]}-${born[3]}` === '02-29' && !leap ? '03-01' : `${born[2]}-${born[3]}`;
  return helsinkiDate(at) >= `${String(year).padStart(4, '0')}-${monthDay}`;
}

const HELSINKI_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date (YYYY-MM-DD) in Europe/Helsinki at an instant. */
function helsinkiDate(at: Date): string {
  const parts = Object.fromEntries(HELSINKI_DATE.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
