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
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseIssuerRegistry } from '../src/config/issuers';
import type { DataIssue } from '../src/domain/source';
import { evaluate } from '../src/engine/index';
import type { AssessmentResult } from '../src/engine/result';
import { loadPatient, type Accounting } from '../src/fhir/loader';
import type { LabCodes } from '../src/fhir/map/labs';
import { groupByPatient, type FlatEntry, type PatientResources } from '../src/fhir/patient-resources';
import { labCodesFor } from '../src/fhir/queries';

export class InputError extends Error {}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A UTF-8 byte-order mark is not JSON; exports written on Windows often start with one. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(stripBom(text));
  } catch {
    throw new InputError(`${where} is not valid JSON`);
  }
}

/** What reading an export found besides resources: run-level issues (bad lines, OperationOutcomes, bare entries). */
export interface ReadIssues {
  readonly issues: DataIssue[];
  /**
   * Set by readInput: true when no text it read can hold a `modifierExtension` key (see mayNameModifierExtension),
   * so the loader may skip its per-resource scan. Absent or false: scan.
   */
  modifiersAbsent?: boolean;
}

/**
 * False only when no JSON value parsed from `text` can have an object key "modifierExtension": such a key is a
 * string token that either spells the name literally or writes one of its letters as a `\u` escape (the only JSON
 * escape that yields a letter), so a text with neither substring has none. A `\\u` (escaped backslash, then u)
 * also counts as "may": the test errs only towards scanning.
 */
export function mayNameModifierExtension(text: string): boolean {
  // Every "modifierExtension" has its "E" 8 characters in; visiting each "E" (a one-character search, far faster
  // over a 75 MB export than a 17-character one) and testing there finds every occurrence.
  for (let i = text.indexOf('E', 8); i !== -1; i = text.indexOf('E', i + 1))
    if (text.startsWith('modifierExtension', i - 8)) return true;
  return text.includes('\\u');
}

const MAX_BUNDLE_DEPTH = 4;

/**
 * Entries of a resource or Bundle. Bare entries (a resource where `entry.resource` should be) are read as the
 * resource; a POST entry without an id takes the uuid of its `urn:uuid:` fullUrl; an OperationOutcome in a searchset
 * ("results incomplete") becomes a run-level issue; nested Bundles are flattened.
 */
export function entriesFromJson(
  json: unknown,
  where: string,
  into: FlatEntry[] = [],
  read: ReadIssues = { issues: [] },
  depth = 0,
): FlatEntry[] {
  const root = obj(json);
  if (!root || typeof root.resourceType !== 'string') throw new InputError(`${where} is not a FHIR resource`);
  if (root.resourceType === 'OperationOutcome') {
    read.issues.push(outcomeIssue(root, where));
    return into;
  }
  if (root.resourceType !== 'Bundle') {
    into.push({ resource: root });
    return into;
  }
  if (!Array.isArray(root.entry)) return into;
  root.entry.forEach((entry, i) => {
    const e = obj(entry);
    if (!e) return;
    const fullUrl = typeof e.fullUrl === 'string' ? e.fullUrl : undefined;
    let resource = obj(e.resource);
    if (!resource && typeof e.resourceType === 'string') {
      resource = e; // a bare entry: the resource without its wrapper
      read.issues.push({
        resourceType: String(e.resourceType),
        ...(typeof e.id === 'string' ? { id: e.id } : {}),
        reason: `${where} entry ${i + 1} has no "resource" wrapper: read as the resource itself`,
        kind: 'warning',
      });
    }
    if (!resource) {
      read.issues.push({
        resourceType: 'unknown',
        reason: `${where} entry ${i + 1} holds no resource`,
        kind: 'malformed',
      });
      return;
    }
    if (resource.resourceType === 'OperationOutcome') {
      read.issues.push(outcomeIssue(resource, where));
      return;
    }
    if (resource.resourceType === 'Bundle' && depth < MAX_BUNDLE_DEPTH) {
      entriesFromJson(resource, `${where} entry ${i + 1}`, into, read, depth + 1);
      return;
    }
    if (typeof resource.id !== 'string' && fullUrl?.startsWith('urn:uuid:'))
      resource = { ...resource, id: fullUrl.slice('urn:uuid:'.length) };
    into.push({ resource, ...(fullUrl ? { fullUrl } : {}) });
  });
  return into;
}

function outcomeIssue(outcome: Record<string, unknown>, where: string): DataIssue {
  const texts = (Array.isArray(outcome.issue) ? outcome.issue : [])
    .map((i) => {
      const o = obj(i);
      const details = obj(o?.details);
      return [o?.severity, typeof details?.text === 'string' ? details.text : o?.diagnostics]
        .filter((x) => typeof x === 'string' && x.length > 0)
        .join(': ');
    })
    .filter((t) => t.length > 0);
  return {
    resourceType: 'OperationOutcome',
    ...(typeof outcome.id === 'string' ? { id: outcome.id } : {}),
    reason: `${where}: the server reported ${texts.length > 0 ? texts.join('; ') : 'an OperationOutcome'} — results may be incomplete`,
    kind: 'warning',
  };
}

