/**
 * Lab selection for the engine: usable values on/before asOf, converted to the unit each formula needs.
 * Values with an unknown unit, an impossible date or an implausible number are not used (they go to `missing`,
 * never imputed, and unusableLabIssues lists them). A censored value (">2000") is used as an interval (bounds.ts).
 */
import type { AnalyteId, Measurement } from '../domain/labs';
import type { DataIssue } from '../domain/source';
import type { Timeline } from '../domain/timeline';
import { dayNumber, isoDay } from './dates';
import { ANALYTE_IDS } from '../domain/labs';
import {
  plausibilityProblem,
  plausibleCanonical,
  toCanonical,
  type UnitConversionResult,
} from '../domain/units';
import { exact, isExact, type Bounds } from './bounds';
import { oncePerCall } from './per-call';

/**
 * `toCanonical(analyte, 1, unit)`: whether the unit is known for the analyte, its factor, and the error when it is
 * not. Why this is all a conversion needs: for a finite value, toCanonical's result depends on the value only
 * through `value × factor` (a unit without a conversion has factor 1, and `value × 1` is `value` exactly, −0
 * included), and its error names the unit, never the value. A patient's labs use a handful of units asked for
 * hundreds of times, so within an evaluate call each pair is looked up once (kept in withLabIndex's scope: nothing
 * survives the call).
 */
export function unitConversion(analyte: AnalyteId, unit: string | undefined): UnitConversionResult {
  if (!scope) return toCanonical(analyte, 1, unit);
  let byUnit = scope.units.get(analyte);
  if (!byUnit) {
    byUnit = new Map();
    scope.units.set(analyte, byUnit);
  }
  let c = byUnit.get(unit);
  if (!c) {
    c = toCanonical(analyte, 1, unit);
    byUnit.set(unit, c);
  }
  return c;
}

/**
 * Converts a measurement to the requested unit through the domain's unit table (domain/units.ts): first to the
 * analyte's canonical unit, then to the target. Null when either unit is unknown for the analyte (never guessed).
 */
export function valueIn(m: Measurement, target: string): number | null {
  // toCanonical(m.analyte, m.value, m.unit) fails for a value that is not finite, and otherwise gives
  // m.value × the unit's factor (unitConversion).
  if (!Number.isFinite(m.value)) return null;
  const c = unitConversion(m.analyte, m.unit);
  if (!c.ok) return null;
  const t = unitConversion(m.analyte, target);
  if (!t.ok || !(t.factor > 0)) return null;
  return (m.value * c.factor) / t.factor;
}

/**
 * One analyte's usable measurements (finite day and value) sorted by date then ref, with their day numbers.
 * Sorting the whole series once and cutting it at asOf gives the same order as filtering then sorting, because
 * the sort is stable. `monotone` (days never decrease; true for real calendar dates) allows binary search.
 */
export interface SortedSeries {
  readonly list: readonly Measurement[];
  readonly days: readonly number[];
  readonly monotone: boolean;
  /** The measurements not used, in timeline order, with the reason (unusableLabIssues lists them). */
  readonly unusable: readonly (readonly [Measurement, string])[];
}

function byDateThenRef(a: Measurement, b: Measurement): number {
  return a.date < b.date
    ? -1
    : a.date > b.date
      ? 1
      : a.source.id < b.source.id
        ? -1
        : a.source.id > b.source.id
          ? 1
          : 0;
}

/** Why the engine cannot use a measurement, or undefined when it can. */
export function unusableReason(m: Measurement): string | undefined {
  return unusableReasonOn(m, dayNumber(m.date));
}

/** unusableReason with the measurement's day number already read (buildSeries reads each date once). */
function unusableReasonOn(m: Measurement, day: number, check?: UnitCheck): string | undefined {
  if (!Number.isFinite(day)) return `date "${m.date}" is not a real calendar date`;
  if (!Number.isFinite(m.value)) return `value ${String(m.value)} is not a number`;
  // As toCanonical(m.analyte, m.value, m.unit) for this finite value (unitConversion).
  const c = check ? check.conversion : unitConversion(m.analyte, m.unit);
  if (!c.ok) return c.error;
  return plausibilityProblem(m.analyte, m.value * c.factor);
}

/**
 * The unit lookup unusableReasonOn asks of a measurement's analyte and unit, kept by buildSeries for a run of values
 * of one analyte in one unit (the usual series): it depends on nothing else (unitConversion), so reusing it gives
 * the same answers.
 */
interface UnitCheck {
  readonly analyte: AnalyteId;
  readonly unit: string | undefined;
  readonly conversion: UnitConversionResult;
}

