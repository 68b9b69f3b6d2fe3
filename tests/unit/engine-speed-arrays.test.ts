/**
 * engine/arrays.ts stands in for `Array.prototype.flatMap` and `push(...items)`: the same items in the same order,
 * the callback called once per item in order, a non-array result kept as flatMap keeps it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendAll, flatOf } from '../../src/engine/arrays';

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
