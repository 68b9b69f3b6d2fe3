/**
 * ART score (Sieghart et al., Hepatology 2013;57:2261–2273), assessed before the 2nd TACE versus before the 1st.
 * clinical-reference.md §3 — confirmed (secondary).
 */
import type { Range } from '../result';
import { sumRange, unknownIds, type PointComponent } from './range';

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
  astBefore1st?: number | undefined;
  astBefore2nd?: number | undefined;
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
}

export function artGroup(points: number): 'favourable' | 'unfavourable' {
  return points >= ART_UNFAVOURABLE_MIN ? 'unfavourable' : 'favourable';
}

export function art(input: ArtInput): ArtOutput {
  const astKnown =
    input.astBefore1st !== undefined && input.astBefore2nd !== undefined && input.astBefore1st > 0;
  const astPoints = astKnown
    ? (input.astBefore2nd as number) > (input.astBefore1st as number) * (1 + ART_AST_RISE_FRACTION)
      ? ART_AST_POINTS
      : 0
    : undefined;
  const cp = input.childPughRise;
  const cpPoints =
    cp === undefined ? undefined : cp >= 2 ? ART_CP_RISE2_POINTS : cp >= 1 ? ART_CP_RISE1_POINTS : 0;
  const respPoints = input.response === undefined ? undefined : input.response ? 0 : ART_NO_RESPONSE_POINTS;
  const components: PointComponent[] = [
    { id: 'ast', points: astPoints, min: 0, max: ART_AST_POINTS },
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
  };
}