/** Whether `list` is already in byDateThenRef order (then a stable sort would leave it exactly as it is). */
function inDateThenRefOrder(list: readonly Measurement[]): boolean {
  for (let i = 1; i < list.length; i++)
    if (byDateThenRef(list[i - 1] as Measurement, list[i] as Measurement) > 0) return false;
  return true;
}

/** One pass over the analyte's values: each is checked once per evaluate call (usable or not, and why). */
function buildSeries(all: readonly Measurement[]): SortedSeries {
  const list: Measurement[] = [];
  let days: number[] = [];
  const unusable: [Measurement, string][] = [];
  let check: UnitCheck | undefined;
  for (const m of all) {
    const day = dayNumber(m.date);
    // Looked up only for a value unusableReasonOn asks it of (a real day and a finite number), as it would.
    if (
      Number.isFinite(day) &&
      Number.isFinite(m.value) &&
      (check === undefined || m.analyte !== check.analyte || m.unit !== check.unit)
    )
      check = {
        analyte: m.analyte,
        unit: m.unit,
        conversion: unitConversion(m.analyte, m.unit),
      };
    const why = unusableReasonOn(m, day, check);
    if (why === undefined) {
      list.push(m);
      days.push(day);
    } else unusable.push([m, why]);
  }
  // Series usually arrive in date order: the sort (and reading every date again) is needed only when they do not.
  // Sorted input is left as it is by the stable sort, so `days` (read in input order) is already aligned.
  if (!inDateThenRefOrder(list)) {
    list.sort(byDateThenRef);
    days = list.map((m) => dayNumber(m.date));
  }
  let monotone = true;
  for (let i = 1; i < days.length && monotone; i++) monotone = (days[i - 1] as number) <= (days[i] as number);
  return { list, days, monotone, unusable };
}

/**
 * The timeline being evaluated and its sorted series, so one evaluate call sorts each analyte once instead of at
 * every lookup. Set only for the duration of withLabIndex (synchronous, restored in `finally`): nothing survives
 * between calls, so a caller that changes a timeline between two evaluations still gets fresh results.
 */
let scope: {
  timeline: Timeline;
  series: Map<AnalyteId, SortedSeries>;
  units: Map<AnalyteId, Map<string | undefined, UnitConversionResult>>;
} | null = null;

export function withLabIndex<T>(timeline: Timeline, run: () => T): T {
  const outer = scope;
  scope = { timeline, series: new Map(), units: new Map() };
  try {
    return run();
  } finally {
    scope = outer;
  }
}

export function sortedSeries(timeline: Timeline, analyte: AnalyteId): SortedSeries {
  if (scope?.timeline !== timeline) return buildSeries(timeline.labs[analyte] ?? []);
  let s = scope.series.get(analyte);
  if (!s) {
    s = buildSeries(timeline.labs[analyte] ?? []);
    scope.series.set(analyte, s);
  }
  return s;
}

