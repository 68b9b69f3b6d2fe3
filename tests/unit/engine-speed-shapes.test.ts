/**
 * The copies by literal (engine/shapes.ts keysAre) and the Set-free uniqSorted must give exactly what the generic
 * code gave: keysAre only for exactly the listed own keys in order, uniqSorted the strings of
 * `[...new Set(items)].sort()` for any list.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniqSorted } from '../../src/engine/evidence';
import { keysAre } from '../../src/engine/shapes';

describe('keysAre', () => {
  it('holds only for exactly these keys in this order', () => {
    expect(keysAre({ a: 1, b: 2 }, ['a', 'b'])).toBe(true);
    expect(keysAre({ b: 2, a: 1 }, ['a', 'b'])).toBe(false);
    expect(keysAre({ a: 1 }, ['a', 'b'])).toBe(false);
    expect(keysAre({ a: 1, b: 2, c: 3 }, ['a', 'b'])).toBe(false);
    expect(keysAre({}, [])).toBe(true);
    const inherited = Object.create({ b: 2 }) as { a?: number };
    inherited.a = 1;
    expect(keysAre(inherited, ['a'])).toBe(false); // a spread would not copy b: never the literal
  });

  it('agrees with Object.keys over generated records', () => {
    const name = fc.constantFrom('id', 'title', 'notes', 'evidence', '0', '1', 'x');
    fc.assert(
      fc.property(fc.dictionary(name, fc.nat()), fc.array(name, { maxLength: 5 }), (o, keys) => {
        const own = Object.keys(o);
        expect(keysAre(o, keys)).toBe(own.length === keys.length && own.every((k, i) => k === keys[i]));
        expect(keysAre(o, own)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('uniqSorted', () => {
  it('gives the strings of [...new Set(items)].sort() for any list', () => {
    const text = fc.constantFrom('', 'a', 'ab', 'b', 'B', 'a\u0000', '\u00e9', '\ud83d\ude00', '10', '9');
    fc.assert(
      fc.property(fc.array(text, { maxLength: 14 }), (items) => {
        const want = [...new Set(items)].sort();
        expect(uniqSorted(items)).toEqual(want);
        expect(uniqSorted(want)).toEqual(want);
        expect(uniqSorted([...want, ...want])).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('a new array every time, never the argument', () => {
    const items = ['a', 'b'];
    expect(uniqSorted(items)).not.toBe(items);
    expect(uniqSorted(['b'])).toEqual(['b']);
  });
});
