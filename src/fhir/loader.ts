/**
 * The one loader both the app and the CLI run after they have collected a patient's resources (ARCHITECTURE.md,
 * "One loader pipeline"): route every resource to the mapper that reads it (with the request plan's own filters, so
 * the CLI reads an export exactly as the app reads search results), resolve Binary narratives by every name a
 * report may use for them, map (buildTimeline), then account: every resource of a type the assessment reads ends
 * up either used in the timeline or listed in the data issues with its id and the reason; other types are only
 * counted. The app and the CLI differ only in how they collect.
 */
import { READ_ONLY_RESOURCE_TYPES, READ_RESOURCE_TYPES } from '../config/issuers';
import type { DataIssue } from '../domain/source';
import type { Timeline } from '../domain/timeline';
import { IMAGING, SYSTEMS } from './codes';
import type { FetchedBinary } from './map/imaging';
import { buildTimeline, type BuildTimelineOptions, type TimelineInput } from './map/timeline';
import { modifierExtensionIssue } from './map/common';
import { decodeBase64Utf8 } from './map/text-normalize';

/** Resource types the assessment reads: the ones it has read scopes for, plus the Binaries its reports point at. */
export const READ_TYPES: ReadonlySet<string> = new Set<string>([
  ...READ_RESOURCE_TYPES,
  ...READ_ONLY_RESOURCE_TYPES,
]);

export interface TypeCounts {
  /** Resources of this type received. */
  read: number;
  /** Used in the timeline (as a value, a session, evidence or context). */
  used: number;
  /** Listed in the data issues with a reason. */
  listed: number;
  /** Of a type the assessment does not read (Claim, Immunization, …): counted only. */
  notRead: number;
}

export type Accounting = Record<string, TypeCounts>;

export interface LoadedPatient {
  readonly timeline: Timeline;
  readonly accounting: Accounting;
  /** `Type/id` of every resource used in the timeline (directly or as what a used resource depends on). */
  readonly used: ReadonlySet<string>;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function keyOf(r: Json): string | undefined {
  const type = str(r.resourceType);
  const id = str(r.id);
  return type && id ? `${type}/${id}` : undefined;
}

const DISEASE_STATUS = IMAGING.diseaseStatus.code.code;
const REPORT_CATEGORIES = IMAGING.reportCategories;

function codings(concept: unknown): Json[] {
  return arr(obj(concept)?.coding)
    .map(obj)
    .filter((c): c is Json => c !== undefined);
}

/** A plain loop over the codings (no filtered copy): this is asked of every Observation. */
function isDiseaseStatus(r: Json): boolean {
  for (const x of arr(obj(r.code)?.coding)) {
    const c = obj(x);
    if (c && c.system === SYSTEMS.loinc && c.code === DISEASE_STATUS) return true;
  }
  return false;
}

/** The request plan searches DiagnosticReport by the radiology categories (queries.ts); the CLI applies the same. */
function isImagingReport(r: Json): boolean {
  return arr(r.category).some((cat) =>
    codings(cat).some((c) => REPORT_CATEGORIES.some((rc) => rc.system === c.system && rc.code === c.code)),
  );
}

function conceptText(concept: unknown): string {
  const c = obj(concept);
  return str(c?.text) ?? str(codings(concept)[0]?.display) ?? str(codings(concept)[0]?.code) ?? 'no code';
}

/** `Type/id` at the end of a relative reference or an absolute `…/Type/id[/_history/v]` URL. */
export function tailKey(reference: string): string | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m?.[1];
}

export interface RoutedResources {
  readonly input: TimelineInput;
  readonly binaries: Map<string, FetchedBinary>;
  readonly issues: DataIssue[];
}

/**
 * One patient's resources of any type → the mappers' input. `fullUrls` maps a resource key (`Type/id`) to the
 * fullUrl it had in its Bundle, so narratives referenced by `urn:uuid:` are found.
 */
