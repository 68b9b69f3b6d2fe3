/**
 * Censored lab values as intervals. A result reported as ">2000 ng/mL" or "<0.2 mg/dL" is not a number: it is an
 * interval with one known side. Each score decides a threshold from the interval when every value in it gives the
 * same answer (AFP > 2000 → "AFP ≥ 200" is true), and otherwise says that the censored value cannot decide it —
 * never treating the bound as the value, never dropping the result.
 *
 * The open side of a censored value is bounded by the analyte's plausible range (domain/units.ts
 * PLAUSIBLE_RANGES): a value outside it is not used anywhere, so "<0.2 mg/dL" bilirubin lies in [0.058, 0.2).
 * This keeps formula ranges (ALBI's log10, MELD's ln) finite without claiming anything the range does not.
 */

/** An interval of possible values; `lo === hi` with both ends closed is an exact value. */
export interface Bounds {
  readonly lo: number;
  readonly hi: number;
  /** True when `lo` itself is excluded (">2000": lo 2000, open). */
  readonly loOpen: boolean;
  /** True when `hi` itself is excluded ("<0.2": hi 0.2, open). */
  readonly hiOpen: boolean;
}

export type Answer = boolean | undefined;

export function exact(v: number): Bounds {
  return { lo: v, hi: v, loOpen: false, hiOpen: false };
}

export function isExact(b: Bounds): boolean {
  return b.lo === b.hi && !b.loOpen && !b.hiOpen;
}

export function toBounds(v: number | Bounds): Bounds {
  return typeof v === 'number' ? exact(v) : v;
}

/**
 * "x > t" (or "x ≥ t" when `inclusive`) for every x in b: true when all values satisfy it, false when none does,
 * undefined when the interval straddles t.
 */
export function isAbove(b: Bounds, t: number, inclusive = false): Answer {
  if (inclusive) {
    if (b.lo >= t) return true;
    if (b.hi < t || (b.hi === t && b.hiOpen)) return false;
    return undefined;
  }
  if (b.lo > t || (b.lo === t && b.loOpen)) return true;
  if (b.hi <= t) return false;
  return undefined;
}

/** "x < t" (or "x ≤ t" when `inclusive`) for every x in b; undefined when it depends on where x lies. */
export function isBelow(b: Bounds, t: number, inclusive = false): Answer {
  const above = isAbove(b, t, !inclusive);
  return above === undefined ? undefined : !above;
}

/** Maps an interval through a non-decreasing function (each end keeps its openness). */
export function mapIncreasing(b: Bounds, f: (x: number) => number): Bounds {
  return { lo: f(b.lo), hi: f(b.hi), loOpen: b.loOpen, hiOpen: b.hiOpen };
}

/** Scales an interval by a positive factor (unit conversion). */
export function scale(b: Bounds, factor: number): Bounds {
  return mapIncreasing(b, (x) => x * factor);
}
