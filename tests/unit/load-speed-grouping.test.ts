import { describe, expect, it } from 'vitest';
import { entriesFromJson, entriesFromNdjson, InputError, type ReadIssues } from '../../cli/assess';
import { buildScenarios } from '../../sandbox/scenarios/index';
import type { DataIssue } from '../../src/domain/source';
import { READ_TYPES, tailKey } from '../../src/fhir/loader';
import {
  groupByPatient,
  patientIdInReference,
  type FlatEntry,
  type GroupedExport,
} from '../../src/fhir/patient-resources';
import { pick, seededRandom } from './seeded-random';
import { type Json, obj, str } from './json-readers';

/**
 * Reading and grouping skip work for the usual case: a Patient reference "Patient/<id>" is read without the
 * regex, and an NDJSON line holding one plain resource is taken without building its name for messages. These
 * tests pin both against the general code over generated inputs.
 */
const REGEX = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

describe('patientIdInReference', () => {
  const PARTS = [
    'Patient/',
    'patient/',
    'Patient',
    '/',
    'a',
    'Z',
    '0',
    '9',
    '-',
    '.',
    '_',
    ' ',
    'é',
    '_history/',
    'x',
  ];

  it('reads the id exactly as the regex does (generated references)', () => {
    const rnd = seededRandom(5);
    let ids = 0;
    for (let n = 0; n < 20000; n += 1) {
      const count = Math.floor(rnd() * 8);
      let ref = rnd() < 0.7 ? 'Patient/' : '';
      for (let i = 0; i < count; i += 1) ref += pick(rnd, PARTS);
      const expected = REGEX.exec(ref)?.[1];
      if (expected !== undefined) ids += 1;
      expect(patientIdInReference(ref), ref).toBe(expected);
    }
    expect(ids).toBeGreaterThan(2000);
  });

  it('bounds the id at 64 characters as the regex does', () => {
    for (const n of [0, 1, 63, 64, 65, 100]) {
      const ref = `Patient/${'a'.repeat(n)}`;
      expect(patientIdInReference(ref), String(n)).toBe(REGEX.exec(ref)?.[1]);
      const abs = `https://x.org/fhir/Patient/${'b'.repeat(n)}/_history/2`;
      expect(patientIdInReference(abs), `abs ${n}`).toBe(REGEX.exec(abs)?.[1]);
    }
  });
});

describe('entriesFromNdjson', () => {
  /** The general path: every line through entriesFromJson with its name. */
  function reference(text: string, where: string): { entries: FlatEntry[]; read: ReadIssues } {
    const read: ReadIssues = { issues: [] };
    const entries: FlatEntry[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        read.issues.push({
          resourceType: 'unknown',
          reason: `${where} line ${i + 1} is not valid JSON: skipped`,
          kind: 'malformed',
        });
        return;
      }
      try {
        entriesFromJson(json, `${where} line ${i + 1}`, entries, read);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        read.issues.push({ resourceType: 'unknown', reason: `${error.message}: skipped`, kind: 'malformed' });
      }
    });
    return { entries, read };
  }

  const resources = buildScenarios().flatMap((s) => s.resources);
  const ODD: readonly string[] = [
    '{"resourceType":"OperationOutcome","issue":[{"severity":"error","diagnostics":"x"}]}',
    '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"b1"}},{"resourceType":"Binary","id":"bare"},{}]}',
    '{"resourceType":"Bundle"}',
    '{"resourceType":5,"id":"n"}',
    '{"id":"no-type"}',
    '[{"resourceType":"Patient","id":"in-array"}]',
    '"text"',
    '42',
    'null',
    '{not json',
    '',
    '   ',
  ];

  it('gives the entries and issues of the general path, line for line (generated)', () => {
    const rnd = seededRandom(17);
    let odd = 0;
    for (let n = 0; n < 150; n += 1) {
      const lines: string[] = [];
      const count = 1 + Math.floor(rnd() * 12);
      for (let i = 0; i < count; i += 1) {
        if (rnd() < 0.3) {
          lines.push(pick(rnd, ODD));
          odd += 1;
        } else lines.push(JSON.stringify(pick(rnd, resources)));
      }
      const text = lines.join('\n');
      const read: ReadIssues = { issues: [] };
      const entries = entriesFromNdjson(text, 'f.ndjson', [], read);
      const expected = reference(text, 'f.ndjson');
      expect(entries).toEqual(expected.entries);
      expect(read.issues).toEqual(expected.read.issues);
    }
    expect(odd).toBeGreaterThan(200);
  });
});

