/**
 * `npm run bench:engine` — prints engine time per patient (typical and long-history scenarios) and CLI
 * throughput over an NDJSON folder of generated patients. Prints figures; asserts nothing.
 * Targets (issue: criteria engine): < 5 ms per typical patient; ≥ 500 patients/s through the CLI on one core.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { assessEach } from '../cli/assess';
import { evaluate } from '../src/engine/index';
import { buildTimeline } from '../src/fhir/map/timeline';
import { groupByPatient } from '../src/fhir/patient-resources';
import { buildScenarios } from '../sandbox/scenarios/index';
import { loadPatient, routeResources } from '../src/fhir/loader';

const { values } = parseArgs({ options: { patients: { type: 'string', default: '1000' } } });
const AS_OF = '2026-11-01';
const scenarios = buildScenarios();

function timelineOf(id: string) {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  const [group] = groupByPatient(scenario.resources.map((resource) => ({ resource }))).patients;
  if (!group) throw new Error(`no patient in ${id}`);
  return {
    input: routeResources(group.patient, group.resources, group.fullUrls).input,
    timeline: loadPatient(group.patient, group.resources, { asOf: AS_OF }).timeline,
  };
}

function timeEach(
  label: string,
  run: () => void,
  minMs = 1000,
): { label: string; perCallMs: number; calls: number } {
  for (let i = 0; i < 5; i += 1) run(); // warm-up (JIT)
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    run();
    calls += 1;
  }
  return { label, perCallMs: (performance.now() - start) / calls, calls };
}

const rows: { label: string; perCallMs: number; calls: number }[] = [];
for (const id of ['refractory-insufficient-response', 'long-history']) {
  const { input, timeline } = timelineOf(id);
  rows.push(timeEach(`engine only: ${id}`, () => evaluate(timeline, { asOf: AS_OF })));
  rows.push(
    timeEach(`map + engine: ${id}`, () => evaluate(buildTimeline(input, { asOf: AS_OF }), { asOf: AS_OF })),
  );
}

console.log('\nEngine time per patient (target < 5 ms for a typical patient)');
console.log('| run | ms per patient | runs |');
console.log('|---|---:|---:|');
for (const row of rows) console.log(`| ${row.label} | ${row.perCallMs.toFixed(3)} | ${row.calls} |`);

// CLI throughput: copies of the ten interactive scenarios with new ids, as a Bulk Data NDJSON folder.
const wanted = Number(values.patients);
const templates = scenarios.filter((s) => s.id !== 'long-history');
const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
const byType = new Map<string, string[]>();
let generated = 0;
for (let copy = 0; generated < wanted; copy += 1) {
  for (const template of templates) {
    if (generated >= wanted) break;
    const json = JSON.stringify(template.resources).replaceAll(template.id, `${template.id}-c${copy}`);
    for (const resource of JSON.parse(json) as { resourceType: string; id?: string }[]) {
      if (resource.resourceType === 'Practitioner' && copy > 0) continue;
      const lines = byType.get(resource.resourceType) ?? [];
      lines.push(JSON.stringify(resource));
      byType.set(resource.resourceType, lines);
    }
    generated += 1;
  }
}
let resources = 0;
for (const [type, lines] of byType) {
  writeFileSync(join(dir, `${type}.ndjson`), lines.join('\n') + '\n');
  resources += lines.length;
}

// As the CLI does: each result serialised to its output line as soon as it is ready (the bytes are counted, not
// written, so the figure is not the terminal's speed).
let outputBytes = 0;
const start = performance.now();
const { patients } = await assessEach(dir, AS_OF, (result) => {
  outputBytes += JSON.stringify(result).length + 1;
});
const seconds = (performance.now() - start) / 1000;
rmSync(dir, { recursive: true, force: true });

console.log('\nCLI throughput (one process, one core; reading NDJSON, mapping, engine, serialising results)');
console.log('| patients | resources | output MB | seconds | patients/s (target ≥ 500) |');
console.log('|---:|---:|---:|---:|---:|');
console.log(
  `| ${patients} | ${resources} | ${(outputBytes / 1e6).toFixed(1)} | ${seconds.toFixed(2)} | ${(patients / seconds).toFixed(0)} |`,
);
