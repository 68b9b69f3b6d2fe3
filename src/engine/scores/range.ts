/** Helpers for point scores whose components may be unknown: an unknown component contributes its full range. */
import type { Range } from '../result';

export interface PointComponent {
  id: string;
  /** Points when known; undefined when the input is unknown or censored without deciding the points. */
  points: number | undefined;
  min: number;
  max: number;
  /**
   * True when the input is known only as a censored value (">2000", "<0.2") that does not decide the points:
   * `min`/`max` are then the points the interval allows, and the score says why (not "missing").
   */
  undecided?: boolean;
}

/** A component from a yes/no answer: decided points, or the whole [min, max] when the answer is unknown. */
export function answerComponent(
  id: string,
  given: boolean,
  answer: boolean | undefined,
  pointsIfTrue: number,
  pointsIfFalse = 0,
): PointComponent {
  const min = Math.min(pointsIfTrue, pointsIfFalse);
  const max = Math.max(pointsIfTrue, pointsIfFalse);
  if (answer !== undefined) return { id, points: answer ? pointsIfTrue : pointsIfFalse, min, max };
  return given ? { id, points: undefined, min, max, undecided: true } : { id, points: undefined, min, max };
}

export function sumRange(components: readonly PointComponent[]): Range {
  let min = 0;
  let max = 0;
  for (const c of components) {
    min += c.points ?? c.min;
    max += c.points ?? c.max;
  }
  return { min: round(min), max: round(max) };
}

/** Rounds away binary floating noise (e.g. 1.5 + 1.5 + 0.1). */
export function round(n: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function unknownIds(components: readonly PointComponent[]): string[] {
  return components.filter((c) => c.points === undefined).map((c) => c.id);
}

/** Components whose input is a censored value that does not decide them (see PointComponent.undecided). */
export function undecidedIds(components: readonly PointComponent[]): string[] {
  return components.filter((c) => c.points === undefined && c.undecided === true).map((c) => c.id);
}
