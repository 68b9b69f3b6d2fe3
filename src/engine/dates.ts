/** Calendar arithmetic on ISO dates (YYYY-MM-DD prefix). Pure: never reads the clock. */

const DAY_MS = 86_400_000;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * Pure memo of dayNumber: the engine compares the same few hundred date strings thousands of times per patient
 * (profiling showed date parsing as the top cost). Keyed by the immutable string, so it cannot change results;
 * cleared when full so memory stays bounded.
 */
const DAY_CACHE = new Map<string, number>();
const DAY_CACHE_MAX = 50_000;

/**
 * Date.UTC rolls an impossible day over (2026-02-30 → 2026-03-02, 2026-13-01 → 2027-01-01): a misread date must
 * not silently become another real day, so the parsed parts must come back unchanged — otherwise NaN.
 */
function parseDayNumber(iso: string): number {
  const m = ISO_DAY.exec(iso);
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return Number.NaN;
  }
  return ms / DAY_MS;
}

/** Days since 1970-01-01 (UTC) of the date part of an ISO date/date-time; NaN when unparseable. */
export function dayNumber(iso: string): number {
  const cached = DAY_CACHE.get(iso);
  if (cached !== undefined) return cached;
  const n = parseDayNumber(iso);
  if (DAY_CACHE.size >= DAY_CACHE_MAX) DAY_CACHE.clear();
  DAY_CACHE.set(iso, n);
  return n;
}

/** b − a in whole days. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** YYYY-MM-DD of a day number (inverse of dayNumber); "(no date)" when it is not finite. */
export function dayToIso(day: number): string {
  if (!Number.isFinite(day)) return '(no date)';
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
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
