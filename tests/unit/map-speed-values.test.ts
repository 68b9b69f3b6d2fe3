import { describe, expect, it } from 'vitest';
import type { AnalyteId } from '../../src/domain/labs';
import { ANALYTE_IDS } from '../../src/domain/labs';
import { PLAUSIBLE_RANGES, toCanonicalValue, plausibilityProblem, toCanonical } from '../../src/domain/units';
import { SeenIds, isAfterDay } from '../../src/fhir/map/common';
import { rangeBound } from '../../src/fhir/map/labs';
import type { Quantity } from '../../src/fhir/schemas/common';
import { pick, seededRandom } from './seeded-random';

/**
 * Lab values are read without throwaway objects: reference-range bounds through toCanonicalValue (no result object,
 * no unit array), plausibility with the range factors computed once, day comparison without slices. Each is
 * compared here with a reference copy of the former code.
 */
const UNITS: readonly (string | undefined)[] = [
  undefined,
  '',
  ' ',
  'ng/mL',
  'ng/ml',
  'IU/mL',
  '[IU]/mL',
  'kIU/L',
  'ug/L',
  'µg/L',
  'g/dL',
  'gm/dL',
  'g/L',
  'mg/dL',
  'umol/L',
  'µmol/L',
  'mmol/L',
  'mEq/L',
  '{INR}',
  's',
  '10*3/uL',
  'x10^3/uL',
  '10³/µL',
  '10*9/L',
  'U/L',
  'IU/L',
  'ukat/L',
  'mg/L',
  '%',
  'mAU/mL',
  'm[AU]/mL',
  'furlongs',
];
const VALUES: readonly number[] = [0, -0, 1, 3.9, 17.1, -5, 1e308, -1e308, 5e-324, NaN, Infinity, -Infinity];

function referenceRangeBound(
  q: Quantity | undefined,
  analyte: AnalyteId,
  fallbackUnits: (string | undefined)[],
): number | undefined {
  if (q?.value === undefined) return undefined;
  const quantityUnits = (x: Quantity): (string | undefined)[] =>
    x.code !== undefined && x.unit !== undefined && x.code !== x.unit ? [x.code, x.unit] : [x.code ?? x.unit];
  for (const u of q.code !== undefined || q.unit !== undefined ? quantityUnits(q) : fallbackUnits) {
    const c = toCanonical(analyte, q.value, u);
    if (c.ok) return c.value;
  }
  return undefined;
}

function referencePlausibility(analyte: AnalyteId, value: number): string | undefined {
  const r = PLAUSIBLE_RANGES[analyte];
  const t = toCanonical(analyte, 1, r.unit);
  if (!t.ok || !(t.factor > 0)) return undefined;
  const v = value / t.factor;
  if (Number.isFinite(v) && v >= r.low && v <= r.high) return undefined;
  const shown = (n: number): string => String(Number(n.toPrecision(6)));
  const unit = r.unit === '{INR}' ? '' : ` ${r.unit.replace(/^umol/, 'µmol')}`;
  const range = r.high === Infinity ? `≥ ${shown(r.low)}${unit}` : `${shown(r.low)}–${shown(r.high)}${unit}`;
  return `${r.label} ${shown(v)}${unit} is outside the plausible range ${range}`;
}

const referenceIsAfterDay = (date: string, asOf: string | undefined): boolean =>
  asOf !== undefined && date.slice(0, 10) > asOf.slice(0, 10);

