import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessEach, type ResultLine } from '../../cli/assess';
import { buildCli } from '../../scripts/build-cli';
import { problemsOf, runCompiledCli, writeScenarioBundle } from '../../scripts/cli-smoke';

/**
 * The CLI as deployed: compiled by the same build as `npm run build:cli` (into a temporary folder, so a clean clone
 * needs no build step before `npm test`) and run by plain `node` — the node running the tests, so under Node 24 in
 * CI's second pass — on a two-patient scenario bundle. Its lines must be what the TypeScript source computes.
 */
const asOf = '2026-12-01';
const scenarioIds = ['insufficient-data', 'beyond-up-to-seven'];
let dir = '';
let cli = '';
let bundle = '';
let patientIds: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-compiled-'));
  cli = join(dir, 'assess.js'); // the CLI runs main() only when invoked as …assess(.js|.ts)
  bundle = join(dir, 'two-patients.json');
  await buildCli(cli);
  patientIds = writeScenarioBundle(bundle, scenarioIds);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('compiled CLI (dist-cli/assess.js)', () => {
  it('is one plain ES module run by node: node shebang, no tsx, no package imports', () => {
    const text = readFileSync(cli, 'utf8');
    expect(text.split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    const imported = [
      ...text.matchAll(/\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)/g),
    ]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
      .filter((specifier) => /^[@a-z]/i.test(specifier));
    expect(imported).toContain('node:fs/promises');
    expect(imported.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
  });

  it('prints one JSON line per patient, the same results as the TypeScript source', async () => {
    expect(patientIds).toHaveLength(scenarioIds.length);
    const run = runCompiledCli(process.execPath, cli, bundle, asOf);
    expect(problemsOf(run, patientIds)).toEqual([]);
    const fromSource: ResultLine[] = [];
    await assessEach(bundle, asOf, (result) => fromSource.push(result));
    expect(run.results).toEqual(JSON.parse(JSON.stringify(fromSource)));
  });

  it('exits 2 with one line on stderr for bad input', () => {
    const run = runCompiledCli(process.execPath, cli, join(dir, 'missing.json'), asOf);
    expect(run.status).toBe(2);
    expect(run.results).toEqual([]);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
