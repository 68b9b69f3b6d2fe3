/**
 * `npm run bench:engine [-- --patients 1000 --synthea 1000 --rounds 3]` — prints engine time per patient (typical and
 * long-history scenarios) and CLI throughput over an NDJSON folder of generated patients, with the floor measured in
 * the same run: merely reading the same files and `JSON.parse`-ing every line, and where the CLI's time goes (its stages
 * timed on one more run). Prints figures; asserts nothing.
 * Targets: < 5 ms per typical patient; ≥ 500 patients/s through the CLI on one core (issue: criteria engine);
 * CLI ≤ 2.5× the read-and-parse floor (issue 13).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { assessEach, type StageMs } from '../cli/assess';
import { evaluate } from '../src/engine/index';
import { buildTimeline } from '../src/fhir/map/timeline';
import { groupByPatient } from '../src/fhir/patient-resources';
import { buildScenarios } from '../sandbox/scenarios/index';
import { loadPatient, routeResources } from '../src/fhir/loader';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '1000' },
    synthea: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
  },
});
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

/**
 * The floor: merely read every file of the folder and `JSON.parse` every line (no mapping, no engine, no output).
 * With `keep`, every parsed resource is also kept until the end, as any reader of a Bulk Data export must (its files
 * are per resource type, so a patient's record is complete only after the last file): printed beside the floor, to
 * show what holding the export in memory costs in garbage collection before any mapping.
 */
async function readAndParse(folder: string, keep = false): Promise<number> {
  let parsed = 0;
  const kept: unknown[] = [];
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()) {
    const text = await readFile(join(folder, file), 'utf8');
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      if (end > at) {
        const resource: unknown = JSON.parse(text.slice(at, end));
        if (keep) kept.push(resource);
        parsed += 1;
      }
      at = end + 1;
    }
  }
  return keep ? kept.length : parsed;
}

// As the CLI does: each result serialised to its output line as soon as it is ready (the bytes are counted, not
// written, so the figure is not the terminal's speed).
const runCli = async () => {
  let bytes = 0;
  const t0 = performance.now();
  const run = await assessEach(dir, AS_OF, (result) => {
    bytes += JSON.stringify(result).length + 1;
  });
  return { patients: run.patients, bytes, seconds: (performance.now() - t0) / 1000 };
};
const runFloor = async (keep = false) => {
  const t0 = performance.now();
  await readAndParse(dir, keep);
  return (performance.now() - t0) / 1000;
};
// Same run, interleaved (floor, CLI, floor, CLI, …), best of each: the machine may be shared.
const floors: number[] = [];
const keeps: number[] = [];
const clis: Awaited<ReturnType<typeof runCli>>[] = [];
for (let i = 0; i < Number(values.rounds); i += 1) {
  floors.push(await runFloor());
  keeps.push(await runFloor(true));
  clis.push(await runCli());
}
// Where the CLI's time goes: one more run of the same code path with its stages timed (`stageMs`), the results
// serialised as above, and the garbage collector's pauses over the run (they fall inside the stages).
const stageMs: StageMs = { read: 0, group: 0, map: 0, engine: 0 };
let serialiseMs = 0;
let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
gcObserver.observe({ entryTypes: ['gc'] });
const stagedStart = performance.now();
await assessEach(
  dir,
  AS_OF,
  (result) => {
    const t = performance.now();
    JSON.stringify(result);
    serialiseMs += performance.now() - t;
  },
  { stageMs },
);
const stagedMs = performance.now() - stagedStart;
await new Promise((resolve) => setTimeout(resolve, 0)); // the observer is called back after the run
gcObserver.disconnect();
rmSync(dir, { recursive: true, force: true });
const floor = Math.min(...floors);
const keep = Math.min(...keeps);
const cli = clis.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const patients = cli.patients;
const seconds = cli.seconds;
const outputBytes = cli.bytes;

console.log(
  '\nCLI throughput (one process, one core; reading NDJSON, mapping, engine, serialising results) against the floor',
);
console.log(
  '(floor: reading the same files and JSON.parse of every line, nothing else; best of each over the rounds)',
);
console.log(
  '| patients | resources | floor s | CLI s | CLI ÷ floor (target ≤ 2.5) | patients/s (target ≥ 500) | output kB per patient |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|');
