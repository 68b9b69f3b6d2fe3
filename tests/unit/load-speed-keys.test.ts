import { describe, expect, it } from 'vitest';
import { ResourceKeys } from '../../src/fhir/loader';
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
