import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessEach, type ResultLine, type StageMs } from '../../cli/assess';
import { writeScenarioBundle } from '../../scripts/cli-smoke';

/**
 * `stageMs` is the benchmark's view of a run (`npm run bench:engine` prints where the CLI's time goes): it must time
 * the run it is given without changing a result, and must add to what it holds (several runs, one total).
 */
const asOf = '2026-12-01';
let dir = '';
let bundle = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-stages-'));
  bundle = join(dir, 'three-patients.json');
  writeScenarioBundle(bundle, [
    'insufficient-data',
    'beyond-up-to-seven',
    'refractory-insufficient-response',
  ]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('assessEach with stage times', () => {
  it('gives the same results as a run without them, and times every stage', async () => {
    const plain: ResultLine[] = [];
    await assessEach(bundle, asOf, (r) => plain.push(r));
    const timed: ResultLine[] = [];
    const stageMs: StageMs = { read: 0, group: 0, map: 0, engine: 0 };
    await assessEach(bundle, asOf, (r) => timed.push(r), { stageMs });
    expect(timed).toEqual(plain);
    expect(timed).toHaveLength(3);
    for (const stage of ['read', 'group', 'map', 'engine'] as const)
      expect(stageMs[stage]).toBeGreaterThanOrEqual(0);
    expect(stageMs.map).toBeGreaterThan(0);
    expect(stageMs.engine).toBeGreaterThan(0);

    const before = { ...stageMs };
    await assessEach(bundle, asOf, () => undefined, { stageMs });
    expect(stageMs.map).toBeGreaterThan(before.map);
    expect(stageMs.engine).toBeGreaterThan(before.engine);
  });

  it('gives the same results on a real-world export (a whole Synthea patient, urn:uuid references)', async () => {
    const synthea = 'tests/fixtures/real-world-fhir/synthea';
    const file = readdirSync(synthea).find((f) => f.startsWith('Abdul_Koepp'));
    expect(file).toBeDefined();
    const path = join(synthea, file ?? '');
    const plain: ResultLine[] = [];
    await assessEach(path, asOf, (r) => plain.push(r));
    const timed: ResultLine[] = [];
    const stageMs: StageMs = { read: 0, group: 0, map: 0, engine: 0 };
    await assessEach(path, asOf, (r) => timed.push(r), { stageMs });
    expect(plain).toHaveLength(1);
    expect(timed).toEqual(plain);
    expect(stageMs.read).toBeGreaterThan(0);
  });

  it('leaves the time spent in the caller out of every stage', async () => {
    const stageMs: StageMs = { read: 0, group: 0, map: 0, engine: 0 };
    const wait = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // a caller that takes 300 ms per result (writing to a slow pipe, say)
      }
    };
    await assessEach(bundle, asOf, () => wait(300), { stageMs });
    const total = stageMs.read + stageMs.group + stageMs.map + stageMs.engine;
    // The stages take a few ms here (tens on a loaded machine); had the caller's 900 ms been counted, at least the
    // 600 ms after the first and second results would be in the total.
    expect(total).toBeLessThan(600);
  });
});
