import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../src/domain/labs';
import type { DataIssue } from '../../src/domain/source';
import { sortByDate } from '../../src/domain/timeline';
import { mapObservations } from '../../src/fhir/map/labs';
import { labObs } from '../fixtures/factories';
import { pick, seededRandom } from './seeded-random';

/**
 * mapObservations merges exact duplicates by analyte and date-time, then field by field (no key string per lab
 * value). These tests pin that it merges exactly what the former key `${analyte}|${date}|${comparator ?? ''}|
 * ${value}|${unit}` merged, in the same order, over generated histories.
 */
function referenceMerge(all: readonly Measurement[]): { kept: Measurement[]; issues: DataIssue[] } {
  const byKey = new Map<string, number>();
  const kept: Measurement[] = [];
  const issues: DataIssue[] = [];
  for (const m of all) {
    const key = `${m.analyte}|${m.date}|${m.comparator ?? ''}|${m.value}|${m.unit}`;
    const idx = byKey.get(key);
    const first = idx === undefined ? undefined : kept[idx];
    if (idx !== undefined && first) {
      kept[idx] = {
        ...first,
        notes: [...(first.notes ?? []), `duplicate of Observation/${m.source.id} merged`],
      };
      issues.push({
        resourceType: 'Observation',
        id: m.source.id,
        reason: `same ${m.analyte} value, unit and time as Observation/${first.source.id}: merged`,
        kind: 'warning',
      });
      continue;
    }
    byKey.set(key, kept.length);
    kept.push(m);
  }
  return { kept, issues };
}

const ANALYTES: readonly (readonly [loinc: string, unit: string, values: readonly number[]])[] = [
  ['1834-1', 'ng/mL', [5, 12, 12.0, 400]],
  ['1751-7', 'g/dL', [3.1, 3.5, 4]],
  ['1975-2', 'mg/dL', [0, 1.2, 2]],
  ['6301-6', '{INR}', [1, 1.1, 1.3]],
];
const DATES = ['2026-01-10T08:00:00Z', '2026-01-10T08:00:00+00:00', '2026-01-10', '2026-02-01T09:30:00Z'];

describe('lab duplicates are merged exactly as by the former key', () => {
  it('on generated histories with repeated analytes, times, values and comparators', () => {
    const rnd = seededRandom(7);
    let merges = 0;
    for (let round = 0; round < 200; round += 1) {
      const resources: Record<string, unknown>[] = [];
      const n = 1 + Math.floor(rnd() * 30);
      for (let i = 0; i < n; i += 1) {
        const [loinc, unit, values] = pick(rnd, ANALYTES);
        const value = pick(rnd, values);
        const comparator = pick(rnd, [undefined, undefined, undefined, '<', '>=']);
        const o = labObs(loinc, value, unit, pick(rnd, DATES));
        if (comparator !== undefined) o.valueQuantity = { ...(o.valueQuantity as object), comparator };
        resources.push(o);
      }
      const { series, issues } = mapObservations(resources);
      // Before merging: every result mapped on its own (no duplicate can merge when each is alone).
      const all = resources.flatMap((r) =>
        Object.values(mapObservations([r]).series).flatMap((list) => list ?? []),
      );
      const want = referenceMerge(all);
      const got = Object.values(series).flatMap((list) => list ?? []);
      const sortKey = (m: Measurement): string => `${m.analyte}|${m.source.id}`;
      expect([...got].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
        [...want.kept].sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
      );
      expect(issues.filter((i) => i.reason.includes('merged'))).toEqual(want.issues);
      // Each series in the order sortByDate gives the kept results (input order among equal dates).
      for (const [analyte, list] of Object.entries(series))
        expect(list, analyte).toEqual(sortByDate(want.kept.filter((m) => m.analyte === analyte)));
      merges += want.issues.length;
    }
    expect(merges).toBeGreaterThan(100); // the histories do repeat results
  });

  it('merges 0 and -0, keeps different comparators and times apart', () => {
    const a = labObs('1834-1', 0, 'ng/mL', '2026-01-10');
    const b = labObs('1834-1', -0, 'ng/mL', '2026-01-10');
    const c = labObs('1834-1', 0, 'ng/mL', '2026-01-10', {});
    c.valueQuantity = { ...(c.valueQuantity as object), comparator: '<' };
    const d = labObs('1834-1', 0, 'ng/mL', '2026-01-11');
    const { series } = mapObservations([a, b, c, d]);
    expect(series.afp?.map((m) => m.source.id)).toEqual([a.id, c.id, d.id]);
    expect(series.afp?.[0]?.notes).toEqual([`duplicate of Observation/${String(b.id)} merged`]);
  });
});