/** First index whose day is > day (days sorted ascending). */
function firstAfter(days: readonly number[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose day is ≥ day (days sorted ascending). */
function firstAtLeast(days: readonly number[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * [lo, hi): the only indices whose day can lie in [from, to]. Conservative — a NaN bound or a non-monotone
 * series narrows nothing — so callers still test each day exactly as a full scan would.
 */
export function candidateRange(s: SortedSeries, from: number, to: number): [number, number] {
  if (!s.monotone) return [0, s.list.length];
  const lo = Number.isNaN(from) ? 0 : firstAtLeast(s.days, from);
  const hi = Number.isNaN(to) ? s.list.length : firstAfter(s.days, to);
  return [lo, Math.max(lo, hi)];
}

/** Measurements of an analyte dated on/before asOf, sorted by date then ref (deterministic). */
export function seriesUpTo(timeline: Timeline, analyte: AnalyteId, asOf: string): Measurement[] {
  const limit = dayNumber(asOf);
  const s = sortedSeries(timeline, analyte);
  const [lo, hi] = candidateRange(s, -Infinity, limit);
  const out: Measurement[] = [];
  for (let i = lo; i < hi; i++) if ((s.days[i] as number) <= limit) out.push(s.list[i] as Measurement);
  return out;
}

/**
 * Measurements of an analyte dated within [from, to] (inclusive day numbers) and on/before asOf, in the order of
 * seriesUpTo: the same as filtering seriesUpTo by day, found by binary search in the sorted series.
 */
export function seriesWithin(
  timeline: Timeline,
  analyte: AnalyteId,
  asOf: string,
  from: number,
  to: number,
): Measurement[] {
  const limit = dayNumber(asOf);
  const s = sortedSeries(timeline, analyte);
  const [lo, hi] = candidateRange(s, from, Math.min(to, limit));
  const out: Measurement[] = [];
  for (let i = lo; i < hi; i++) {
    const d = s.days[i] as number;
    if (d <= limit && d >= from && d <= to) out.push(s.list[i] as Measurement);
  }
  return out;
}

/**
 * Measurements the engine skips (the mapper normally lists them already; a timeline built another way gets them
 * here), one DataIssue each, so nothing is dropped silently.
 */
export function unusableLabIssues(timeline: Timeline): DataIssue[] {
  const out: DataIssue[] = [];
  for (const analyte of ANALYTE_IDS) {
    // The series of this evaluate call already knows which values are not used (sortedSeries: checked once).
    for (const [m, why] of sortedSeries(timeline, analyte).unusable) {
      out.push({
        resourceType: m.source.resourceType,
        id: m.source.id,
        reason: `${m.source.display ?? analyte}: ${why}: not used by the engine`,
        kind: 'malformed',
      });
    }
  }
  return out;
}

/**
 * The interval a measurement stands for, in `unit` (null when the unit is unknown). Exact values give [v, v];
 * "<v" gives [plausible low, v); ">v" gives (v, plausible high] — the plausible range of domain/units.ts bounds
 * the open side (a value outside it is never used, bounds.ts).
 */
export function boundsIn(m: Measurement, unit: string): Bounds | null {
  const v = valueIn(m, unit);
  if (v === null) return null;
  if (!m.comparator) return exact(v);
  const t = unitConversion(m.analyte, unit);
  if (!t.ok || !(t.factor > 0)) return null;
  const p = plausibleCanonical(m.analyte);
  const low = Math.min(p.low / t.factor, v);
  const high = Math.max(p.high / t.factor, v);
  switch (m.comparator) {
    case '<':
      return { lo: low, hi: v, loOpen: false, hiOpen: true };
    case '<=':
      return { lo: low, hi: v, loOpen: false, hiOpen: false };
    case '>':
      return { lo: v, hi: high, loOpen: true, hiOpen: false };
    case '>=':
      return { lo: v, hi: high, loOpen: false, hiOpen: false };
  }
}

/** The result as reported, e.g. ">2000 ng/mL" (original unit when it was converted). */
export function reportedAs(m: Measurement): string {
  const unit = m.originalUnit ?? m.unit;
  const u = unit === '{INR}' || unit === '' ? '' : ` ${unit}`;
  return `${m.comparator ?? ''}${m.originalValue ?? m.value}${u}`;
}

export interface Picked {
  m: Measurement;
  /** The value in the requested unit; null when the result is censored (then only `bounds` is known). */
  value: number | null;
  /** The interval the result stands for (exact values: lo = hi). */
  bounds: Bounds;
  day: string;
}

/**
 * A Picked from a measurement (null when its unit is unknown). The scores and the liver snapshots pick the same
 * values in the same units again and again (ALBI over the whole series, then per session window): one Picked per
 * measurement and unit per evaluate call (per-call.ts). Nothing changes a Picked or its bounds once made.
 */
/** A new empty list of (unit, Picked) pairs: one function, not a closure made at every call. */
const noPairs = (): (string | Picked | null)[] => [];

export function picked(m: Measurement, unit: string): Picked | null {
  // The units asked of one measurement (one or two) and their Picked, as pairs in a short list: the first pair of
  // the unit, as a Map by unit would find it.
  const byUnit = oncePerCall(m, 'picked', noPairs);
  for (let i = 0; i < byUnit.length; i += 2) if (byUnit[i] === unit) return byUnit[i + 1] as Picked | null;
  const p = readPicked(m, unit);
  byUnit.push(unit, p);
  return p;
}

function readPicked(m: Measurement, unit: string): Picked | null {
  const b = boundsIn(m, unit);
  if (!b) return null;
  return { m, value: isExact(b) ? b.lo : null, bounds: b, day: isoDay(m.date) };
}

/**
 * Most recent value convertible to `unit`, dated within [from, to] (inclusive days). A censored value is picked
 * like any other (with its bounds): skipping it would silently let an older, uncensored value stand in for it.
 */
export function latestIn(
  timeline: Timeline,
  analyte: AnalyteId,
  unit: string,
  from: number,
  to: number,
  asOf: string,
): Picked | null {
  const limit = dayNumber(asOf);
  const s = sortedSeries(timeline, analyte);
  const [lo, hi] = candidateRange(s, from, Math.min(to, limit));
  for (let i = hi - 1; i >= lo; i--) {
    const m = s.list[i] as Measurement;
    const d = s.days[i] as number;
    if (!(d <= limit) || d < from || d > to) continue;
    const p = picked(m, unit);
    if (p) return p;
  }
  return null;
}