console.log(
  `| ${patients} | ${resources} | ${floor.toFixed(2)} | ${seconds.toFixed(2)} | ${(seconds / floor).toFixed(2)} | ${(patients / seconds).toFixed(0)} | ${(outputBytes / patients / 1e3).toFixed(1)} |`,
);
console.log(
  `rounds: ${floors.length}; floor s ${floors.map((f) => f.toFixed(2)).join(', ')}; CLI s ${clis.map((c) => c.seconds.toFixed(2)).join(', ')}`,
);
const stageRows: [string, number][] = [
  ["reading and parsing the NDJSON (the CLI's own reader: line checks, modifier scan)", stageMs.read],
  ['grouping by patient', stageMs.group],
  ['validation and mapping (labs, report text, procedures, …) and accounting', stageMs.map],
  ['the engine (criteria, scores, trajectory, considerations)', stageMs.engine],
  ['serialising the results', serialiseMs],
];
console.log(
  `\nWhere the CLI's time goes (one more run, stages timed; whole run ${(stagedMs / 1000).toFixed(2)} s)`,
);
console.log('| stage | s | × floor | share of the run |');
console.log('|---|---:|---:|---:|');
for (const [label, ms] of stageRows)
  console.log(
    `| ${label} | ${(ms / 1000).toFixed(2)} | ${(ms / 1000 / floor).toFixed(2)} | ${((100 * ms) / stagedMs).toFixed(0)} % |`,
  );
console.log(
  `garbage collection pauses within those stages: ${(gcMs / 1000).toFixed(2)} s (${((100 * gcMs) / stagedMs).toFixed(0)} % of the run)`,
);
console.log(
  `read + parse keeping every resource (as grouping by patient must): ${keep.toFixed(2)} s = ${(keep / floor).toFixed(2)}× the floor (s ${keeps.map((k) => k.toFixed(2)).join(', ')})`,
);

// Synthea-like export: copies of a whole Synthea patient (tests/fixtures/real-world-fhir/synthea/, ~700 resources,
// most of types the assessment does not read — Claim, Encounter, ExplanationOfBenefit — with urn:uuid references),
// plus resources that belong to no patient of the export. Output per patient must not grow with the patient count.
const syntheaDir = 'tests/fixtures/real-world-fhir/synthea';
const syntheaFile = readdirSync(syntheaDir).find((f) => f.startsWith('Abdul_Koepp'));
if (syntheaFile && Number(values.synthea) > 0) {
  const bundle = JSON.parse(readFileSync(join(syntheaDir, syntheaFile), 'utf8')) as {
    entry: { resource: { resourceType: string; id?: string } }[];
  };
  const template = JSON.stringify(bundle.entry.map((e) => e.resource));
  const ids = [...new Set(bundle.entry.flatMap((e) => (e.resource.id ? [e.resource.id] : [])))];
  const runSynthea = async (count: number) => {
    const folder = mkdtempSync(join(tmpdir(), 'bench-synthea-'));
    const lines = new Map<string, string[]>();
    let total = 0;
    for (let copy = 0; copy < count; copy += 1) {
      let json = template;
      for (const id of ids) json = json.replaceAll(id, `${id.slice(0, 24)}${String(copy).padStart(12, '0')}`);
      for (const resource of JSON.parse(json) as { resourceType: string }[]) {
        const list = lines.get(resource.resourceType) ?? [];
        list.push(JSON.stringify(resource));
        lines.set(resource.resourceType, list);
        total += 1;
      }
    }
    const orphan = {
      resourceType: 'Observation',
      id: 'orphan',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: 'Patient/nobody' },
    };
    lines.get('Observation')?.push(JSON.stringify(orphan));
    let inputBytes = 0;
    for (const [type, list] of lines) {
      const text = list.join('\n') + '\n';
      inputBytes += text.length;
      writeFileSync(join(folder, `${type}.ndjson`), text);
    }
    let bytes = 0;
    const t0 = performance.now();
    const run = await assessEach(folder, AS_OF, (result) => {
      bytes += JSON.stringify(result).length + 1;
    });
    const secs = (performance.now() - t0) / 1000;
    rmSync(folder, { recursive: true, force: true });
    return {
      patients: run.patients,
      resources: total,
      inputMB: inputBytes / 1e6,
      outMB: bytes / 1e6,
      perPatientKB: bytes / run.patients / 1e3,
      secs,
    };
  };
  const n = Number(values.synthea);
  const small = await runSynthea(Math.max(1, Math.round(n / 10)));
  const large = await runSynthea(n);
  console.log(
    '\nSynthea-like export (NDJSON, urn:uuid references, mostly unread types, one unattributable resource)',
  );
  console.log(
    '| patients | resources | input MB | output MB | output kB per patient | seconds | patients/s |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of [small, large])
    console.log(
      `| ${r.patients} | ${r.resources} | ${r.inputMB.toFixed(1)} | ${r.outMB.toFixed(2)} | ${r.perPatientKB.toFixed(1)} | ${r.secs.toFixed(2)} | ${(r.patients / r.secs).toFixed(0)} |`,
    );
}
