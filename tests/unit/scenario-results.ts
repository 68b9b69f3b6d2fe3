import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assess } from '../../cli/assess';
import { assessmentResultSchema, type AssessmentResult } from '../../src/engine/result';
import { buildScenarios } from '../../sandbox/scenarios/index';

/**
 * Every sandbox scenario read as an EHR export would be (a collection Bundle with urn:uuid fullUrls) through the
 * CLI — the same mappers and engine as the app — and evaluated on `asOf`; results parsed by the published schema.
 */
export async function assessScenarios(asOf: string): Promise<Map<string, AssessmentResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
  const results = new Map<string, AssessmentResult>();
  for (const scenario of buildScenarios()) {
    const file = join(dir, `${scenario.id}.json`);
    const entry = scenario.resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource }));
    writeFileSync(file, JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry }));
    const {
      results: [result],
    } = await assess(file, asOf);
    results.set(scenario.id, assessmentResultSchema.parse(result));
  }
  return results;
}