export function routeResources(
  patient: unknown,
  resources: readonly unknown[],
  fullUrls: ReadonlyMap<string, string> = new Map(),
  modifiersAbsent = false,
): RoutedResources {
  const issues: DataIssue[] = [];
  const observations: unknown[] = [];
  const diseaseStatus: unknown[] = [];
  const reportResults: unknown[] = [];
  const reports: unknown[] = [];
  const imagingStudies: unknown[] = [];
  const procedures: unknown[] = [];
  const conditions: unknown[] = [];
  const medicationRequests: unknown[] = [];
  const documentReferences: unknown[] = [];
  const binaries = new Map<string, FetchedBinary>();

  // Observations a report points at in `result` are read with the report when they carry text. The references
  // are gathered in the routing pass itself (from every DiagnosticReport, before its modifier check, as the former
  // pass of their own did); the Observations are told apart after it, in their order (none of them adds an issue,
  // so the issues keep their order too).
  const resultRefs = new Set<string>();
  const pendingObservations: Json[] = [];

  for (const raw of resources) {
    const r = obj(raw);
    const type = str(r?.resourceType);
    if (!r || !type) continue;
    if (type === 'DiagnosticReport' && Array.isArray(r.result))
      for (const x of r.result) {
        const ref = str(obj(x)?.reference);
        if (ref === undefined) continue;
        resultRefs.add(ref);
        const tail = tailKey(ref);
        if (tail) resultRefs.add(tail);
      }
    // A modifier extension changes the meaning of the resource: one the app does not understand means not used.
    if (!modifiersAbsent && READ_TYPES.has(type)) {
      const modifier = modifierExtensionIssue(raw, type);
      if (modifier) {
        issues.push(modifier);
        continue;
      }
    }
    switch (type) {
      case 'Observation':
        pendingObservations.push(r);
        break;
      case 'DiagnosticReport':
        if (isImagingReport(r)) reports.push(raw);
        else
          issues.push({
            resourceType: type,
            ...(str(r.id) ? { id: str(r.id) as string } : {}),
            reason: `not relevant: ${conceptText(r.code)} is not an imaging report (category is not radiology)`,
            kind: 'excluded',
          });
        break;
      case 'ImagingStudy':
        imagingStudies.push(raw);
        break;
      case 'Procedure':
        procedures.push(raw);
        break;
      case 'Condition':
        conditions.push(raw);
        break;
      case 'MedicationRequest':
      case 'Medication': // read with the requests that name it (medicationReference)
        medicationRequests.push(raw);
        break;
      case 'DocumentReference':
        documentReferences.push(raw);
        break;
      case 'Binary': {
        const key = keyOf(r);
        const body = typeof r.data === 'string' ? decodeBase64Utf8(r.data) : undefined;
        if (!key || body === undefined) {
          issues.push({
            resourceType: 'Binary',
            ...(str(r.id) ? { id: str(r.id) as string } : {}),
            reason: 'Binary without readable base64 data: not read',
            kind: 'malformed',
          });
          break;
        }
        const fetched: FetchedBinary = {
          text: body,
          ...(str(r.contentType) ? { contentType: str(r.contentType) as string } : {}),
        };
        binaries.set(key, fetched);
        const full = fullUrls.get(key);
        if (full) binaries.set(full, fetched);
        break;
      }
      default:
        break; // counted as not read by the accounting
    }
  }

  for (const r of pendingObservations) {
    // Only a report's result can be a narrative result: without any, no key to build or look up.
    const key = resultRefs.size > 0 ? keyOf(r) : undefined;
    const full = key && fullUrls.size > 0 ? fullUrls.get(key) : undefined;
    const isResult = (key && resultRefs.has(key)) || (full && resultRefs.has(full));
    if (isDiseaseStatus(r)) diseaseStatus.push(r);
    else if (isResult && typeof r.valueString === 'string') reportResults.push(r);
    else observations.push(r);
  }

  // Other spellings of a Binary's name (absolute URL, urn:uuid) are resolved by the imaging mapper's BinaryLookup.

  return {
    input: {
      patient,
      observations,
      reports,
      imagingStudies,
      procedures,
      conditions,
      medicationRequests,
      diseaseStatus,
      documentReferences,
      reportResults,
    },
    binaries,
    issues,
  };
}

