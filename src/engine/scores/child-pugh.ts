/**
 * Child-Pugh score (Pugh et al., Br J Surg 1973). Cut-offs of clinical-reference.md §3 — confirmed.
 * Unknown components (e.g. ascites or encephalopathy not recorded) give a range of points; the class is
 * indeterminate unless the whole range lies within one class.
 */
import type { Range } from '../result';
import { isAbove, isBelow, toBounds, type Answer, type Bounds } from '../bounds';
import { sumRange, undecidedIds, unknownIds, type PointComponent } from './range';

export const CHILD_PUGH_CITATION =
  'Pugh RN et al. Br J Surg 1973;60:646–649; cut-offs per clinical-reference §3';

/** Bilirubin < 2 mg/dL → 1 point; 2–3 → 2; > 3 → 3. */
export const CP_BILIRUBIN_LOW_MG_DL = 2;
export const CP_BILIRUBIN_HIGH_MG_DL = 3;
/** Albumin > 3.5 g/dL → 1; middle band → 2; below the middle band's lower bound → 3. */
export const CP_ALBUMIN_HIGH_G_DL = 3.5;
/** Lower bound of the 2-point albumin band: 2.8 g/dL (some texts 3.0: setting `childPughAlbuminMiddleLow`). */
export const CP_ALBUMIN_MIDDLE_LOW_G_DL = 2.8;
/** INR < 1.7 → 1; 1.7–2.3 → 2; > 2.3 → 3. */
export const CP_INR_LOW = 1.7;
export const CP_INR_HIGH = 2.3;
/** Class A 5–6, B 7–9, C 10–15. */
export const CP_CLASS_A_MAX = 6;
export const CP_CLASS_B_MAX = 9;

/** Bilirubin mg/dL ↔ µmol/L (molar mass 584.7 g/mol: 1 mg/dL = 17.1 µmol/L). */
export const BILIRUBIN_UMOL_PER_MG_DL = 17.1;

export type AscitesGrade = 'none' | 'mild' | 'moderate-severe';
/** Ascites known to be present (e.g. an active problem-list entry) but of unknown grade: 2–3 points. */
export type AscitesInput = AscitesGrade | 'present';
export type EncephalopathyGrade = 'none' | 'grade-1-2' | 'grade-3-4';
export type ChildPughClass = 'A' | 'B' | 'C';

/** Lab inputs are a number or, for a censored result ("<0.2 mg/dL"), its interval (bounds.ts). */
export interface ChildPughInput {
  bilirubinMgDl?: number | Bounds | undefined;
  albuminGDl?: number | Bounds | undefined;
  inr?: number | Bounds | undefined;
  ascites?: AscitesInput | undefined;
  encephalopathy?: EncephalopathyGrade | 'present' | undefined;
  /** Setting: lower bound of the 2-point albumin band (default 2.8 g/dL). */
  albuminMiddleLow?: number | undefined;
}

export interface ChildPughOutput {
  range: Range;
  /** Points when all five components are known. */
  points: number | null;
  /** Class when the whole range lies within one class; null otherwise. */
  cls: ChildPughClass | null;
  possibleClasses: ChildPughClass[];
  unknown: string[];
  /** Lab inputs known only as a censored value that does not decide their points. */
  undecided: string[];
}

export function bilirubinPoints(mgDl: number): number {
  if (mgDl < CP_BILIRUBIN_LOW_MG_DL) return 1;
  if (mgDl <= CP_BILIRUBIN_HIGH_MG_DL) return 2;
  return 3;
}

export function albuminPoints(gDl: number, middleLow = CP_ALBUMIN_MIDDLE_LOW_G_DL): number {
  if (gDl > CP_ALBUMIN_HIGH_G_DL) return 1;
  if (gDl >= middleLow) return 2;
  return 3;
}

export function inrPoints(inr: number): number {
  if (inr < CP_INR_LOW) return 1;
  if (inr <= CP_INR_HIGH) return 2;
  return 3;
}

export function ascitesPoints(g: AscitesGrade): number {
  return g === 'none' ? 1 : g === 'mild' ? 2 : 3;
}

export function encephalopathyPoints(g: EncephalopathyGrade): number {
  return g === 'none' ? 1 : g === 'grade-1-2' ? 2 : 3;
}

