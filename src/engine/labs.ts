/**
 * Lab selection for the engine: usable values on/before asOf, converted to the unit each formula needs.
 * Values with an unknown unit are not used (they go to `missing`, never imputed).
 */
import type { AnalyteId, Measurement } from '../domain/labs';
import type { Timeline } from '../domain/timeline';
import { dayNumber, isoDay } from './dates';
import { BILIRUBIN_UMOL_PER_MG_DL } from './scores/child-pugh';

/** Creatinine µmol/L per mg/dL (molar mass 113.12 g/mol). */
export const CREATININE_UMOL_PER_MG_DL = 88.4;

const norm = (u: string): string => u.replace(/µ|μ/g, 'u').replace(/\s+/g, '').toLowerCase();

/** Converts a measurement to the requested unit; null when its unit is not one we know for that analyte. */
export function valueIn(m: Measurement, target: string): number | null {
  const from = norm(m.unit);
  const to = norm(target);
  if (!Number.isFinite(m.value)) return null;
  if (from === to) return m.value;
  const a = m.analyte;
  if (a === 'bilirubin') {
    if (from === 'mg/dl' && to === 'umol/l') return m.value * BILIRUBIN_UMOL_PER_MG_DL;
    if (from === 'umol/l' && to === 'mg/dl') return m.value / BILIRUBIN_UMOL_PER_MG_DL;
  }
  if (a === 'albumin') {
    if (from === 'g/dl' && to === 'g/l') return m.value * 10;
    if (from === 'g/l' && to === 'g/dl') return m.value / 10;
  }
  if (a === 'creatinine') {
    if (from === 'umol/l' && to === 'mg/dl') return m.value / CREATININE_UMOL_PER_MG_DL;
    if (from === 'mg/dl' && to === 'umol/l') return m.value * CREATININE_UMOL_PER_MG_DL;
  }
  if (a === 'afp' || a === 'pivka-ng') {
    if ((from === 'ng/ml' && to === 'ug/l') || (from === 'ug/l' && to === 'ng/ml')) return m.value;
  }
  if (a === 'sodium' && ((from === 'mmol/l' && to === 'meq/l') || (from === 'meq/l' && to === 'mmol/l'))) return m.value;
  if (a === 'inr' && ((from === '{inr}' && to === '1') || (from === '1' && to === '{inr}') || from === '')) return m.value;
  if ((a === 'ast' || a === 'alt') && ((from === 'u/l' && to === 'iu/l') || (from === 'iu/l' && to === 'u/l'))) return m.value;
  if (a === 'crp') {
    if (from === 'mg/dl' && to === 'mg/l') return m.value * 10;
    if (from === 'mg/l' && to === 'mg/dl') return m.value / 10;
  }
  return null;
}

/** Measurements of an analyte dated on/before asOf, sorted by date then ref (deterministic). */
export function seriesUpTo(timeline: Timeline, analyte: AnalyteId, asOf: string): Measurement[] {
  const limit = dayNumber(asOf);
  const list = timeline.labs[analyte] ?? [];
  return list
    .filter((m) => Number.isFinite(dayNumber(m.date)) && dayNumber(m.date) <= limit && Number.isFinite(m.value))
    .slice()
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0));
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
