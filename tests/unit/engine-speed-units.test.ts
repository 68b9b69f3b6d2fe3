/**
 * labs.ts converts through one toCanonical(analyte, 1, unit) per analyte and unit of an evaluate call
 * (unitConversion) and tests plausibility with the table unit's factor before handing anything else to
 * plausibilityProblem. valueIn, boundsIn and unusableReason must give exactly what the earlier code gave (kept below
 * as the reference: toCanonical with the value itself, plausibilityProblem for every value), inside an evaluate
 * call's scope and outside it, for the scenario labs and for generated measurements (every unit spelling of the
 * table, unknown units, no unit, values that are not finite, −0, implausible and censored values).
 */
import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { ANALYTE_IDS, type AnalyteId, type Measurement } from '../../src/domain/labs';
import type { Timeline } from '../../src/domain/timeline';
import {
  CANONICAL_UNITS,
  plausibilityProblem,
  plausibleCanonical,
  toCanonical,
} from '../../src/domain/units';
import { dayNumber } from '../../src/engine/dates';
import { exact, type Bounds } from '../../src/engine/bounds';
import {
  boundsIn,
  seriesUpTo,
  unusableLabIssues,
  unusableReason,
  valueIn,
  withLabIndex,
} from '../../src/engine/labs';
import { byDateThenRef } from './engine-references';

// ---- the reference: labs.ts before unitConversion ----
function refValueIn(m: Measurement, target: string): number | null {
  const c = toCanonical(m.analyte, m.value, m.unit);
  if (!c.ok) return null;
  const t = toCanonical(m.analyte, 1, target);
  if (!t.ok || !(t.factor > 0)) return null;
  return c.value / t.factor;
}

function refUnusableReason(m: Measurement): string | undefined {
  const day = dayNumber(m.date);
  if (!Number.isFinite(day)) return `date "${m.date}" is not a real calendar date`;
  if (!Number.isFinite(m.value)) return `value ${String(m.value)} is not a number`;
  const c = toCanonical(m.analyte, m.value, m.unit);
  if (!c.ok) return c.error;
  return plausibilityProblem(m.analyte, c.value);
}

function refBoundsIn(m: Measurement, unit: string): Bounds | null {
  const v = refValueIn(m, unit);
  if (v === null) return null;
  if (!m.comparator) return exact(v);
  const t = toCanonical(m.analyte, 1, unit);
  if (!t.ok || !(t.factor > 0)) return null;
  const p = plausibleCanonical(m.analyte);
  const low = Math.min(p.low / t.factor, v);
  const high = Math.max(p.high / t.factor, v);
  switch (m.comparator) {
    case '<':
      return { lo: low, hi: v, loOpen: false, hiOpen: true };
    case '<=':
      return { lo: low, hi: v, loOpen: false, hiOpen: false };
    case '>':
      return { lo: v, hi: high, loOpen: true, hiOpen: false };
    case '>=':
      return { lo: v, hi: high, loOpen: false, hiOpen: false };
  }
}

// ---- the inputs ----
const AS_OF = '2026-11-01';
const scenarioLabs: Measurement[] = buildScenarios().flatMap((s) => {
  const [group] = groupByPatient(s.resources.map((resource) => ({ resource }))).patients;
  if (!group) return [];
  const { labs } = loadPatient(group.patient, group.resources, { asOf: AS_OF }).timeline;
  return Object.values(labs).flatMap((list) => list ?? []);
});

/** Every spelling the unit table accepts (domain/units.ts), its canonical units, and units it does not know. */
const UNITS: (string | undefined)[] = [
  ...new Set([
    ...Object.values(CANONICAL_UNITS),
    ...['%', '', '/nl', '1', '10*3/cumm', '10*3/mm3', '10*3/ul', '10*9/l', 'g/dl', 'g/l', 'gm/dl', 'gm/l'],
    ...['inr', 'iu/l', 'iu/ml', 'k/mm3', 'k/ul', 'kiu/l', 'mau/ml', 'meq/l', 'mg/dl', 'mg/l', 'mmol/l'],
    ...['ng/ml', 'percent', 'pivka-ng', 'ratio', 's', 'sec', 'second', 'seconds', 'secs', 'thou/ul'],
    ...['thousand/ul', 'thousands/ul', 'u/l', 'ug/l', 'ug/ml', 'ukat/l', 'umol/l', 'units/l', '{inr}'],
    ...['{ratio}', 'µmol/L', 'mcmol/L', 'mg/dL', 'g/dL', ' mg/dl ', 'U/L', 'µkat/L', 'IU/mL', '[IU]/mL'],
    ...['furlong', 'mg', ' ', 'x10^3/uL', 'mAU/mL', 'mmol/L', 'ng/mL', '{INR}'],
  ]),
  undefined,
];
const VALUES = [
  0,
  -0,
  1,
  0.3,
  1.7,
  2.5,
  3.4,
  38,
  137,
  380,
  2000,
  1e6,
  1e300,
  -5,
  Number.NaN,
  Infinity,
  -Infinity,
];
const COMPARATORS = [undefined, '<', '<=', '>', '>='] as const;
const TARGETS = [
  ...new Set([...Object.values(CANONICAL_UNITS), 'mg/dL', 'g/dL', 'umol/L', 'g/L', 'furlong', '']),
];

