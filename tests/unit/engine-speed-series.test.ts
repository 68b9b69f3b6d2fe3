/**
 * buildSeries (labs.ts) skips the sort when a series already arrives in date-then-ref order. Both paths must give
 * exactly the series of the plain filter-then-sort, and the same unusable values in timeline order.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyteId, Measurement } from '../../src/domain/labs';
import type { Timeline } from '../../src/domain/timeline';
import { dayNumber } from '../../src/engine/dates';
import { seriesUpTo, unusableLabIssues, unusableReason, withLabIndex } from '../../src/engine/labs';
import { byDateThenRef } from './engine-references';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSeries(seed: number, n: number): Measurement[] {
  const r = rng(seed);
  const list: Measurement[] = [];
  for (let i = 0; i < n; i++) {
    const month = r() < 0.05 ? 13 : 1 + Math.floor(r() * 3);
    const day = 1 + Math.floor(r() * 28);
    list.push({
      analyte: 'albumin',
      value: r() < 0.05 ? Number.NaN : r() < 0.05 ? 900 : 1 + r() * 5,
      unit: r() < 0.1 ? 'furlong' : 'g/dL',
      // Few distinct days and ids, so ties on date (and on date and id) are common.
      date: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}${r() < 0.3 ? 'T10:00:00Z' : ''}`,
      source: { resourceType: 'Observation', id: `alb-${Math.floor(r() * 6)}` },
      status: 'final',
    });
  }
  return list;
}

function reference(list: readonly Measurement[], asOf: string): Measurement[] {
  const limit = dayNumber(asOf);
  return list
    .filter((m) => unusableReason(m) === undefined && dayNumber(m.date) <= limit)
    .sort(byDateThenRef);
}

describe('sorted series: the pre-sorted fast path and the sort give the same series', () => {
  it('random, pre-sorted and reversed inputs', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const base = randomSeries(seed, seed % 25);
      const inputs = [base, [...base].sort(byDateThenRef), [...base].sort(byDateThenRef).reverse()];
      for (const list of inputs) {
        const t = { labs: { albumin: list }, dataIssues: [] } as unknown as Timeline;
        for (const asOf of ['2026-02-10', '2026-12-31']) {
          const got = withLabIndex(t, () => seriesUpTo(t, 'albumin' as AnalyteId, asOf));
          expect(got).toEqual(reference(list, asOf));
          got.forEach((m, i) => expect(m).toBe(reference(list, asOf)[i]));
        }
        const issues = withLabIndex(t, () => unusableLabIssues(t));
        expect(issues.map((d) => d.reason)).toEqual(
          list.flatMap((m) => {
            const why = unusableReason(m);
            return why === undefined
              ? []
              : [`${m.source.display ?? 'albumin'}: ${why}: not used by the engine`];
          }),
        );
      }
    }
  });
});

describe('markers: every canonical unit converts (markerAfterSession skips its canonicalValue filter then)', () => {
  it('each marker analyte', async () => {
    const { MARKER_ANALYTES, canonicalValue } = await import('../../src/engine/markers');
    const { CANONICAL_UNITS, toCanonical } = await import('../../src/domain/units');
    for (const a of MARKER_ANALYTES) {
      const t = toCanonical(a, 1, CANONICAL_UNITS[a]);
      expect(t.ok && t.factor > 0).toBe(true);
      const m = { analyte: a, value: 2, unit: CANONICAL_UNITS[a], date: '2026-01-01' } as Measurement;
      expect(canonicalValue(m)).not.toBeNull();
    }
  });
});

describe('picked: one Picked per measurement and unit in a call, equal to a fresh one', () => {
  it('random series, several units', async () => {
    const { picked } = await import('../../src/engine/labs');
    const { withCallMemo } = await import('../../src/engine/per-call');
    for (let seed = 1; seed <= 20; seed++) {
      for (const m of randomSeries(seed, 15)) {
        for (const unit of ['g/dL', 'g/L', 'furlong']) {
          const [x, y] = withCallMemo(() => [picked(m, 'g/L'), picked(m, unit), picked(m, unit)]).slice(1);
          expect(x).toBe(y);
          expect(x).toEqual(picked(m, unit));
        }
      }
    }
  });
});
