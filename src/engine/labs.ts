/**
 * Lab selection for the engine: usable values on/before asOf, converted to the unit each formula needs.
 * Values with an unknown unit are not used (they go to `missing`, never imputed).
 */
import type { AnalyteId, Measurement } from '../domain/labs';
import type { Timeline } from '../domain/timeline';
import { dayNumber, isoDay } from './dates';
import { toCanonical } from '../domain/units';

/**
 * Converts a measurement to the requested unit through the domain's unit table (domain/units.ts): first to the
 * analyte's canonical unit, then to the target. Null when either unit is unknown for the analyte (never guessed).
 */
export function valueIn(m: Measurement, target: string): number | null {
  const c = toCanonical(m.analyte, m.value, m.unit);
  if (!c.ok) return null;
  const t = toCanonical(m.analyte, 1, target);
  if (!t.ok || !(t.factor > 0)) return null;
  return c.value / t.factor;
}

/** Measurements of an analyte dated on/before asOf, sorted by date then ref (deterministic). */
export function seriesUpTo(timeline: Timeline, analyte: AnalyteId, asOf: string): Measurement[] {
  const limit = dayNumber(asOf);
  const list = timeline.labs[analyte] ?? [];
  return list
    .filter(
      (m) => Number.isFinite(dayNumber(m.date)) && dayNumber(m.date) <= limit && Number.isFinite(m.value),
    )
    .slice()
    .sort((a, b) =>
      a.date < b.date
        ? -1
        : a.date > b.date
          ? 1
          : a.source.id < b.source.id
            ? -1
            : a.source.id > b.source.id
              ? 1
              : 0,
    );
}

export interface Picked {
  m: Measurement;
  value: number;
  day: string;
}

/** Most recent uncensored value convertible to `unit`, dated within [from, to] (inclusive days). */
export function latestIn(
  timeline: Timeline,
  analyte: AnalyteId,
  unit: string,
  from: number,
  to: number,
  asOf: string,
): Picked | null {
  const list = seriesUpTo(timeline, analyte, asOf);
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i] as Measurement;
    const d = dayNumber(m.date);
    if (d < from || d > to || m.comparator) continue;
    const v = valueIn(m, unit);
    if (v !== null) return { m, value: v, day: isoDay(m.date) };
  }
  return null;
}
