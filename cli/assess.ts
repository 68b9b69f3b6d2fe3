#!/usr/bin/env -S npx tsx
/**
 * `npm run assess -- <file|folder> [--as-of YYYY-MM-DD] [--pretty]`
 *
 * Reads a FHIR R4 Bundle (collection, searchset, transaction or batch) or Bulk Data NDJSON (one .ndjson file or a
 * folder of them) with one or many patients, runs the app's own mappers (src/fhir/map) and engine, and writes one
 * JSON result per patient to stdout — NDJSON when there are several. Bad input exits with status 2 and one line on
 * stderr, never a stack trace.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from '../src/engine/index';
import type { AssessmentResult } from '../src/engine/result';
import { buildTimeline } from '../src/fhir/map/timeline';
import { groupByPatient, type FlatEntry, type PatientResources } from '../src/fhir/patient-resources';

export class InputError extends Error {}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${where} is not valid JSON`);
  }
}

export function entriesFromJson(json: unknown, where: string): FlatEntry[] {
  const root = obj(json);
  if (!root || typeof root.resourceType !== 'string') throw new InputError(`${where} is not a FHIR resource`);
  if (root.resourceType !== 'Bundle') return [{ resource: root }];
  if (!Array.isArray(root.entry)) return [];
  return root.entry.flatMap((entry): FlatEntry[] => {
    const e = obj(entry);
    if (!e || e.resource === undefined) return [];
    return [{ resource: e.resource, ...(typeof e.fullUrl === 'string' ? { fullUrl: e.fullUrl } : {}) }];
  });
}

/** Appends into `into` (no spread: a Bulk Data file can hold more lines than a call may take arguments). */
export function entriesFromNdjson(text: string, where: string, into: FlatEntry[] = []): FlatEntry[] {
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber += 1;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InputError(`${where} line ${lineNumber} is not valid JSON`);
    }
    for (const entry of entriesFromJson(json, `${where} line ${lineNumber}`)) into.push(entry);
  }
  return into;
}

export async function readInput(path: string): Promise<FlatEntry[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or folder`);
  }
  if (info.isDirectory()) {
    const files = (await readdir(path)).filter((f) => f.endsWith('.ndjson')).sort();
    if (files.length === 0) throw new InputError(`${path}: the folder holds no .ndjson files`);
    const all: FlatEntry[] = [];
    for (const file of files) entriesFromNdjson(await readFile(join(path, file), 'utf8'), file, all);
    return all;
  }
  const text = await readFile(path, 'utf8');
  if (path.endsWith('.ndjson')) return entriesFromNdjson(text, path);
  return entriesFromJson(parseJson(text, path), path);
}

/**
 * Assesses every patient of the input, handing each result to `onResult` as soon as it is ready, so results are
 * written (and their timelines freed) one patient at a time. Returns the number of patients.
 */
export async function assessEach(
  path: string,
  asOf: string,
  onResult: (result: AssessmentResult, patientCount: number) => void,
): Promise<number> {
  const grouped = groupByPatient(await readInput(path));
  const issues = grouped.issues;
  const patients: (PatientResources | undefined)[] = grouped.patients;
  if (patients.length === 0) throw new InputError(`${path}: no Patient resource found`);
  for (let i = 0; i < patients.length; i += 1) {
    const group = patients[i];
    if (!group) continue;
    const timeline = buildTimeline(group.input, { asOf });
    // Resources that could not be attributed to a patient are listed on every patient's result.
    const withIssues =
      issues.length > 0 ? { ...timeline, dataIssues: [...timeline.dataIssues, ...issues] } : timeline;
    onResult(evaluate(withIssues, { asOf }), patients.length);
    patients[i] = undefined; // this patient's resources are no longer needed
  }
  return patients.length;
}

/** The whole CLI as a function, collecting the results (tests call it). */
export async function assess(path: string, asOf: string): Promise<{ results: unknown[]; patients: number }> {
  const results: AssessmentResult[] = [];
  const patients = await assessEach(path, asOf, (r) => results.push(r));
  return { results, patients };
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

async function main(argv: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'as-of': { type: 'string' },
        pretty: { type: 'boolean', default: false },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`assess: ${error instanceof Error ? error.message : 'bad arguments'}\n`);
    return 2;
  }
  if (values.help || positionals.length !== 1) {
    process.stderr.write(
      'usage: assess <bundle.json | file.ndjson | ndjson-folder> [--as-of YYYY-MM-DD] [--pretty]\n',
    );
    return values.help ? 0 : 2;
  }
  const asOf = values['as-of'] ?? todayUtc();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    process.stderr.write(`assess: --as-of must be a date YYYY-MM-DD, got "${asOf}"\n`);
    return 2;
  }
  try {
    // One JSON line per patient as soon as it is assessed (NDJSON when there are several); --pretty indents,
    // which only makes sense for a single patient.
    await assessEach(positionals[0] ?? '', asOf, (r, count) => {
      process.stdout.write(JSON.stringify(r, null, values.pretty && count === 1 ? 2 : undefined) + '\n');
    });
    return 0;
  } catch (error) {
    const message = error instanceof InputError ? error.message : 'could not assess the input';
    process.stderr.write(`assess: ${message}\n`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /assess(\.ts)?$/.test(process.argv[1]);
if (invokedDirectly) {
  // A closed pipe (`assess … | head`) ends the run quietly, not with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    process.exit(error.code === 'EPIPE' ? 0 : 2);
  });
  // exitCode, not exit(): exit() would cut off a large result still being flushed to a pipe.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('assess: unexpected failure\n');
      process.exitCode = 2;
    },
  );
}