describe('lab value helpers without throwaway objects', () => {
  it('toCanonicalValue is toCanonical’s value when it succeeds, else undefined', () => {
    for (const analyte of ANALYTE_IDS)
      for (const unit of UNITS)
        for (const value of VALUES) {
          const c = toCanonical(analyte, value, unit);
          expect(toCanonicalValue(analyte, value, unit)).toBe(c.ok ? c.value : undefined);
        }
  });

  it('rangeBound reads a bound as the former loop over quantityUnits did', () => {
    const rnd = seededRandom(11);
    let found = 0;
    for (let n = 0; n < 20_000; n += 1) {
      const analyte = pick(rnd, ANALYTE_IDS);
      const q: Quantity | undefined =
        rnd() < 0.05
          ? undefined
          : {
              ...(rnd() < 0.9 ? { value: pick(rnd, VALUES) } : {}),
              ...(rnd() < 0.6 ? { code: pick(rnd, UNITS) } : {}),
              ...(rnd() < 0.6 ? { unit: rnd() < 0.3 ? q0(rnd) : pick(rnd, UNITS) } : {}),
            };
      const fallback = Array.from({ length: Math.floor(rnd() * 3) }, () => pick(rnd, UNITS));
      const expected = referenceRangeBound(q, analyte, fallback);
      if (expected !== undefined) found += 1;
      expect(rangeBound(q, analyte, fallback)).toBe(expected);
    }
    expect(found).toBeGreaterThan(1500);
  });

  it('plausibilityProblem says what the former per-call conversion said', () => {
    let problems = 0;
    for (const analyte of ANALYTE_IDS)
      for (const value of [...VALUES, 0.4, 0.5, 5, 49.9, 70, 70.1, 101, 180.5, 1000, 3000.1, 50_001]) {
        const expected = referencePlausibility(analyte, value);
        if (expected !== undefined) problems += 1;
        expect(plausibilityProblem(analyte, value)).toBe(expected);
      }
    expect(problems).toBeGreaterThan(50);
    expect(() => plausibilityProblem('nope' as AnalyteId, 1)).toThrow(TypeError);
  });

  it('isAfterDay compares the first ten characters as the sliced strings did', () => {
    const rnd = seededRandom(5);
    const parts = ['2026', '-', '01', '11', '1', 'T', '08:00', 'Z', '', '9', '\uD83D', 'é', '2025-12-31'];
    const gen = (): string => Array.from({ length: Math.floor(rnd() * 5) }, () => pick(rnd, parts)).join('');
    let after = 0;
    for (let n = 0; n < 20_000; n += 1) {
      const date =
        rnd() < 0.5
          ? `2026-${pick(rnd, ['01', '10', '11', '12'])}-${pick(rnd, ['01', '1', '31'])}${gen()}`
          : gen();
      const asOf = rnd() < 0.05 ? undefined : rnd() < 0.5 ? '2026-11-01' : gen();
      const expected = referenceIsAfterDay(date, asOf);
      if (expected) after += 1;
      expect(isAfterDay(date, asOf), `${date} vs ${String(asOf)}`).toBe(expected);
    }
    expect(after).toBeGreaterThan(2000);
  });
});

describe('SeenIds', () => {
  it('reports exactly the repeated type + id pairs, with types interleaved (generated)', () => {
    const rnd = seededRandom(13);
    let dups = 0;
    for (let round = 0; round < 200; round += 1) {
      const seen = new SeenIds();
      const reference = new Map<string, Set<string>>();
      const types = ['Observation', 'Procedure', 'Observation/x', ''];
      const sticky = rnd() < 0.5; // one type for the whole run, as a mapper asks
      for (let n = 0; n < 40; n += 1) {
        const type = sticky ? 'Observation' : pick(rnd, types);
        const id = pick(rnd, ['1', '2', '3', 'x', '', '1/2']);
        const ids = reference.get(type) ?? new Set<string>();
        reference.set(type, ids);
        const expected = ids.has(id)
          ? {
              resourceType: type,
              id,
              reason: 'duplicate resource id: the later copy was ignored',
              kind: 'warning',
            }
          : undefined;
        ids.add(id);
        if (expected) dups += 1;
        expect(seen.check(type, id)).toEqual(expected);
      }
    }
    expect(dups).toBeGreaterThan(1000);
  });
});

/** A unit spelled with stray spaces or case, as exports do. */
function q0(rnd: () => number): string {
  return pick(rnd, [' ng/mL ', 'NG/ML', 'Mg/dL', 'u/l', 'µmol/l']);
}
