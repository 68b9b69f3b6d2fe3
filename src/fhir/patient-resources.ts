import type { DataIssue } from '../domain/source';
import { READ_TYPES, tailKey } from './loader';

/**
 * Sorts a flat list of exported resources (a Bundle's entries or Bulk Data NDJSON lines, one or many patients)
 * into one collection per patient, so the CLI hands the loader (src/fhir/loader.ts) exactly what the app's searches
 * would have returned. Only references and resource types are read here; validation stays with the mappers.
 * Binary and Medication carry no patient reference: they go to every patient whose resources refer to them. What
 * cannot be attributed to any patient is reported once for the run, never copied into every patient's result.
 */
export interface PatientResources {
  readonly patientId: string;
  readonly patient: unknown;
  /** Every other resource attributed to this patient, of any type. */
  readonly resources: readonly unknown[];
  /** Bundle fullUrls by `Type/id`, so narratives referenced by `urn:uuid:` are found. */
  readonly fullUrls: ReadonlyMap<string, string>;
}

export interface FlatEntry {
  readonly resource: unknown;
  /** Bundle.entry.fullUrl, used to resolve `urn:uuid:` references inside transaction bundles. */
  readonly fullUrl?: string;
}

export interface GroupedExport {
  readonly patients: PatientResources[];
  /** Run-level: resources attributable to no patient of the input (each listed once). */
  readonly issues: DataIssue[];
  /** Run-level counts of unattributed resources of types the assessment does not read. */
  readonly notReadUnattributed: Record<string, number>;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function referenceOf(resource: Json): string | undefined {
  return str(obj(resource.subject)?.reference) ?? str(obj(resource.patient)?.reference);
}

/** Whether `s` from `start` to its end is 1–64 characters of [A-Za-z0-9\-.] (a Patient id the regex reads). */
function isIdTail(s: string, start: number): boolean {
  const n = s.length - start;
  if (n < 1 || n > 64) return false;
  for (let i = start; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46; // A-Z a-z 0-9 - .
    if (!ok) return false;
  }
  return true;
}

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** The Patient id a relative or absolute reference names (`…Patient/<id>[/_history/<v>]`), else undefined. */
export function patientIdInReference(reference: string): string | undefined {
  // The usual relative reference "Patient/<id>" (no further "/"): the regex can match it only from its start (any
  // other match needs a "/Patient/" later on), so its group is the whole id when the id is 1–64 of its characters,
  // and there is no match otherwise. Tested here without the regex's match array.
  if (reference.startsWith('Patient/') && reference.indexOf('/', 8) === -1)
    return isIdTail(reference, 8) ? reference.slice(8) : undefined;
  return PATIENT_REFERENCE.exec(reference)?.[1];
}

/**
 * Calls `visit` with each reference a resource makes to a Binary or a Medication (narratives, attachments,
 * medicationReference), in that order; no list is built, as most resources make none.
 */
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

export function groupByPatient(entries: readonly FlatEntry[]): GroupedExport {
  const issues: DataIssue[] = [];
  const notReadUnattributed: Record<string, number> = {};
  const byPatient = new Map<string, Group>();
  const aliases = new Map<string, string>(); // fullUrl or absolute URL → patient id
  const fullUrlOf = new Map<string, string>(); // Type/id → fullUrl
  const byAlias = new Map<string, Json>(); // fullUrl / Type/id → Binary or Medication
  // "Patient/<id>" → its group, for the ids the reference regex can read (1–64 of [A-Za-z0-9\-.]): the usual
  // reference finds its patient with one look-up of the reference itself, no id sliced out of it (see groupFor).
  const byPlainReference = new Map<string, Group>();
  // Whether every alias is a `urn:uuid:` one (always, without Bundle fullUrls): then no other reference is one.
  let aliasesAllUrn = true;

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
    const group: Group = { patient: resource, resources: [], deps: new Set(), fullUrls: new Map() };
    byPatient.set(id, group);
    if (isIdTail(id, 0)) byPlainReference.set(`Patient/${id}`, group);
    if (fullUrl) {
      aliases.set(fullUrl, id);
      if (!fullUrl.startsWith('urn:uuid:')) aliasesAllUrn = false;
    }
    // Synthea-style exports keep `urn:uuid:<id>` references after the Bundle wrapper is gone (Bulk NDJSON).
    aliases.set(`urn:uuid:${id}`, id);
  }

  /**
   * The group of `byPatient.get(aliases.get(reference) || patientIdInReference(reference))`, found with fewer
   * look-ups: the alias map is asked only when it can hold the reference; a plain "Patient/<id>" (no further "/")
   * is looked up whole in byPlainReference, which holds exactly "Patient/" + each id that patientIdInReference can
   * return (so it finds a group exactly when the id read from the reference is a patient's); any other reference
   * takes the general path.
   */
  const groupFor = (reference: string): Group | undefined => {
    const aliased = aliasesAllUrn && !reference.startsWith('urn:uuid:') ? undefined : aliases.get(reference);
    if (aliased) return byPatient.get(aliased);
    if (reference.startsWith('Patient/') && reference.indexOf('/', 8) === -1)
      return byPlainReference.get(reference);
    const id = patientIdInReference(reference);
    return id ? byPatient.get(id) : undefined;
  };

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
    const group = reference ? groupFor(reference) : undefined;
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
