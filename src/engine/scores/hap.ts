/**
 * HAP score (Kadalayil et al., Ann Oncol 2013;24:2565–2570). clinical-reference.md §3.
 * One point each: albumin < 36 g/L, AFP > 400 ng/mL, bilirubin > 17 µmol/L, largest tumour > 7 cm.
 * HAP A 0, B 1, C 2, D ≥ 3.
 */
import type { Range } from '../result';
import { isAbove, isBelow, toBounds, type Answer, type Bounds } from '../bounds';
import { answerComponent, sumRange, undecidedIds, unknownIds, type PointComponent } from './range';

export const HAP_CITATION = 'Kadalayil L et al. Ann Oncol 2013;24:2565–2570 (HAP score)';

export const HAP_ALBUMIN_BELOW_G_L = 36;
export const HAP_AFP_ABOVE_NG_ML = 400;
export const HAP_BILIRUBIN_ABOVE_UMOL_L = 17;
export const HAP_DIAMETER_ABOVE_CM = 7;

/** Lab inputs are a number or, for a censored result (">2000 ng/mL"), its interval (bounds.ts). */
export interface HapInput {
  albuminGL?: number | Bounds | undefined;
  afpNgMl?: number | Bounds | undefined;
  bilirubinUmolL?: number | Bounds | undefined;
  largestDiameterCm?: number | undefined;
}

export function hapGroup(points: number): 'A' | 'B' | 'C' | 'D' {
  return points <= 0 ? 'A' : points === 1 ? 'B' : points === 2 ? 'C' : 'D';
}

/** One point when `test` holds for the whole interval, 0 when for none; undecided when it straddles the cut-off. */
const pt = (id: string, v: number | Bounds | undefined, test: (b: Bounds) => Answer): PointComponent =>
  v === undefined
    ? { id, points: undefined, min: 0, max: 1 }
    : answerComponent(id, true, test(toBounds(v)), 1);

export function hap(input: HapInput): {
  range: Range;
  value: number | null;
  group: string | null;
  unknown: string[];
  /** Inputs known only as a censored value that does not decide their point. */
  undecided: string[];
} {
  const components: PointComponent[] = [
    pt('albumin', input.albuminGL, (b) => isBelow(b, HAP_ALBUMIN_BELOW_G_L)),
    pt('afp', input.afpNgMl, (b) => isAbove(b, HAP_AFP_ABOVE_NG_ML)),
    pt('bilirubin', input.bilirubinUmolL, (b) => isAbove(b, HAP_BILIRUBIN_ABOVE_UMOL_L)),
    pt('largest-diameter', input.largestDiameterCm, (b) => isAbove(b, HAP_DIAMETER_ABOVE_CM)),
  ];
  const range = sumRange(components);
  const lo = hapGroup(range.min);
  const hi = hapGroup(range.max);
  return {
    range,
    value: range.min === range.max ? range.min : null,
    group: lo === hi ? lo : null,
    unknown: unknownIds(components),
    undecided: undecidedIds(components),
  };
}
