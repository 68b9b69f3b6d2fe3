/**
 * HAP score (Kadalayil et al., Ann Oncol 2013;24:2565–2570). clinical-reference.md §3.
 * One point each: albumin < 36 g/L, AFP > 400 ng/mL, bilirubin > 17 µmol/L, largest tumour > 7 cm.
 * HAP A 0, B 1, C 2, D ≥ 3.
 */
import type { Range } from '../result';
import { sumRange, unknownIds, type PointComponent } from './range';

export const HAP_CITATION = 'Kadalayil L et al. Ann Oncol 2013;24:2565–2570 (HAP score)';

export const HAP_ALBUMIN_BELOW_G_L = 36;
export const HAP_AFP_ABOVE_NG_ML = 400;
export const HAP_BILIRUBIN_ABOVE_UMOL_L = 17;
export const HAP_DIAMETER_ABOVE_CM = 7;

export interface HapInput {
  albuminGL?: number | undefined;
  afpNgMl?: number | undefined;
  bilirubinUmolL?: number | undefined;
  largestDiameterCm?: number | undefined;
}

export function hapGroup(points: number): 'A' | 'B' | 'C' | 'D' {
  return points <= 0 ? 'A' : points === 1 ? 'B' : points === 2 ? 'C' : 'D';
}

const pt = (v: number | undefined, test: (n: number) => boolean): number | undefined =>
  v === undefined ? undefined : test(v) ? 1 : 0;

export function hap(input: HapInput): {
  range: Range;
  value: number | null;
  group: string | null;
  unknown: string[];
} {
  const components: PointComponent[] = [
    { id: 'albumin', points: pt(input.albuminGL, (n) => n < HAP_ALBUMIN_BELOW_G_L), min: 0, max: 1 },
    { id: 'afp', points: pt(input.afpNgMl, (n) => n > HAP_AFP_ABOVE_NG_ML), min: 0, max: 1 },
    {
      id: 'bilirubin',
      points: pt(input.bilirubinUmolL, (n) => n > HAP_BILIRUBIN_ABOVE_UMOL_L),
      min: 0,
      max: 1,
    },
    {
      id: 'largest-diameter',
      points: pt(input.largestDiameterCm, (n) => n > HAP_DIAMETER_ABOVE_CM),
      min: 0,
      max: 1,
    },
  ];
  const range = sumRange(components);
  const lo = hapGroup(range.min);
  const hi = hapGroup(range.max);
  return {
    range,
    value: range.min === range.max ? range.min : null,
    group: lo === hi ? lo : null,
    unknown: unknownIds(components),
  };
}
