/**
 * The engine's lab index (sorted series, binary-searched windows, ALBI pairing without the n×m scan) must pick
 * exactly what the straightforward scans picked. Reference implementations below are the pre-optimisation code.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyteId, Measurement } from '../../src/domain/labs';
import type { Timeline } from '../../src/domain/timeline';
import { dayNumber } from '../../src/engine/dates';
import { latestIn, picked, seriesUpTo, withLabIndex, type Picked } from '../../src/engine/labs';
import { plausibilityProblem, toCanonical } from '../../src/domain/units';
import { albiPair } from '../../src/engine/scores/from-timeline';
import { byDateThenRef } from './engine-references';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNITS: Record<string, string[]> = {
  bilirubin: ['mg/dL', 'umol/L', 'furlong'],
  albumin: ['g/dL', 'g/L'],
};

function timeline(seed: number, n: number, oddDates: boolean): Timeline {
  const r = rng(seed);
  const labs: Partial<Record<AnalyteId, Measurement[]>> = {};
  for (const analyte of ['bilirubin', 'albumin'] as AnalyteId[]) {
    const list: Measurement[] = [];
    for (let i = 0; i < n; i++) {
      const day = 1 + Math.floor(r() * 28);
      const month = oddDates && r() < 0.1 ? 13 : 1 + Math.floor(r() * 3);
      const date = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}${r() < 0.3 ? 'T10:00:00Z' : ''}`;
      const units = UNITS[analyte] as string[];
      list.push({
        analyte,
        value: r() < 0.05 ? Number.NaN : 1 + r() * 40,
        ...(r() < 0.1 ? { comparator: '<' as const } : {}),
        unit: units[Math.floor(r() * units.length)] as string,
        date: r() < 0.03 ? 'garbage' : date,
        source: { resourceType: 'Observation', id: `${analyte}-${Math.floor(r() * n)}` },
        status: 'final',
      });
    }
    labs[analyte] = list;
  }
  return { labs } as unknown as Timeline;
}

/** Values outside the plausible range (domain/units.ts) are not used by the engine. */
function plausible(m: Measurement): boolean {
  const c = toCanonical(m.analyte, m.value, m.unit);
  return c.ok && plausibilityProblem(m.analyte, c.value) === undefined;
}

function refSeries(t: Timeline, analyte: AnalyteId, asOf: string): Measurement[] {
  const limit = dayNumber(asOf);
  return (t.labs[analyte] ?? [])
    .filter(
      (m) =>
        Number.isFinite(dayNumber(m.date)) &&
        dayNumber(m.date) <= limit &&
        Number.isFinite(m.value) &&
        plausible(m),
    )
    .slice()
    .sort(byDateThenRef);
}

function refLatest(
  t: Timeline,
  a: AnalyteId,
  unit: string,
  from: number,
  to: number,
  asOf: string,
): Picked | null {
  const list = refSeries(t, a, asOf);
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i] as Measurement;
    const d = dayNumber(m.date);
    // Censored values are picked too (with their bounds): skipping them would let an older value stand in.
    if (d < from || d > to) continue;
    const p = picked(m, unit);
    if (p) return p;
  }
  return null;
}

function refPair(t: Timeline, from: number, to: number, asOf: string, pairingDays: number) {
  const conv = (a: AnalyteId, unit: string): Picked[] =>
    refSeries(t, a, asOf)
      .filter((m) => dayNumber(m.date) >= from && dayNumber(m.date) <= to)
      .map((m) => picked(m, unit))
      .filter((p): p is Picked => p !== null);
  let best: { bili: Picked; alb: Picked; key: [number, number] } | null = null;
  for (const b of conv('bilirubin', 'umol/L')) {
    for (const a of conv('albumin', 'g/L')) {
      const db = dayNumber(b.day);
      const da = dayNumber(a.day);
      if (Math.abs(db - da) > pairingDays) continue;
      const key: [number, number] = [Math.max(db, da), Math.min(db, da)];
      if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && key[1] >= best.key[1]))
        best = { bili: b, alb: a, key };
    }
  }
  return best ? { bili: best.bili, alb: best.alb } : null;
}

describe('engine lab index matches the plain scans', () => {
  it('seriesUpTo, latestIn and albiPair over random series (sorted and unsorted day orders)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const t = timeline(seed, 5 + (seed % 40), seed % 3 === 0);
      const r = rng(seed * 7);
      for (let q = 0; q < 15; q++) {
        const asOf = `2026-0${1 + Math.floor(r() * 3)}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
        const to = dayNumber(asOf) - Math.floor(r() * 20);
        const from = r() < 0.3 ? -Infinity : to - Math.floor(r() * 40);
        const pairing = [0, 3, 7, 30, Infinity, Number.NaN][Math.floor(r() * 6)] as number;
        for (const indexed of [false, true]) {
          const run = <T>(f: () => T): T => (indexed ? withLabIndex(t, f) : f());
          expect(run(() => seriesUpTo(t, 'albumin', asOf))).toEqual(refSeries(t, 'albumin', asOf));
          expect(run(() => latestIn(t, 'bilirubin', 'mg/dL', from, to, asOf))).toEqual(
            refLatest(t, 'bilirubin', 'mg/dL', from, to, asOf),
          );
          expect(run(() => albiPair(t, from, to, asOf, pairing))).toEqual(
            refPair(t, from, to, asOf, pairing),
          );
        }
      }
    }
  });
});