// Reference copy of the former groupByPatient (patient found by alias, else by the id read from the reference).

function referenceOf(resource: Json): string | undefined {
  return str(obj(resource.subject)?.reference) ?? str(obj(resource.patient)?.reference);
}
function eachDependencyRef(r: Json, visit: (reference: string) => void): void {
  if (Array.isArray(r.presentedForm))
    for (const f of r.presentedForm) {
      const url = str(obj(f)?.url);
      if (url) visit(url);
    }
  if (Array.isArray(r.content))
    for (const c of r.content) {
      const url = str(obj(obj(c)?.attachment)?.url);
      if (url) visit(url);
    }
  const med = str(obj(r.medicationReference)?.reference);
  if (med) visit(med);
}
interface Group {
  patient: unknown;
  resources: unknown[];
  deps: Set<Json>;
  fullUrls: Map<string, string>;
}
function referenceGroupByPatient(entries: readonly FlatEntry[]): GroupedExport {
  const issues: DataIssue[] = [];
  const notReadUnattributed: Record<string, number> = {};
  const byPatient = new Map<string, Group>();
  const aliases = new Map<string, string>(); // fullUrl or absolute URL → patient id
  const fullUrlOf = new Map<string, string>(); // Type/id → fullUrl
  const byAlias = new Map<string, Json>(); // fullUrl / Type/id → Binary or Medication

  for (const { resource, fullUrl } of entries) {
    const r = obj(resource);
    const isDependency = r !== undefined && (r.resourceType === 'Binary' || r.resourceType === 'Medication');
    // Type/id only where it is kept (a fullUrl to remember, a dependency to find): most NDJSON lines need neither.
    const key =
      (fullUrl || isDependency) && r && str(r.resourceType) && str(r.id)
        ? `${String(r.resourceType)}/${String(r.id)}`
        : undefined;
    if (key && fullUrl) fullUrlOf.set(key, fullUrl);
    if (r && isDependency) {
      if (key) byAlias.set(key, r);
      if (fullUrl) byAlias.set(fullUrl, r);
      if (str(r.id)) byAlias.set(`urn:uuid:${String(r.id)}`, r);
    }
    if (r?.resourceType !== 'Patient') continue;
    const id = str(r.id);
    if (!id) {
      issues.push({ resourceType: 'Patient', reason: 'Patient without an id', kind: 'malformed' });
      continue;
    }
    if (byPatient.has(id)) {
      issues.push({
        resourceType: 'Patient',
        id,
        reason: 'duplicate Patient id: the first one is used',
        kind: 'warning',
      });
      continue;
    }
    byPatient.set(id, { patient: resource, resources: [], deps: new Set(), fullUrls: new Map() });
    if (fullUrl) aliases.set(fullUrl, id);
    // Synthea-style exports keep `urn:uuid:<id>` references after the Bundle wrapper is gone (Bulk NDJSON).
    aliases.set(`urn:uuid:${id}`, id);
  }

  const patientIdFor = (reference: string): string | undefined =>
    aliases.get(reference) || patientIdInReference(reference);

  const attached = new Set<Json>(); // Binary / Medication given to at least one patient
  // The group whose resource's references `attach` follows (one function for the run, not one per resource).
  let current: Group | undefined;
  const attach = (ref: string): void => {
    const group = current as Group;
    const dep = byAlias.get(ref) ?? byAlias.get(tailKey(ref) ?? '');
    if (!dep || group.deps.has(dep)) return;
    group.deps.add(dep);
    group.resources.push(dep);
    attached.add(dep);
    const depKey = `${String(dep.resourceType)}/${String(dep.id)}`;
    const depFull = fullUrlOf.get(depKey);
    if (depFull) group.fullUrls.set(depKey, depFull);
  };
  for (const { resource } of entries) {
    const r = obj(resource);
    const type = str(r?.resourceType);
    if (!r || !type) {
      issues.push({
        resourceType: 'unknown',
        reason: 'an entry without a resourceType was skipped',
        kind: 'malformed',
      });
      continue;
    }
    if (type === 'Patient' || type === 'Binary' || type === 'Medication') continue;
    const reference = referenceOf(r);
    const patientId = reference ? patientIdFor(reference) : undefined;
    const group = patientId ? byPatient.get(patientId) : undefined;
    if (!group) {
      if (!READ_TYPES.has(type)) {
        notReadUnattributed[type] = (notReadUnattributed[type] ?? 0) + 1;
        continue;
      }
      const id = str(r.id);
      issues.push({
        resourceType: type,
        ...(id ? { id } : {}),
        reason: reference ? 'refers to a patient that is not in the input' : 'has no patient reference',
        kind: 'excluded',
      });
      continue;
    }
    group.resources.push(resource);
    // Bulk NDJSON has no fullUrls: no key to build then.
    const key = fullUrlOf.size > 0 && str(r.id) ? `${type}/${String(r.id)}` : undefined;
    const full = key ? fullUrlOf.get(key) : undefined;
    if (key && full) group.fullUrls.set(key, full);
    if (byAlias.size > 0) {
      current = group;
      eachDependencyRef(r, attach);
    }
  }

  const seenDeps = new Set<Json>();
  for (const dep of byAlias.values()) {
    if (attached.has(dep) || seenDeps.has(dep)) continue;
    seenDeps.add(dep);
    const type = String(dep.resourceType);
    issues.push({
      resourceType: type,
      ...(str(dep.id) ? { id: String(dep.id) } : {}),
      reason:
        type === 'Binary'
          ? 'no report or note of any patient in the input refers to this Binary'
          : 'no medication order of any patient in the input refers to this Medication',
      kind: 'excluded',
    });
  }

  return {
    patients: [...byPatient.entries()].map(([patientId, g]) => ({
      patientId,
      patient: g.patient,
      resources: g.resources,
      fullUrls: g.fullUrls,
    })),
    issues,
    notReadUnattributed,
  };
}