/**
 * A set of `Type/id` keys kept as ids per type, so that adding and looking up a resource builds no key string
 * (the accounting asks it of every resource, and almost every resource is used).
 *
 * Exactly the set of the strings `${type}/${id}`: for a type without "/", the first "/" of its key ends the type,
 * so two such keys are equal only for the same type and id, and a per-type set of ids holds the same keys. A type
 * that holds a "/" (no real resource type does, but a record may carry anything) is kept as its whole key in
 * `whole`, and every look-up consults it as well (for any key the first "/" is at the end of some slash-free
 * type, or the key is one of `whole`'s).
 */
export class ResourceKeys {
  private readonly byType = new Map<string, Set<string>>();
  private whole: Set<string> | undefined;

  add(type: string, id: string): void {
    if (type.includes('/')) {
      (this.whole ??= new Set<string>()).add(`${type}/${id}`);
      return;
    }
    let ids = this.byType.get(type);
    if (ids === undefined) {
      ids = new Set<string>();
      this.byType.set(type, ids);
    }
    ids.add(id);
  }

  /** Adds the key `Type/id` given as one string (a reference's tail). */
  addKey(key: string): void {
    const slash = key.indexOf('/');
    if (slash === -1) (this.whole ??= new Set<string>()).add(key);
    else this.add(key.slice(0, slash), key.slice(slash + 1));
  }

  /** Whether `${type}/${id}` is in the set. */
  has(type: string, id: string): boolean {
    if (this.whole !== undefined && this.whole.has(`${type}/${id}`)) return true;
    if (!type.includes('/')) return this.byType.get(type)?.has(id) === true;
    // The key's first "/" is inside `type`: only a slash-free prefix of it can be a stored type.
    const key = `${type}/${id}`;
    const slash = key.indexOf('/');
    return this.byType.get(key.slice(0, slash))?.has(key.slice(slash + 1)) === true;
  }

  /** The keys as strings (for LoadedPatient.used). */
  toSet(): Set<string> {
    const out = new Set<string>();
    for (const [type, ids] of this.byType) for (const id of ids) out.add(`${type}/${id}`);
    if (this.whole !== undefined) for (const key of this.whole) out.add(key);
    return out;
  }
}

/** Adds `ref` when it is a SourceRef (both `resourceType` and `id` strings), as the former generic walk did. */
function addRef(used: ResourceKeys, ref: unknown): void {
  const s = obj(ref);
  if (s && typeof s.resourceType === 'string' && typeof s.id === 'string') used.add(s.resourceType, s.id);
}

/** The records of a timeline list: every element that is an object (the former walk skipped the rest). */
function eachRecord(list: unknown, visit: (record: Json) => void): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i += 1) {
    const v: unknown = list[i];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) visit(v as Json);
  }
}

const addRecordSource =
  (used: ResourceKeys) =>
  (record: Json): void =>
    addRef(used, record.source);

/**
 * Every resource the timeline names, by the fields of the domain types that hold a SourceRef: Measurement.source,
 * TreatmentSession.source and .mergedSources, ImagingAssessment.source and each finding's evidence.source,
 * SystemicTherapy.source, ConditionSummary.source (src/domain/*: no other record holds a SourceRef, the patient
 * summary and the data issues hold none, and no record but a SourceRef has a `resourceType`). The former generic
 * walk over every object of the timeline found exactly these (tests/unit/load-speed-keys.test.ts compares the two
 * over every fixture's timeline) and visited every other value only to find nothing there.
 */
