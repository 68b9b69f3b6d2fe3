/** Helpers for point scores whose components may be unknown: an unknown component contributes its full range. */
import type { Range } from '../result';

export interface PointComponent {
  id: string;
  /** Points when known; undefined when the input is unknown. */
  points: number | undefined;
  min: number;
  max: number;
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
