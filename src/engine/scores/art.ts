/**
 * ART score (Sieghart et al., Hepatology 2013;57:2261–2273), assessed before the 2nd TACE versus before the 1st.
 * clinical-reference.md §3 — confirmed (secondary).
 */
import type { Range } from '../result';
import { toBounds, type Answer, type Bounds } from '../bounds';
import { answerComponent, sumRange, undecidedIds, unknownIds, type PointComponent } from './range';

export const ART_CITATION = 'Sieghart W et al. Hepatology 2013;57:2261–2273 (ART score)';

/** AST rise > 25 % → 4 points. */
export const ART_AST_RISE_FRACTION = 0.25;
export const ART_AST_POINTS = 4;
/** Child-Pugh rise of 1 point → 1.5; ≥ 2 → 3. */
export const ART_CP_RISE1_POINTS = 1.5;
export const ART_CP_RISE2_POINTS = 3;
/** No radiological response (EASL/mRECIST) → 1. */
export const ART_NO_RESPONSE_POINTS = 1;
/** 0–1.5 favourable; ≥ 2.5 → do not repeat TACE. */
export const ART_FAVOURABLE_MAX = 1.5;
export const ART_UNFAVOURABLE_MIN = 2.5;

export interface ArtInput {
  /** AST (U/L): a number or, for a censored result ("<5 U/L"), its interval (bounds.ts). */
  astBefore1st?: number | Bounds | undefined;
  astBefore2nd?: number | Bounds | undefined;
  /** Child-Pugh point increase (before 2nd − before 1st); undefined when unknown. */
  childPughRise?: number | undefined;
  /** Radiological response (EASL/mRECIST CR/PR) after the 1st TACE; undefined when unknown. */
  response?: boolean | undefined;
}

export interface ArtOutput {
  range: Range;
  value: number | null;
  group: 'favourable' | 'unfavourable' | null;
  unknown: string[];
  /** Inputs known only as a censored value that does not decide their points. */
  undecided: string[];
}

/**
 * "AST before the 2nd > AST before the 1st × 1.25" for every pair of values the two intervals allow: true when
 * it holds for all, false when for none, undefined otherwise (a non-positive baseline decides nothing).
 */
export function astRose(before1st: Bounds, before2nd: Bounds): Answer {
  if (!(before1st.lo > 0)) return undefined;
  const f = 1 + ART_AST_RISE_FRACTION;
  const lowest2nd = before2nd.lo;
  const highestLimit = before1st.hi * f;
  if (lowest2nd > highestLimit || (lowest2nd === highestLimit && (before2nd.loOpen || before1st.hiOpen)))
    return true;
  if (before2nd.hi <= before1st.lo * f) return false;
  return undefined;
}

export function artGroup(points: number): 'favourable' | 'unfavourable' {
  return points >= ART_UNFAVOURABLE_MIN ? 'unfavourable' : 'favourable';
}

export function art(input: ArtInput): ArtOutput {
  // A non-positive baseline is unknown (not "undecided"): no rise can be computed from it.
  const given =
    input.astBefore1st !== undefined &&
    input.astBefore2nd !== undefined &&
    toBounds(input.astBefore1st).lo > 0;
  const astAnswer = given
    ? astRose(
        toBounds(input.astBefore1st as number | Bounds),
        toBounds(input.astBefore2nd as number | Bounds),
      )
    : undefined;
  const cp = input.childPughRise;
  const cpPoints =
    cp === undefined ? undefined : cp >= 2 ? ART_CP_RISE2_POINTS : cp >= 1 ? ART_CP_RISE1_POINTS : 0;
  const respPoints = input.response === undefined ? undefined : input.response ? 0 : ART_NO_RESPONSE_POINTS;
  const components: PointComponent[] = [
    answerComponent('ast', given, astAnswer, ART_AST_POINTS),
    { id: 'child-pugh-rise', points: cpPoints, min: 0, max: ART_CP_RISE2_POINTS },
    { id: 'radiological-response', points: respPoints, min: 0, max: ART_NO_RESPONSE_POINTS },
  ];
  const range = sumRange(components);
  const lo = artGroup(range.min);
  const hi = artGroup(range.max);
  return {
    range,
    value: range.min === range.max ? range.min : null,
    group: lo === hi ? lo : null,
    unknown: unknownIds(components),
    undecided: undecidedIds(components),
  };
}
