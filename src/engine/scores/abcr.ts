/**
 * ABCR score (Adhoute et al., J Hepatol 2016;64:1102–1110). clinical-reference.md §3: groups confirmed, points verify.
 * A: AFP ≥ 200 ng/mL → 1; B: BCLC A 2, B 3, C 4; C: Child-Pugh rise ≥ 2 → 2; R: objective (mRECIST) response → −3.
 */
import type { Range } from '../result';
import { isAbove, toBounds, type Bounds } from '../bounds';
import { answerComponent, sumRange, undecidedIds, unknownIds, type PointComponent } from './range';

export const ABCR_CITATION = 'Adhoute X et al. J Hepatol 2016;64:1102–1110 (ABCR score)';

export const ABCR_AFP_NG_ML = 200;
export const ABCR_AFP_POINTS = 1;
export const ABCR_BCLC_POINTS = { A: 2, B: 3, C: 4 } as const;
export const ABCR_CP_RISE_MIN = 2;
export const ABCR_CP_RISE_POINTS = 2;
export const ABCR_RESPONSE_POINTS = -3;
/** ≤ 0 continue TACE; 1–3 intermediate; ≥ 4 stop TACE. */
export const ABCR_CONTINUE_MAX = 0;
export const ABCR_STOP_MIN = 4;

export type BclcStage = 'A' | 'B' | 'C';

export interface AbcrInput {
  /** A number or, for a censored result (">2000 ng/mL"), its interval (bounds.ts). */
  afpNgMl?: number | Bounds | undefined;
  bclc?: BclcStage | undefined;
  childPughRise?: number | undefined;
  objectiveResponse?: boolean | undefined;
}

export function abcrGroup(points: number): 'continue' | 'intermediate' | 'stop' {
  if (points <= ABCR_CONTINUE_MAX) return 'continue';
  if (points >= ABCR_STOP_MIN) return 'stop';
  return 'intermediate';
}

export function abcr(input: AbcrInput): {
  range: Range;
  value: number | null;
  group: string | null;
  unknown: string[];
  /** Inputs known only as a censored value that does not decide their points. */
  undecided: string[];
} {
  const afp = input.afpNgMl;
  const components: PointComponent[] = [
    afp === undefined
      ? { id: 'afp', points: undefined, min: 0, max: ABCR_AFP_POINTS }
      : answerComponent('afp', true, isAbove(toBounds(afp), ABCR_AFP_NG_ML, true), ABCR_AFP_POINTS),
    { id: 'bclc', points: input.bclc ? ABCR_BCLC_POINTS[input.bclc] : undefined, min: 2, max: 4 },
    {
      id: 'child-pugh-rise',
      points:
        input.childPughRise === undefined
          ? undefined
          : input.childPughRise >= ABCR_CP_RISE_MIN
            ? ABCR_CP_RISE_POINTS
            : 0,
      min: 0,
      max: ABCR_CP_RISE_POINTS,
    },
    {
      id: 'objective-response',
      points:
        input.objectiveResponse === undefined
          ? undefined
          : input.objectiveResponse
            ? ABCR_RESPONSE_POINTS
            : 0,
      min: ABCR_RESPONSE_POINTS,
      max: 0,
    },
  ];
  const range = sumRange(components);
  const lo = abcrGroup(range.min);
  const hi = abcrGroup(range.max);
  return {
    range,
    value: range.min === range.max ? range.min : null,
    group: lo === hi ? lo : null,
    unknown: unknownIds(components),
    undecided: undecidedIds(components),
  };
}