export function sourceKeys(timeline: Timeline): ResourceKeys {
  const used = new ResourceKeys();
  const addSource = addRecordSource(used);
  const labs = obj(timeline.labs);
  if (labs) for (const analyte in labs) eachRecord(labs[analyte], addSource);
  eachRecord(timeline.treatments, (session) => {
    addRef(used, session.source);
    // A bare SourceRef: the other records merged into one session.
    eachRecord(session.mergedSources, (ref) => {
      addRef(used, ref.source);
      if (!('source' in ref)) addRef(used, ref);
    });
  });
  eachRecord(timeline.imaging, (assessment) => {
    addRef(used, assessment.source);
    eachRecord(assessment.findings, (finding) => addRef(used, obj(finding.evidence)?.source));
  });
  eachRecord(timeline.therapies, addSource);
  eachRecord(timeline.conditions, addSource);
  if (timeline.patient?.id) used.add('Patient', timeline.patient.id);
  return used;
}

/** Adds the `Type/id` tail of `reference` (a string, non-empty) to `used`; nothing when it has none. */
function addDependency(used: ResourceKeys, reference: unknown): void {
  if (typeof reference !== 'string' || reference.length === 0) return;
  const tail = tailKey(reference);
  if (tail) used.addKey(tail);
}

/**
 * The same as `for (const x of arr(list)) addDependency(used, pick(x))`, without the empty array `arr` makes
 * for an absent field (most resources have none of the fields asked).
 */
function addDependencies(used: ResourceKeys, list: unknown, pick: (item: Json | undefined) => unknown): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i += 1) addDependency(used, pick(obj(list[i])));
}

const urlOf = (x: Json | undefined): unknown => x?.url;
const attachmentUrlOf = (x: Json | undefined): unknown => obj(x?.attachment)?.url;
const referenceOf = (x: Json | undefined): unknown => x?.reference;

/** The `Type/id` parts of a resource (both non-empty strings), else undefined: what keyOf joins. */
function typeAndId(raw: unknown): Json | undefined {
  const r = obj(raw);
  return r && str(r.resourceType) && str(r.id) ? r : undefined;
}

/**
 * Used or listed, for every resource of a read type; the rest counted per type. A resource that was read but
 * neither used nor listed (a glucose result, a Binary no report points at) gets a data issue here, so nothing
 * disappears silently. Resources a used one depends on (its Binary narrative, its Medication, its result
 * Observations) count as used with it.
 */
export function account(
  resources: readonly unknown[],
  timeline: Timeline,
  extraIssues: readonly DataIssue[] = [],
): { accounting: Accounting; issues: DataIssue[]; used: ResourceKeys } {
  const used = sourceKeys(timeline);
  // Which resources were found used here: `used` only grows, so they are still used when counted below, and the
  // counting asks the set again only for the others (which a dependency may have added since).
  const usedFirst: boolean[] = new Array<boolean>(resources.length).fill(false);
  // Dependencies of used resources. All of them are added before the counting below, as before: a dependency may
  // come before the resource that needs it.
  for (let i = 0; i < resources.length; i += 1) {
    const r = typeAndId(resources[i]);
    if (!r || !used.has(r.resourceType as string, r.id as string)) continue;
    usedFirst[i] = true;
    addDependencies(used, r.presentedForm, urlOf);
    addDependencies(used, r.content, attachmentUrlOf);
    addDependencies(used, r.result, referenceOf);
    addDependency(used, obj(r.medicationReference)?.reference);
    // The ImagingStudy a used report refers to gave it its modality.
    addDependencies(used, r.imagingStudy, referenceOf);
  }
  // Listed resources, gathered only when a read resource turns out not to be used (most patients: never).
  let listed: ResourceKeys | undefined;
  const listedKeys = (): ResourceKeys => {
    if (listed === undefined) {
      listed = new ResourceKeys();
      for (const i of timeline.dataIssues) if (i.id) listed.add(i.resourceType, i.id);
      for (const i of extraIssues) if (i.id) listed.add(i.resourceType, i.id);
    }
    return listed;
  };

  const accounting: Accounting = {};
  const issues: DataIssue[] = [];
  for (let i = 0; i < resources.length; i += 1) {
    const raw = resources[i];
    const r = obj(raw);
    const type = str(r?.resourceType) ?? 'unknown';
    const c = (accounting[type] ??= { read: 0, used: 0, listed: 0, notRead: 0 });
    if (!READ_TYPES.has(type)) {
      c.notRead += 1;
      continue;
    }
    c.read += 1;
    // Found used above: typeAndId(raw) holds (so `type` is its resourceType) and used.has(type, id) still does.
    if (usedFirst[i] === true) {
      c.used += 1;
      continue;
    }
    const keyed = typeAndId(raw);
    if (keyed && used.has(type, keyed.id as string)) c.used += 1;
    else if (keyed && listedKeys().has(type, keyed.id as string)) c.listed += 1;
    else {
      c.listed += 1;
      issues.push({
        resourceType: type,
        ...(r && str(r.id) ? { id: str(r.id) as string } : {}),
        reason: notUsedReason(type, r),
        kind: 'excluded',
      });
    }
  }
  return { accounting, issues, used };
}

