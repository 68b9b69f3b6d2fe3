/**
 * engine/evidence normalizeEvidence sorts and de-duplicates by comparing fields instead of building a key string
 * per item (issue 13, speed): it must give exactly the items, in the order, that the key-string Map gave — the
 * last item of each key, sorted by key — including when a field holds the separator U+0000 (where the fields alone
 * cannot tell).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEvidence } from '../../src/engine/evidence';
import type { EvidenceItem } from '../../src/engine/result';
import { referenceNormalizeEvidence } from './engine-references';

// Few distinct values per field, so that equal and prefix-equal fields (the cases that matter) are common.
const text = fc.constantFrom(
  '',
  'a',
  'ab',
  'b',
  'a\u0000',
  '\u0000b',
  'A',
  'é',
  '2026-01-01',
  '2026-01-01T08',
);
const item: fc.Arbitrary<EvidenceItem> = fc.record(
  {
    ref: text,
    date: text,
    label: text,
    value: fc.oneof(text, fc.constantFrom(0, 1, 1.5, -2, Number.NaN), fc.boolean()),
    unit: text,
    sentence: text,
    origin: fc.constantFrom('structured' as const, 'text' as const, 'clinician' as const, 'derived' as const),
    confirmed: fc.constant(true as const),
    preliminary: fc.constant(true as const),
  },
  { requiredKeys: ['ref', 'date', 'label', 'origin'] },
);

describe('normalizeEvidence', () => {
  it('gives the same items in the same order as the key-string reference', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const got = normalizeEvidence(items);
        const want = referenceNormalizeEvidence(items);
        expect(got.length).toBe(want.length);
        got.forEach((e, i) => expect(e).toBe(want[i])); // the same objects (the last of each key)
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same result without U+0000 in any field (the field-comparison path)', () => {
    const plain = item.filter((e) => !JSON.stringify(e).includes('\\u0000'));
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 12 }), (items) => {
        const got = normalizeEvidence(items);
        const want = referenceNormalizeEvidence(items);
        expect(got.length).toBe(want.length);
        got.forEach((e, i) => expect(e).toBe(want[i]));
      }),
      { numRuns: 3000 },
    );
  });
});