export function childPughClass(points: number): ChildPughClass {
  if (points <= CP_CLASS_A_MAX) return 'A';
  if (points <= CP_CLASS_B_MAX) return 'B';
  return 'C';
}

const known = (n: number | Bounds | undefined): n is number | Bounds =>
  n !== undefined &&
  (typeof n === 'number' ? Number.isFinite(n) : !Number.isNaN(n.lo) && !Number.isNaN(n.hi));

/**
 * Points of a three-band lab component for an interval of values. `low` answers "in the lowest band" (x below the
 * lower edge) and `high` "in the highest band" for the whole interval; the middle band is possible unless the whole
 * interval is in one outer band (intervals are convex, so one spanning both outer bands also covers the middle).
 * `points` lists the points of the low, middle and high bands. The least and the greatest of the possible points
 * are kept as they are met (at least one band is always possible), without listing them.
 */
function banded(
  id: string,
  low: Answer,
  high: Answer,
  points: readonly [number, number, number],
): PointComponent {
  let min = Infinity;
  let max = -Infinity;
  if (low !== false) {
    min = Math.min(min, points[0]);
    max = Math.max(max, points[0]);
  }
  if (low !== true && high !== true) {
    min = Math.min(min, points[1]);
    max = Math.max(max, points[1]);
  }
  if (high !== false) {
    min = Math.min(min, points[2]);
    max = Math.max(max, points[2]);
  }
  return min === max ? { id, points: min, min, max } : { id, points: undefined, min, max, undecided: true };
}

/** A lab component: its bands when the value is known, else every point from 1 to 3. */
function labComponent(
  id: string,
  v: number | Bounds | undefined,
  lowCut: number,
  highCut: number,
  points: readonly [number, number, number],
): PointComponent {
  if (!known(v)) return { id, points: undefined, min: 1, max: 3 };
  const b = toBounds(v);
  return banded(id, isBelow(b, lowCut), isAbove(b, highCut), points);
}

const LOW_FIRST = [1, 2, 3] as const;
const HIGH_FIRST = [3, 2, 1] as const;
const CLASSES: readonly ChildPughClass[] = ['A', 'B', 'C'];

export function childPugh(input: ChildPughInput): ChildPughOutput {
  const middleLow = input.albuminMiddleLow ?? CP_ALBUMIN_MIDDLE_LOW_G_DL;
  // Same cut-offs as bilirubinPoints / albuminPoints / inrPoints, asked of an interval.
  const components: PointComponent[] = [
    labComponent(
      'bilirubin',
      input.bilirubinMgDl,
      CP_BILIRUBIN_LOW_MG_DL,
      CP_BILIRUBIN_HIGH_MG_DL,
      LOW_FIRST,
    ),
    labComponent('albumin', input.albuminGDl, middleLow, CP_ALBUMIN_HIGH_G_DL, HIGH_FIRST),
    labComponent('inr', input.inr, CP_INR_LOW, CP_INR_HIGH, LOW_FIRST),
    {
      id: 'ascites',
      points: input.ascites && input.ascites !== 'present' ? ascitesPoints(input.ascites) : undefined,
      min: input.ascites === 'present' ? 2 : 1,
      max: 3,
    },
    {
      id: 'encephalopathy',
      points:
        input.encephalopathy && input.encephalopathy !== 'present'
          ? encephalopathyPoints(input.encephalopathy)
          : undefined,
      min: input.encephalopathy === 'present' ? 2 : 1,
      max: 3,
    },
  ];
  const range = sumRange(components);
  const lo = childPughClass(range.min);
  const hi = childPughClass(range.max);
  const possibleClasses = CLASSES.slice(CLASSES.indexOf(lo), CLASSES.indexOf(hi) + 1);
  return {
    range,
    points: range.min === range.max ? range.min : null,
    cls: lo === hi ? lo : null,
    possibleClasses,
    unknown: unknownIds(components),
    undecided: undecidedIds(components),
  };
}

export const CHILD_PUGH_THRESHOLDS = {
  CP_BILIRUBIN_LOW_MG_DL,
  CP_BILIRUBIN_HIGH_MG_DL,
  CP_ALBUMIN_HIGH_G_DL,
  CP_ALBUMIN_MIDDLE_LOW_G_DL,
  CP_INR_LOW,
  CP_INR_HIGH,
  CP_CLASS_A_MAX,
  CP_CLASS_B_MAX,
} as const;