/** Appends into `into` (no spread: a Bulk Data file can hold more lines than a call may take arguments). */
export function entriesFromNdjson(
  text: string,
  where: string,
  into: FlatEntry[] = [],
  read: ReadIssues = { issues: [] },
): FlatEntry[] {
  let start = 0;
  let lineNumber = 0;
  const body = stripBom(text);
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    lineNumber += 1;
    const line = body.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // One bad line (a truncated export) is listed; the rest of the file is still read.
      read.issues.push({
        resourceType: 'unknown',
        reason: `${where} line ${lineNumber} is not valid JSON: skipped`,
        kind: 'malformed',
      });
      continue;
    }
    // The usual line, one resource that is neither a Bundle nor an OperationOutcome: entriesFromJson would push it
    // as it is. Done here so that the line's name (`${where} line N`, only for messages) is not built per line.
    const root = obj(json);
    if (
      root !== undefined &&
      typeof root.resourceType === 'string' &&
      root.resourceType !== 'OperationOutcome' &&
      root.resourceType !== 'Bundle'
    ) {
      into.push({ resource: root });
      continue;
    }
    try {
      entriesFromJson(json, `${where} line ${lineNumber}`, into, read);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      read.issues.push({ resourceType: 'unknown', reason: `${error.message}: skipped`, kind: 'malformed' });
    }
  }
  return into;
}

export async function readInput(path: string, read: ReadIssues = { issues: [] }): Promise<FlatEntry[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or folder`);
  }
  read.modifiersAbsent = false;
  if (info.isDirectory()) {
    const files = (await readdir(path)).filter((f) => f.endsWith('.ndjson')).sort();
    if (files.length === 0) throw new InputError(`${path}: the folder holds no .ndjson files`);
    const all: FlatEntry[] = [];
    let absent = true;
    for (const file of files) {
      const text = await readFile(join(path, file), 'utf8');
      absent &&= !mayNameModifierExtension(text);
      entriesFromNdjson(text, file, all, read);
    }
    read.modifiersAbsent = absent;
    return all;
  }
  if (!info.isFile()) throw new InputError(`${path}: not a regular file or folder`);
  const text = await readFile(path, 'utf8');
  read.modifiersAbsent = !mayNameModifierExtension(text);
  if (path.endsWith('.ndjson')) return entriesFromNdjson(text, path, [], read);
  return entriesFromJson(parseJson(text, path), path, [], read);
}

/** What one run read, for the summary on stderr: per resource type, summed over patients plus the unattributed. */
export interface RunSummary {
  patients: number;
  byType: Accounting;
  unattributed: number;
  runIssues: DataIssue[];
}

export interface AssessOptions {
  /** Per-issuer lab codes (`--config issuers.json --issuer id`): the same `extraLabCodes` the app applies. */
  readonly labCodes?: LabCodes;
  /**
   * When given, milliseconds spent in each stage are added to it (`npm run bench:engine` prints where a run's time
   * goes from the same code path the CLI runs, not from a copy of it).
   */
  readonly stageMs?: StageMs;
}

/** Time per stage of one run, in ms: reading and parsing, grouping by patient, validation and mapping, the engine. */
export interface StageMs {
  read: number;
  group: number;
  map: number;
  engine: number;
}

/** A result line: the engine's result plus the patient's accounting (what was read, used, listed, not read). */
export type ResultLine = AssessmentResult & { accounting: Accounting };

/**
 * Assesses every patient of the input, handing each result to `onResult` as soon as it is ready, so results are
 * written (and their resources freed) one patient at a time. Returns the run summary.
 */
export async function assessEach(
  path: string,
  asOf: string,
  onResult: (result: ResultLine, patientCount: number) => void,
  options: AssessOptions = {},
): Promise<RunSummary> {
  const read: ReadIssues = { issues: [] };
  const stageMs = options.stageMs;
  let clock = stageMs ? performance.now() : 0;
  const lap = (stage: keyof StageMs): void => {
    if (!stageMs) return;
    const now = performance.now();
    stageMs[stage] += now - clock;
    clock = now;
  };
  const entries = await readInput(path, read);
  lap('read');
  const grouped = groupByPatient(entries);
  lap('group');
  const patients: (PatientResources | undefined)[] = grouped.patients;
  if (patients.length === 0) throw new InputError(`${path}: no Patient resource found`);
  const summary: RunSummary = {
    patients: patients.length,
    byType: {},
    unattributed: grouped.issues.length,
    runIssues: [...read.issues, ...grouped.issues],
  };
  for (const [type, n] of Object.entries(grouped.notReadUnattributed))
    add(summary.byType, { [type]: { read: 0, used: 0, listed: 0, notRead: n } });
  for (let i = 0; i < patients.length; i += 1) {
    const group = patients[i];
    if (!group) continue;
    const { timeline, accounting } = loadPatient(group.patient, group.resources, {
      asOf,
      fullUrls: group.fullUrls,
      modifiersAbsent: read.modifiersAbsent === true,
      ...(options.labCodes ? { labCodes: options.labCodes } : {}),
    });
    add(summary.byType, accounting);
    lap('map');
    const result = evaluate(timeline, { asOf });
    lap('engine');
    onResult({ ...result, accounting }, patients.length);
    patients[i] = undefined; // this patient's resources are no longer needed
    if (stageMs) clock = performance.now(); // the caller's handling of the result is not a stage of the run
  }
  return summary;
}

function add(into: Accounting, more: Accounting): void {
  for (const [type, c] of Object.entries(more)) {
    const t = (into[type] ??= { read: 0, used: 0, listed: 0, notRead: 0 });
    t.read += c.read;
    t.used += c.used;
    t.listed += c.listed;
    t.notRead += c.notRead;
  }
}

/** The per-run summary printed on stderr: no PHI, only counts per resource type and run-level reasons. */
export function formatSummary(s: RunSummary): string {
  const lines = [`assess: ${s.patients} patient(s)`];
  const types = Object.entries(s.byType).sort(([a], [b]) => a.localeCompare(b));
  for (const [type, c] of types) {
    lines.push(
      c.read > 0
        ? `  ${type}: read ${c.read}, used ${c.used}, listed ${c.listed}${c.notRead ? `, not read ${c.notRead}` : ''}`
        : `  ${type}: not read ${c.notRead} (a type the assessment does not read)`,
    );
  }
  if (s.runIssues.length > 0) {
    const reasons = new Map<string, number>();
    for (const i of s.runIssues) {
      const key = `${i.resourceType}: ${i.reason.replace(/ line \d+/, ' line N').replace(/ entry \d+/, ' entry N')}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    lines.push(`  not attributed to a patient or not readable (listed once for the run):`);
    for (const [reason, n] of reasons) lines.push(`    ${n} × ${reason}`);
  }
  return lines.join('\n') + '\n';
}

