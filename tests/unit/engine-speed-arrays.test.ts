/**
 * engine/arrays.ts stands in for `Array.prototype.flatMap` and `push(...items)`: the same items in the same order,
 * the callback called once per item in order, a non-array result kept as flatMap keeps it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendAll, flatOf, sortStableBy, sortStrings } from '../../src/engine/arrays';

describe('flatOf', () => {
  it('gives what flatMap gives, calling the callback in the same order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.array(fc.oneof(fc.nat(), fc.string()), { maxLength: 4 }), fc.nat()), {
          maxLength: 8,
        }),
        (xs) => {
          const seenA: unknown[] = [];
          const seenB: unknown[] = [];
          const want = xs.flatMap((x) => {
            seenA.push(x);
            return x;
          });
          const got = flatOf(xs, (x) => {
            seenB.push(x);
            return x;
          });
          expect(got).toEqual(want);
          expect(seenB).toEqual(seenA);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps nested arrays one level deep, as flatMap does', () => {
    const nested: (number | number[])[][] = [[[1]], [2]];
    expect(flatOf(nested, (x) => x)).toEqual([[1], 2]);
    expect(flatOf([], (x: number[]) => x)).toEqual([]);
  });
});

describe('appendAll', () => {
  it('appends the items in order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat()), fc.array(fc.nat()), (a, b) => {
        const out = a.slice();
        appendAll(out, b);
        expect(out).toEqual([...a, ...b]);
      }),
    );
  });
});

describe('sortStrings and sortStableBy', () => {
  const text = fc.constantFrom('', 'a', 'ab', 'b', 'B', 'a\u0000', '\u00e9', '\ud83d\ude00', '10', '9');

  it('sortStrings gives the order of the default sort, short lists and long', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), (items) => {
        const want = items.slice().sort();
        const got = items.slice();
        expect(sortStrings(got)).toBe(got);
        expect(got).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('sortStableBy gives the order of the stable built-in sort, ties in their order', () => {
    const entry = fc.record({ k: fc.nat(5), tag: fc.nat() });
    const byK = (a: { k: number }, b: { k: number }): number => a.k - b.k;
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (items) => {
        const want = items.slice().sort(byK);
        const got = items.slice();
        expect(sortStableBy(got, byK)).toBe(got);
        got.forEach((x, i) => expect(x).toBe(want[i]));
      }),
      { numRuns: 2000 },
    );
  });
});
