/**
 * normalizeEvidence returns an already strictly increasing list as it is, and compares one object with itself as
 * equal without reading its fields: both must give exactly what the key-string reference gives, for lists that
 * are normalised already, lists that repeat the same object, and any list.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEvidence } from '../../src/engine/evidence';
import type { EvidenceItem } from '../../src/engine/result';
import { referenceNormalizeEvidence } from './engine-references';

const text = fc.constantFrom('', 'a', 'ab', 'b', 'a\u0000', '\u0000b', '2026-01-01', '2026-01-01T08');
const item: fc.Arbitrary<EvidenceItem> = fc.record(
  {
    ref: text,
    date: text,
    label: text,
    value: fc.oneof(text, fc.constantFrom(0, 1, Number.NaN), fc.boolean()),
    unit: text,
    sentence: text,
    origin: fc.constantFrom('structured' as const, 'text' as const, 'derived' as const),
  },
  { requiredKeys: ['ref', 'date', 'label', 'origin'] },
);

const same = (got: EvidenceItem[], want: EvidenceItem[]): void => {
  expect(got.length).toBe(want.length);
  got.forEach((e, i) => expect(e).toBe(want[i]));
};

describe('normalizeEvidence fast paths', () => {
  it('a normalised list, the same list twice over, and a list with repeated objects', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 12 }),
        fc.array(fc.nat(11), { maxLength: 20 }),
        (items, picks) => {
          const normalised = referenceNormalizeEvidence(items);
          same(normalizeEvidence(normalised), normalised);
          same(
            normalizeEvidence([...normalised, ...normalised]),
            referenceNormalizeEvidence([...normalised, ...normalised]),
          );
          const repeated = picks.flatMap((i) => (items[i] ? [items[i] as EvidenceItem] : []));
          same(normalizeEvidence(repeated), referenceNormalizeEvidence(repeated));
          same(normalizeEvidence(items), referenceNormalizeEvidence(items));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('normalizeEvidence sorting', () => {
  it('short lists (insertion sort) and long ones (Array sort) as the reference, ties kept in listed order', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 60 }),
        fc.array(fc.nat(59), { maxLength: 60 }),
        (items, picks) => {
          same(normalizeEvidence(items), referenceNormalizeEvidence(items));
          // Equal copies (other objects): which one is kept depends on the order ties keep.
          const copies = picks.flatMap((i) => (items[i] ? [{ ...(items[i] as EvidenceItem) }] : []));
          const mixed = [...items, ...copies].reverse();
          same(normalizeEvidence(mixed), referenceNormalizeEvidence(mixed));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('sortByKey', () => {
  it('gives the order of a sort that builds both keys at every comparison (stable on equal keys)', async () => {
    const { sortByKey } = await import('../../src/engine/evidence');
    const entry = fc.record({ a: text, b: text, n: fc.nat() });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (items) => {
        const keyOf = (x: { a: string; b: string }): string => `${x.a}\u0000${x.b}`;
        const want = [...items].sort((x, y) => {
          const kx = keyOf(x);
          const ky = keyOf(y);
          return kx < ky ? -1 : kx > ky ? 1 : 0;
        });
        const got = [...items];
        sortByKey(got, keyOf);
        got.forEach((x, i) => expect(x).toBe(want[i]));
      }),
      { numRuns: 2000 },
    );
  });
});
