import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { assess, InputError } from '../../cli/assess';
import { assessmentResultSchema, type AssessmentResult } from '../../src/engine/result';
import { buildScenarios, SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { expandResult } from '../../src/engine/result-view';

/**
 * The CLI over every sandbox scenario, exported the way an EHR exports data: each patient as a collection
 * Bundle with urn:uuid fullUrls, and all patients together as a Bulk Data NDJSON folder.
 */
const AS_OF = '2026-11-01'; // the scenarios' anchor date
let dir: string;
const results = new Map<string, AssessmentResult>();

function bundleOf(resources: Resource[]) {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assess-'));
  const scenarios = buildScenarios();
  for (const scenario of scenarios) {
    const file = join(dir, `${scenario.id}.json`);
    writeFileSync(file, JSON.stringify(bundleOf(scenario.resources)));
    const {
      results: [result],
    } = await assess(file, AS_OF);
    results.set(scenario.id, assessmentResultSchema.parse(result));
  }
}, 60_000);

function criterion(id: string, criterionId: string) {
  const result = results.get(id);
  const found = result && expandResult(result).criteria.find((c) => c.id === criterionId);
  if (!found) throw new Error(`${id}: no criterion ${criterionId}`);
  return found;
}

function sub(id: string, subId: string) {
  const found = criterion(id, 'jsh-lcsgj-2014').subcriteria.find((s) => s.id === subId);
  if (!found) throw new Error(`${id}: no sub-criterion ${subId}`);
  return found;
}

describe('assess CLI over the sandbox scenarios', () => {
  it('prints a schema-valid result for every scenario patient', () => {
    expect([...results.keys()].sort()).toEqual([...SCENARIO_IDS].sort());
    for (const [id, result] of results) {
      expect(result.patient.id).toBe(id);
      expect(result.asOf).toBe(AS_OF);
    }
  });

  it.each([
    ['refractory-insufficient-response', 'insufficient-response'],
    ['refractory-new-lesions', 'intrahepatic-progression'],
    ['refractory-marker-rise', 'tumor-marker-elevation'],
    ['vascular-invasion', 'vascular-invasion'],
    ['extrahepatic-spread', 'extrahepatic-spread'],
  ])('%s meets JSH-LCSGJ 2014 through %s, with evidence', (id, subId) => {
    expect(criterion(id, 'jsh-lcsgj-2014').status).toBe('met');
    const s = sub(id, subId);
    expect(s.status).toBe('met');
    expect(s.evidence.length).toBeGreaterThan(0);
  });

  it('many-prior-tace is refractory and flags more than four prior sessions', () => {
    expect(criterion('many-prior-tace', 'jsh-lcsgj-2014').status).toBe('met');
    const burden = results.get('many-prior-tace')?.priorTaceBurden;
    expect(burden?.count).toBeGreaterThan(4);
    expect(burden?.overFourSessions).toBe(true);
  });

  it('responder is not refractory under any definition and is a clinical CR candidate', () => {
    for (const id of ['jsh-lcsgj-2014', 'jsh-2010', 'european']) {
      expect(criterion('responder', id).status).toBe('not-met');
    }
    expect(criterion('responder', 'clinical-cr').status).toBe('met');
  });

  it('insufficient-data never yields not-met for the refractoriness definitions that need imaging', () => {
    for (const id of ['jsh-lcsgj-2014', 'jsh-2010', 'european']) {
      expect(criterion('insufficient-data', id).status).toBe('indeterminate');
      expect(criterion('insufficient-data', id).missing.length).toBeGreaterThan(0);
    }
  });

  it('liver-decline ends in ALBI grade 3 and Child-Pugh class B, worsening across sessions', () => {
    const result = results.get('liver-decline');
    expect(result?.scores.albi.grade).toBe(3);
    expect(result?.scores.childPugh.category).toMatch(/B/);
    const grades = result?.liverTrajectory.map((t) => t.before.albiGrade) ?? [];
    expect(grades[0]).toBe('1');
  });

  it('beyond-up-to-seven is TACE-naive and TACE-unsuitable because of tumour burden', () => {
    const result = results.get('beyond-up-to-seven');
    expect(result?.taceSessions).toEqual([]);
    expect(criterion('beyond-up-to-seven', 'tace-unsuitability').status).toBe('met');
    expect(result?.scores.upToSeven.value).toBeGreaterThan(7);
  });

  it('lists excluded entered-in-error and cancelled results as data issues', () => {
    const issues = results.get('refractory-insufficient-response')?.dataIssues ?? [];
    expect(issues.some((i) => /entered-in-error/.test(i.message))).toBe(true);
    expect(issues.some((i) => /cancelled/.test(i.message))).toBe(true);
  });
});

describe('assess CLI input handling', () => {
  it('reads a Bulk Data NDJSON folder with many patients, one result per patient', async () => {
    const ndjson = join(dir, 'bulk');
    mkdirSync(ndjson);
    const scenarios = buildScenarios().filter((s) => s.id !== 'long-history');
    const byType = new Map<string, string[]>();
    for (const resource of scenarios.flatMap((s) => s.resources)) {
      const lines = byType.get(resource.resourceType) ?? [];
      lines.push(JSON.stringify(resource));
      byType.set(resource.resourceType, lines);
    }
    for (const [type, lines] of byType)
      writeFileSync(join(ndjson, `${type}.ndjson`), lines.join('\n') + '\n');
    const { results: many } = await assess(ndjson, AS_OF);
    expect(many).toHaveLength(scenarios.length);
    for (const r of many) assessmentResultSchema.parse(r);
  });

  it('rejects input that is not JSON, not FHIR, or has no Patient, with an InputError', async () => {
    const cases: [string, string][] = [
      ['not-json.json', 'nope'],
      ['not-fhir.json', '{"hello": 1}'],
      ['no-patient.json', '{"resourceType":"Bundle","type":"collection","entry":[]}'],
    ];
    for (const [name, body] of cases) {
      const file = join(dir, name);
      writeFileSync(file, body);
      await expect(assess(file, AS_OF)).rejects.toBeInstanceOf(InputError);
    }
    await expect(assess(join(dir, 'missing.json'), AS_OF)).rejects.toBeInstanceOf(InputError);
  });
});
