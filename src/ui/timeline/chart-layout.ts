/**
 * Pure layout decisions for the timeline chart (no DOM, no uPlot): axis ranges a clinician expects, the ALBI grade
 * bands, ISO tick labels, and collision-aware placement of treatment labels. Kept apart so they are unit-tested.
 */

/**
 * ALBI grade boundaries (clinical-reference.md §3): ALBI (Johnson, J Clin Oncol 2015) grade 1 ≤ −2.60, grade 2
 * > −2.60 to ≤ −1.39, grade 3 > −1.39; mALBI (Hiraoka, Liver Cancer 2017) splits grade 2 at −2.270: 2a ≤ −2.270,
 * 2b > −2.270 (marked "verify" in the reference).
 */
export const ALBI_GRADE_1_MAX = -2.6;
export const MALBI_2A_MAX = -2.27;
export const ALBI_GRADE_2_MAX = -1.39;

export interface AlbiBand {
  id: '1' | '2a' | '2b' | '3';
  label: string;
  /** Lower and upper score edges; ±Infinity at the open ends. */
  from: number;
  to: number;
  fill: string;
}

export const ALBI_BANDS: readonly AlbiBand[] = [
  {
    id: '1',
    label: 'grade 1 (≤ −2.60)',
    from: -Infinity,
    to: ALBI_GRADE_1_MAX,
    fill: 'rgba(13,110,79,0.10)',
  },
  {
    id: '2a',
    label: 'grade 2a (> −2.60 to ≤ −2.27)',
    from: ALBI_GRADE_1_MAX,
    to: MALBI_2A_MAX,
    fill: 'rgba(200,160,0,0.10)',
  },
  {
    id: '2b',
    label: 'grade 2b (> −2.27 to ≤ −1.39)',
    from: MALBI_2A_MAX,
    to: ALBI_GRADE_2_MAX,
    fill: 'rgba(200,100,0,0.14)',
  },
  { id: '3', label: 'grade 3 (> −1.39)', from: ALBI_GRADE_2_MAX, to: Infinity, fill: 'rgba(138,28,28,0.14)' },
];

/** The ALBI grade (mALBI sub-grade for grade 2) of a score, by the bands above. */
export function albiBandOf(score: number): AlbiBand['id'] {
  if (score <= ALBI_GRADE_1_MAX) return '1';
  if (score <= MALBI_2A_MAX) return '2a';
  if (score <= ALBI_GRADE_2_MAX) return '2b';
  return '3';
}

/**
 * A fixed clinical range, widened only when data fall outside it (with a margin of 5 % of the widened span), so a
 * flat series does not fill the whole height (bilirubin 0.76–0.82 mg/dL stays a flat line low on a 0–3 axis).
 * `floor` keeps the lower edge (bilirubin never below 0).
 */
export function clinicalRange(
  values: readonly number[],
  base: readonly [number, number],
  floor?: number,
): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  let [lo, hi] = base;
  if (finite.length > 0) {
    const dMin = Math.min(...finite);
    const dMax = Math.max(...finite);
    const span = Math.max(dMax, hi) - Math.min(dMin, lo);
    const pad = span * 0.05;
    if (dMin < lo) lo = dMin - pad;
    if (dMax > hi) hi = dMax + pad;
  }
  if (floor !== undefined) lo = Math.max(floor, lo);
  return [round3(lo), round3(hi)];
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Albumin g/dL: about 2–5 (Child-Pugh bands 2.8 and 3.5 inside). */
export const ALBUMIN_RANGE: readonly [number, number] = [2, 5];
/** Total bilirubin mg/dL: from 0, up to 3 (Child-Pugh bands 2 and 3 inside). */
export const BILIRUBIN_RANGE: readonly [number, number] = [0, 3];
/** ALBI score: every grade band visible. */
export const ALBI_RANGE: readonly [number, number] = [-3.4, -1.0];

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * An x-axis tick in ISO form (UTC): YYYY-MM-DD when ticks are less than about a month apart, YYYY-MM otherwise.
 * Never month names or US-style M/D.
 */
export function isoTick(epochSeconds: number, incrementSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const ym = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
  return incrementSeconds < 27 * 86_400 ? `${ym}-${pad2(d.getUTCDate())}` : ym;
}

export interface LabelRequest {
  /** The marker line's x (CSS px from the plot's left edge). */
  x: number;
  /** The label's rendered width (CSS px). */
  width: number;
}

export interface PlacedLabel {
  left: number;
  row: number;
}

/**
 * Collision-aware placement: each label sits just right of its line (or just left of it when it would run past
 * `maxX`), in the first row where it does not touch an earlier label (`gap` px apart). Rows stack as needed: every
 * label is placed, none is dropped. Returned in input order; `rows` is the number of rows used.
 */
export function stackLabels(
  items: readonly LabelRequest[],
  maxX: number,
  gap = 4,
  offset = 3,
): { placed: PlacedLabel[]; rows: number } {
  const order = items.map((it, i) => ({ ...it, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const rowEnds: number[] = [];
  const placed: PlacedLabel[] = new Array<PlacedLabel>(items.length);
  for (const it of order) {
    let left = it.x + offset;
    if (left + it.width > maxX) left = Math.max(0, it.x - offset - it.width);
    let row = rowEnds.findIndex((end) => left >= end + gap);
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(-Infinity);
    }
    rowEnds[row] = left + it.width;
    placed[it.i] = { left, row };
  }
  return { placed, rows: rowEnds.length };
}

/** Do two placed labels overlap (same row and intersecting spans)? For tests and assertions of the layout. */
export function overlaps(a: PlacedLabel & { width: number }, b: PlacedLabel & { width: number }): boolean {
  return a.row === b.row && a.left < b.left + b.width && b.left < a.left + a.width;
}
