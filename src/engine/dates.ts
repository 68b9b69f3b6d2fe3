/** Calendar arithmetic on ISO dates (YYYY-MM-DD prefix). Pure: never reads the clock. */

const DAY_MS = 86_400_000;

/**
 * Date.UTC rolls an impossible day over (2026-02-30 → 2026-03-02, 2026-13-01 → 2027-01-01): a misread date must
 * not silently become another real day, so an impossible day is NaN. Years 0000–0099 are NaN as well (Date.UTC reads
 * them as 1900–1999, so the earlier round trip through Date never gave them back).
 */
const DIGIT_0 = 48;

function digit(iso: string, i: number): number {
  const d = iso.charCodeAt(i) - DIGIT_0;
  return d >= 0 && d <= 9 ? d : -1;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil): the same day number as
 * Date.UTC(year, month − 1, day) / 86 400 000 for every year from 100 on, without building a Date.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 (UTC) of the date part of an ISO date/date-time; NaN when unparseable. */
export function dayNumber(iso: string): number {
  // YYYY-MM-DD at the start (anything may follow: a time, a zone), read digit by digit: the engine compares the
  // same dates thousands of times per patient, so this is arithmetic only — no regex, no Date, no cache.
  if (typeof iso !== 'string' || iso.length < 10) return Number.NaN;
  const y0 = digit(iso, 0);
  const y1 = digit(iso, 1);
  const y2 = digit(iso, 2);
  const y3 = digit(iso, 3);
  const m0 = digit(iso, 5);
  const m1 = digit(iso, 6);
  const d0 = digit(iso, 8);
  const d1 = digit(iso, 9);
  if (
    (y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0 ||
    iso.charCodeAt(4) !== 45 /* - */ ||
    iso.charCodeAt(7) !== 45 /* - */
  )
    return Number.NaN;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (year < 100 || month < 1 || month > 12 || day < 1) return Number.NaN;
  const monthDays = month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
  if (day > monthDays) return Number.NaN;
  return daysFromCivil(year, month, day);
}

/** b − a in whole days. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** YYYY-MM-DD of a day number (inverse of dayNumber); "(no date)" when it is not finite. */
export function dayToIso(day: number): string {
  if (!Number.isFinite(day)) return '(no date)';
  return isoOfDay(day);
}

/** Day numbers of 0000-01-01 and 9999-12-31: within them toISOString gives a plain four-digit year. */
const FIRST_PLAIN_DAY = -719528;
const LAST_PLAIN_DAY = 2932896;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The first ten characters of new Date(day × 86 400 000).toISOString() for a finite day, without building a Date
 * (the rules print session windows for every session of every rule). Hinnant's civil_from_days, the inverse of
 * daysFromCivil, is exact for whole days in years 0000–9999; any other day (a fraction, or a year toISOString
 * would print with a sign and six digits) goes through Date as before.
 */
export function isoOfDay(day: number): string {
  if (!Number.isInteger(day) || day < FIRST_PLAIN_DAY || day > LAST_PLAIN_DAY)
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const yyyy = y < 10 ? `000${y}` : y < 100 ? `00${y}` : y < 1000 ? `0${y}` : String(y);
  return `${yyyy}-${pad2(m)}-${pad2(d)}`;
}

export function isoDay(iso: string): string {
  return iso.slice(0, 10);
}

export function isValidDay(iso: string): boolean {
  return Number.isFinite(dayNumber(iso));
}

export function compareIso(a: string, b: string): number {
  const d = dayNumber(a) - dayNumber(b);
  if (d !== 0 && Number.isFinite(d)) return d < 0 ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
