/** Deterministic pseudo-random values for generated test inputs (tests must not depend on Math.random). */

/** A 32-bit linear congruential generator: the same seed gives the same sequence on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const pick = <T>(rnd: () => number, list: readonly T[]): T =>
  list[Math.floor(rnd() * list.length)] as T;