/** The whole CLI as a function, collecting the results (tests call it). */
export async function assess(
  path: string,
  asOf: string,
  options: AssessOptions = {},
): Promise<{ results: ResultLine[]; patients: number; summary: RunSummary }> {
  const results: ResultLine[] = [];
  const summary = await assessEach(path, asOf, (r) => results.push(r), options);
  return { results, patients: summary.patients, summary };
}

/** `--config issuers.json --issuer <id>`: the lab code options of one configured EHR. */
export async function labCodesFromConfig(configPath: string, issuerId: string): Promise<LabCodes> {
  let json: unknown;
  try {
    json = parseJson(await readFile(configPath, 'utf8'), configPath);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${configPath}: cannot be read`);
  }
  const parsed = parseIssuerRegistry(json);
  if (!parsed.ok) throw new InputError(`${configPath}: ${parsed.reason}`);
  const issuer = parsed.registry.issuers.find((i) => i.id === issuerId);
  if (!issuer) throw new InputError(`${configPath}: no issuer "${issuerId}"`);
  return labCodesFor(issuer);
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
        config: { type: 'string' },
        issuer: { type: 'string' },
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
      'usage: assess <bundle.json | file.ndjson | ndjson-folder> [--as-of YYYY-MM-DD] [--config issuers.json --issuer id] [--pretty]\n',
    );
    return values.help ? 0 : 2;
  }
  const asOf = values['as-of'] ?? todayUtc();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    process.stderr.write(`assess: --as-of must be a date YYYY-MM-DD, got "${asOf}"\n`);
    return 2;
  }
  if ((values.config === undefined) !== (values.issuer === undefined)) {
    process.stderr.write('assess: --config and --issuer go together\n');
    return 2;
  }
  try {
    const labCodes =
      values.config !== undefined && values.issuer !== undefined
        ? await labCodesFromConfig(values.config, values.issuer)
        : undefined;
    // One JSON line per patient as soon as it is assessed (NDJSON when there are several); --pretty indents,
    // which only makes sense for a single patient.
    const summary = await assessEach(
      positionals[0] ?? '',
      asOf,
      (r, count) => {
        process.stdout.write(JSON.stringify(r, null, values.pretty && count === 1 ? 2 : undefined) + '\n');
      },
      labCodes ? { labCodes } : {},
    );
    process.stderr.write(formatSummary(summary));
    return 0;
  } catch (error) {
    const message = error instanceof InputError ? error.message : 'could not assess the input';
    process.stderr.write(`assess: ${message}\n`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /assess(\.[jt]s)?$/.test(process.argv[1]);
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