describe('groupByPatient', () => {
  const scenarios = buildScenarios().flatMap((s) => s.resources);
  const IDS = ['p1', 'p-2.x', 'p 3', 'é', 'a'.repeat(64), 'b'.repeat(65), 'p1/x', 'urn:uuid:p1'];
  const REFS = (id: string): string[] => [
    `Patient/${id}`,
    `https://ehr.example/fhir/Patient/${id}`,
    `https://ehr.example/fhir/Patient/${id}/_history/3`,
    `urn:uuid:${id}`,
    `Patient/${id}/`,
    `patient/${id}`,
    id,
    '',
  ];

  it('attributes every resource as the former code did (scenarios and generated references, fullUrls)', () => {
    const rnd = seededRandom(23);
    let attributed = 0;
    for (let n = 0; n < 600; n += 1) {
      const entries: FlatEntry[] = [];
      const count = 1 + Math.floor(rnd() * 25);
      for (let i = 0; i < count; i += 1) {
        const roll = rnd();
        const id = pick(rnd, IDS);
        const fullUrl =
          rnd() < 0.3
            ? pick(rnd, [`urn:uuid:${id}`, `Patient/${id}`, `https://ehr.example/fhir/Patient/${id}`, 'x'])
            : undefined;
        let resource: unknown;
        if (roll < 0.2) resource = { resourceType: 'Patient', id };
        else if (roll < 0.5) {
          const base = pick(rnd, scenarios) as unknown as Json;
          const ref = pick(rnd, REFS(pick(rnd, IDS)));
          resource =
            rnd() < 0.5
              ? { ...base, subject: { reference: ref } }
              : { ...base, subject: undefined, patient: { reference: ref } };
        } else if (roll < 0.9) resource = pick(rnd, scenarios);
        else
          resource = pick(rnd, [
            null,
            5,
            { resourceType: 'Claim', subject: { reference: 'Patient/p1' } },
            { id: 'x' },
          ]);
        entries.push(fullUrl ? { resource, fullUrl } : { resource });
      }
      const got: GroupedExport = groupByPatient(entries);
      const want = referenceGroupByPatient(entries);
      expect(got).toEqual(want);
      got.patients.forEach((p, i) =>
        p.resources.forEach((r, j) => expect(r).toBe(want.patients[i]?.resources[j])),
      );
      attributed += got.patients.reduce((k, p) => k + p.resources.length, 0);
    }
    expect(attributed).toBeGreaterThan(300);
  });
});
