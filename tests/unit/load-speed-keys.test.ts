import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/domain/timeline';
import { ResourceKeys, loadPatient, sourceKeys } from '../../src/fhir/loader';
import { HAS_REAL_WORLD, fixturePatients } from './fixture-patients';
import { pick, seededRandom } from './seeded-random';

/**
 * The accounting keeps used and listed resources as ids per type (ResourceKeys) instead of `Type/id` strings.
 * These tests pin that it answers exactly as a Set of those strings did, also for types and ids that hold "/"
 * (where per-type sets alone would differ: "A/b" + "c" and "A" + "b/c" are one key).
 */
const TYPES = ['Observation', 'Procedure', 'A', 'A/b', 'A/b/c', 'Observation/x', '', 'B'];
const IDS = ['1', 'x', 'b', 'b/c', 'c', 'x/1', '', '/', 'x/'];

describe('ResourceKeys', () => {
  it('matches a Set of `${type}/${id}` strings over generated additions and look-ups', () => {
    const rnd = seededRandom(7);
    let hits = 0;
    for (let round = 0; round < 200; round += 1) {
      const keys = new ResourceKeys();
      const reference = new Set<string>();
      const count = Math.floor(rnd() * 12);
      for (let n = 0; n < count; n += 1) {
        const type = pick(rnd, TYPES);
        const id = pick(rnd, IDS);
        if (rnd() < 0.2) {
          keys.addKey(`${type}/${id}`);
        } else keys.add(type, id);
        reference.add(`${type}/${id}`);
      }
      for (const type of TYPES)
        for (const id of IDS) {
          const expected = reference.has(`${type}/${id}`);
          if (expected) hits += 1;
          expect(keys.has(type, id), `${type} + ${id} after ${[...reference].join(' ')}`).toBe(expected);
        }
      expect([...keys.toSet()].sort()).toEqual([...reference].sort());
    }
    expect(hits).toBeGreaterThan(500);
  });

  it('finds a key added whole by any split of it', () => {
    const keys = new ResourceKeys();
    keys.add('A/b', 'c');
    expect(keys.has('A', 'b/c')).toBe(true);
    expect(keys.has('A/b', 'c')).toBe(true);
    expect(keys.has('A', 'b')).toBe(false);
    keys.addKey('Observation/1');
    expect(keys.has('Observation', '1')).toBe(true);
    expect(keys.has('Observation/1', '')).toBe(false);
  });
});

/** The former generic walk over every object of the timeline (reference copy). */
function genericSourceKeys(timeline: Timeline): ResourceKeys {
  type Json = Record<string, unknown>;
  const obj = (value: unknown): Json | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  const used = new ResourceKeys();
  const walk = (value: object, depth: number): void => {
    if (depth > 6) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) {
        const v: unknown = value[i];
        if (v !== null && typeof v === 'object') walk(v, depth + 1);
      }
      return;
    }
    const o = value as Json;
    const s = obj(o.source);
    if (s && typeof s.resourceType === 'string' && typeof s.id === 'string') used.add(s.resourceType, s.id);
    if (typeof o.resourceType === 'string' && typeof o.id === 'string' && !('source' in o))
      used.add(o.resourceType, o.id);
    for (const k in o) {
      if (k === 'source' || k === 'dataIssues') continue;
      const v = o[k];
      if (v !== null && typeof v === 'object') walk(v, depth + 1);
    }
  };
  walk(timeline, 0);
  if (timeline.patient?.id) used.add('Patient', timeline.patient.id);
  return used;
}

describe('sourceKeys (typed walk of the timeline)', () => {
  it('finds exactly the keys, in the same order, as the generic walk over every fixture timeline', async () => {
    let timelines = 0;
    let keys = 0;
    for await (const { file, patient: p } of fixturePatients({ standIn: true })) {
      const { timeline } = loadPatient(p.patient, p.resources, {
        asOf: '2026-11-01',
        fullUrls: p.fullUrls,
      });
      const expected = [...genericSourceKeys(timeline).toSet()];
      expect([...sourceKeys(timeline).toSet()], file).toEqual(expected);
      timelines += 1;
      keys += expected.length;
    }
    expect(timelines).toBeGreaterThan(500);
    // tests/fixtures alone hold ~650 keys; with ../shared/real-world-fhir beside the checkout, over 1,000.
    expect(keys).toBeGreaterThan(HAS_REAL_WORLD ? 1000 : 500);
  }, 120_000);

  it('reads the SourceRef fields of every record kind, and nothing else', () => {
    const ref = (resourceType: string, id: string) => ({ resourceType, id });
    const timeline = {
      patient: { id: 'p1', name: 'x' },
      labs: { afp: [{ source: ref('Observation', 'o1'), referenceRange: { unit: 'x' } }, null] },
      treatments: [
        { id: 't', source: ref('Procedure', 'pr1'), mergedSources: [ref('Procedure', 'pr2'), 'x'] },
      ],
      imaging: [
        {
          source: ref('DiagnosticReport', 'd1'),
          findings: [{ evidence: { source: ref('DiagnosticReport', 'd2') } }, { evidence: 5 }],
        },
      ],
      therapies: [{ source: ref('MedicationRequest', 'm1') }, { source: { resourceType: 'X', id: 5 } }],
      conditions: [{ source: ref('Condition', 'c1'), severity: { code: 'y' }, codings: [{ code: 'z' }] }],
      dataIssues: [{ resourceType: 'Observation', id: 'listed', reason: 'r', kind: 'excluded' }],
    } as unknown as Timeline;
    const keys = [...sourceKeys(timeline).toSet()];
    expect(keys).toEqual([...genericSourceKeys(timeline).toSet()]);
    expect(keys).toEqual([
      'Observation/o1',
      'Procedure/pr1',
      'Procedure/pr2',
      'DiagnosticReport/d1',
      'DiagnosticReport/d2',
      'MedicationRequest/m1',
      'Condition/c1',
      'Patient/p1',
    ]);
  });
});