function generated(): Measurement[] {
  const out: Measurement[] = [];
  let n = 0;
  for (const analyte of ANALYTE_IDS)
    for (const unit of UNITS)
      for (const value of VALUES) {
        const comparator = COMPARATORS[n % COMPARATORS.length];
        n += 1;
        out.push({
          analyte,
          value,
          ...(comparator ? { comparator } : {}),
          ...(unit !== undefined ? { unit } : {}),
          date: n % 17 === 0 ? '2026-02-30' : `2026-0${1 + (n % 9)}-1${n % 10}`,
          source: { resourceType: 'Observation', id: `o-${n}` },
          status: 'final',
        } as Measurement);
      }
  return out;
}

const inputs = [...scenarioLabs, ...generated()];

/** Equal as numbers are told apart in the output: NaN equals NaN, −0 differs from 0. */
function sameNumber(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : Object.is(a, b);
}

function sameBounds(a: Bounds | null, b: Bounds | null): boolean {
  if (a === null || b === null) return a === b;
  return sameNumber(a.lo, b.lo) && sameNumber(a.hi, b.hi) && a.loOpen === b.loOpen && a.hiOpen === b.hiOpen;
}

function differences(analyteOf: (m: Measurement) => AnalyteId): string[] {
  const wrong: string[] = [];
  for (const m0 of inputs) {
    const m = { ...m0, analyte: analyteOf(m0) };
    const what = `${m.analyte} ${String(m.value)} ${String(m.unit)} ${m.comparator ?? ''}`;
    if (unusableReason(m) !== refUnusableReason(m)) wrong.push(`unusableReason ${what}`);
    for (const target of TARGETS) {
      if (!sameNumber(valueIn(m, target), refValueIn(m, target))) wrong.push(`valueIn ${what} → ${target}`);
      if (!sameBounds(boundsIn(m, target), refBoundsIn(m, target)))
        wrong.push(`boundsIn ${what} → ${target}`);
    }
  }
  return wrong;
}

describe('unit conversion once per analyte and unit gives what toCanonical per value gave', () => {
  it('has inputs of every kind', () => {
    expect(scenarioLabs.length).toBeGreaterThan(50);
    expect(inputs.some((m) => m.comparator !== undefined && refBoundsIn(m, CANONICAL_UNITS[m.analyte]))).toBe(
      true,
    );
    expect(inputs.some((m) => refUnusableReason(m)?.includes('plausible'))).toBe(true);
  });
  it('outside an evaluate call', () => {
    expect(differences((m) => m.analyte)).toEqual([]);
  });
  it('inside one evaluate call, the same units asked again and again (and of another analyte)', () => {
    const t = { labs: {}, dataIssues: [] } as unknown as Timeline;
    withLabIndex(t, () => {
      expect(differences((m) => m.analyte)).toEqual([]);
      expect(differences((m) => m.analyte)).toEqual([]);
      const shifted = (m: Measurement) =>
        ANALYTE_IDS[(ANALYTE_IDS.indexOf(m.analyte) + 1) % ANALYTE_IDS.length] as AnalyteId;
      expect(differences(shifted)).toEqual([]);
    });
  });
});

describe('a series reuses the unit check of the value before only for the same analyte and unit', () => {
  it('runs of one unit, units and analytes switching, unusable dates and values between them', () => {
    const all = generated();
    for (let seed = 0; seed < 60; seed++) {
      // A series of `albumin` whose values come in runs: the same unit, then another, now and then another analyte.
      const list: Measurement[] = [];
      for (let i = 0; i < 40; i++) {
        const m = all[(seed * 131 + Math.floor(i / (1 + (seed % 5))) * 17 + i) % all.length] as Measurement;
        list.push({ ...m, analyte: i % 11 === 10 ? m.analyte : 'albumin' });
      }
      const t = { labs: { albumin: list }, dataIssues: [] } as unknown as Timeline;
      const reasons = withLabIndex(t, () => unusableLabIssues(t)).map((d) => d.reason);
      const want = list
        .map((m) => [m, refUnusableReason(m)] as const)
        .filter(([, why]) => why !== undefined)
        .map(([m, why]) => `${m.source.display ?? 'albumin'}: ${why as string}: not used by the engine`);
      expect(reasons).toEqual(want);
      const usable = withLabIndex(t, () => seriesUpTo(t, 'albumin', '2026-12-31'));
      const wantUsable = list.filter((m) => refUnusableReason(m) === undefined).sort(byDateThenRef);
      expect(usable).toEqual(wantUsable);
      usable.forEach((m, i) => expect(m).toBe(wantUsable[i]));
    }
  });
});