function notUsedReason(type: string, r: Json | undefined): string {
  const what = r ? conceptText(r.code ?? r.type ?? r.medicationCodeableConcept) : 'resource';
  switch (type) {
    case 'Observation':
      return `not relevant: ${what} is not a value the assessment reads`;
    case 'Binary':
      return 'not relevant: no imaging report or note refers to this Binary';
    case 'Medication':
      return 'not relevant: no systemic-therapy order refers to this Medication';
    case 'Patient':
      return 'not used: another Patient resource is the patient assessed';
    case 'ImagingStudy':
      return 'not used: no imaging report used here refers to this ImagingStudy (it only gives a modality)';
    case 'DocumentReference':
      return `not relevant: ${what} is not an imaging report`;
    default:
      return `read, not used: ${what} gave nothing the assessment needs`;
  }
}

export interface LoadOptions extends BuildTimelineOptions {
  /** Bundle fullUrls by `Type/id` (exports), so `urn:uuid:` references resolve. */
  readonly fullUrls?: ReadonlyMap<string, string>;
  /** Issues found while collecting (query failures, bad export lines) that belong to this patient. */
  readonly collectIssues?: readonly DataIssue[];
  /**
   * The collector has proved that no resource holds a `modifierExtension` key at any depth (the CLI: the export's
   * text contains neither that name nor a `\u` escape that could spell it), so the per-resource scan would find
   * nothing and is skipped. Only for such a proof, never as a guess.
   */
  readonly modifiersAbsent?: boolean;
}

/** The whole pipeline for one patient after collection: route → map → account. */
export function loadPatient(
  patient: unknown,
  resources: readonly unknown[],
  options: LoadOptions = {},
): LoadedPatient {
  const { fullUrls, collectIssues = [], modifiersAbsent = false, ...build } = options;
  const routed = routeResources(patient, resources, fullUrls, modifiersAbsent);
  const binaries = build.binaries
    ? new Map<string, FetchedBinary>([...build.binaries, ...routed.binaries])
    : routed.binaries;
  // routeResources checked every resource of a read type for modifier extensions and routed none that has one.
  const built = buildTimeline(routed.input, { ...build, binaries, modifiersChecked: true });
  const pre = [...collectIssues, ...routed.issues];
  const withPatient = patient === undefined ? resources : [patient, ...resources];
  const { accounting, issues, used } = account(withPatient, built, pre);
  let usedSet: Set<string> | undefined;
  return {
    timeline: { ...built, dataIssues: [...pre, ...built.dataIssues, ...issues] },
    accounting,
    // The key strings are built only when asked for (the CLI and the app never ask; the tests do).
    get used(): ReadonlySet<string> {
      return (usedSet ??= used.toSet());
    },
  };
}
