/**
 * DiagnosticReports (radiology), imaging DocumentReferences and mCODE disease-status Observations →
 * ImagingAssessments. Report text, in order: conclusion, conclusionCode (text/display), presentedForm (inline
 * base64 data, a contained Binary `#id`, or a Binary the query layer fetched, passed in `binaries` by URL), and the
 * narrative Observations the report points at in `result` (impression, findings as valueString; contained `#id` or
 * received in `reportResults`). The narrative `text.div` is the server's rendering of the resource, not report
 * text: it is never read. The same narrative (one Binary, whichever spelling names it: `Binary/id`, an absolute URL,
 * `urn:uuid:`) referenced by several reports or documents is read once (shared/ehr-integration.md: "de-duplicate by
 * URL"). Imaging DocumentReferences (LOINC 18748-4 and the radiology codes in codes.ts) are read like reports; other
 * documents are listed as not relevant. Every resource received is used or listed with its id and a reason.
 */
import { z } from 'zod';
import type { ImagingAssessment, ImagingFinding, McodeStatusCategory, Modality } from '../../domain/imaging';
import type { DataIssue } from '../../domain/source';
import { sortByDate } from '../../domain/timeline';
import { IMAGING, IMAGING_DOCUMENT_TYPES, SYSTEMS } from '../codes';
import { diagnosticReportSchema } from '../schemas/diagnostic-report';
import type { DiagnosticReport } from '../schemas/diagnostic-report';
import { documentReferenceSchema } from '../schemas/document-reference';
import type { DocumentReference } from '../schemas/document-reference';
import type { Attachment, CodeableConcept, Identifier } from '../schemas/common';
import { imagingStudySchema } from '../schemas/imaging-study';
import { observationSchema } from '../schemas/observation';
import type { Observation } from '../schemas/observation';
import { SeenIds, conceptLabel, isAfterDay, isFhirDate, parseResource, sourceRef } from './common';
import { extractReportFindings, sentenceMemo } from './report-text';
import { decodeBase64Utf8, readNarrative, unescapeLineBreaks } from './text-normalize';
import type { NarrativeRead } from './text-normalize';

export interface FetchedBinary {
  readonly contentType?: string;
  /** Decoded text body. */
  readonly text: string;
}

export interface MapImagingOptions {
  readonly asOf?: string;
  /** Narratives fetched from presentedForm.url by the query layer, keyed by that URL. */
  readonly binaries?: ReadonlyMap<string, FetchedBinary>;
}

const DICOM_MODALITY: Readonly<Record<string, Modality>> = {
  CT: 'CT',
  MR: 'MR',
  US: 'US',
  PT: 'PET',
  XA: 'XA',
};

function modalityFromText(text: string | undefined): Modality | undefined {
  if (!text) return undefined;
  if (/\bCT\b|computed tomography/i.test(text)) return 'CT';
  if (/\bMRI?\b|magnetic resonance/i.test(text)) return 'MR';
  if (/\bUS\b|ultrasound|sonograph/i.test(text)) return 'US';
  if (/\bPET\b/i.test(text)) return 'PET';
  if (/angiogra/i.test(text)) return 'XA';
  return undefined;
}

function reportDate(r: DiagnosticReport): string | undefined {
  return r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued;
}

const MCODE: Readonly<Record<string, McodeStatusCategory>> = {
  [IMAGING.diseaseStatus.values.improved.code]: 'improved',
  [IMAGING.diseaseStatus.values.stable.code]: 'stable',
  [IMAGING.diseaseStatus.values.worsened.code]: 'worsened',
  [IMAGING.diseaseStatus.values.undetermined.code]: 'undetermined',
};

/**
 * Version rank of a report (FHIR R4 DiagnosticReportStatus, hl7.org/fhir/R4/valueset-diagnostic-report-status.html):
 * 1 = `partial` / `preliminary` ("verified early results … not all results are final"); 2 = `final`;
 * 3 = `amended` / `corrected` / `appended` ("subsequent to being final, the report has been modified").
 * `unknown` has no rank: it neither supersedes nor is superseded.
 */
const VERSION_RANK: Partial<Record<DiagnosticReport['status'], 1 | 2 | 3>> = {
  partial: 1,
  preliminary: 1,
  final: 2,
  amended: 3,
  corrected: 3,
  appended: 3,
};

function versionRank(r: DiagnosticReport): 1 | 2 | 3 | undefined {
  return VERSION_RANK[r.status];
}

/** One received report, before versions are resolved. */
interface ReportVersion {
  readonly r: DiagnosticReport;
  readonly title: string;
  /** The report date when it is usable (a FHIR date, not after asOf); undefined = listed already, not mapped. */
  readonly date: string | undefined;
  /** Calendar day (YYYY-MM-DD) of the report date, when it has day precision. */
  readonly day: string | undefined;
  readonly modality: Modality | undefined;
  /** Identity keys of the study, by kind: versions of one study share at least one. */
  readonly keys: ReadonlyMap<StudyKeyKind, ReadonlySet<string>>;
  /** Narrative begins "ADDENDUM" (an addendum to an earlier report of the same study). */
  readonly addendum: boolean;
  /** Its contained Binaries and Observations (`#id`). */
  readonly contained: Contained;
  /** Its presentedForm reads done for the ADDENDUM test, reused when its text is read. */
  readonly formReads: FormReads;
}

type StudyKeyKind = 'identifier' | 'order' | 'study';

const KEY_BASIS: Readonly<Record<StudyKeyKind, string>> = {
  identifier: 'same identifier or accession number',
  order: 'same order (basedOn)',
  study: 'same ImagingStudy',
};

const isString = (v: string | undefined): v is string => v !== undefined;

/** `ImagingStudy/1`, `https://x/fhir/ImagingStudy/1/_history/2` → `ImagingStudy/1`; other forms as given. */
function normalizeRef(ref: string | undefined): string | undefined {
  if (ref === undefined || ref.trim() === '') return undefined;
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref.trim());
  return m ? `${m[1]}/${m[2]}` : ref.trim();
}

/**
 * A Binary's names: `Binary/<id>`, `https://…/Binary/<id>` (with an optional `/_history/n`) and `urn:uuid:<id>`
 * (a transaction Bundle's fullUrl; the Binary's id is that uuid) → `Binary/<id>` and the base it was written with
 * (undefined when relative or a urn). Other URLs (a PDF download link, `Binary/$autogen-ccd-if?patient=…`) have none.
 */
function binaryName(url: string): { readonly base: string | undefined; readonly tail: string } | undefined {
  const u = url.trim();
  const urn = /^urn:uuid:([0-9A-Fa-f-]{36})$/.exec(u);
  if (urn) return { base: undefined, tail: `Binary/${urn[1] ?? ''}` };
  const m = /^(.*?)(?:^|\/)Binary\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/?#]+)?\/?$/.exec(u);
  if (!m) return undefined;
  const base = (m[1] ?? '').replace(/\/+$/, '').toLowerCase();
  return { base: base === '' ? undefined : base, tail: `Binary/${m[2] ?? ''}` };
}

/** One key per narrative whichever spelling names it (`Binary/<id>` for a Binary), for "read once". */
function narrativeKey(url: string): string {
  return binaryName(url)?.tail ?? url.trim();
}

/**
 * The fetched narratives, found by any spelling of their URL: exact first; then a Binary named relatively, by an
 * absolute URL or by `urn:uuid:` matches a key naming the same Binary id, unless both are absolute URLs on
 * different bases. Two different bodies for one name → not found (the report says "not fetched"; nothing guessed).
 */
export class BinaryLookup {
  private readonly exact = new Map<string, FetchedBinary>();
  private readonly named = new Map<string, { base: string | undefined; value: FetchedBinary }[]>();

  constructor(binaries: ReadonlyMap<string, FetchedBinary> | undefined) {
    for (const [key, value] of binaries ?? []) {
      this.exact.set(key.trim(), value);
      const name = binaryName(key);
      if (!name) continue;
      const list = this.named.get(name.tail) ?? [];
      list.push({ base: name.base, value });
      this.named.set(name.tail, list);
    }
  }

  get(url: string): FetchedBinary | undefined {
    const hit = this.exact.get(url.trim());
    if (hit) return hit;
    const name = binaryName(url);
    if (!name) return undefined;
    const candidates = (this.named.get(name.tail) ?? []).filter(
      (c) => c.base === undefined || name.base === undefined || c.base === name.base,
    );
    const first = candidates[0];
    if (first === undefined) return undefined;
    return candidates.every((c) => c.value.text === first.value.text) ? first.value : undefined;
  }
}

const containedBinarySchema = z.looseObject({
  resourceType: z.literal('Binary'),
  id: z.string().min(1),
  contentType: z.string().optional(),
  data: z.string().optional(),
});
type ContainedBinary = z.infer<typeof containedBinarySchema>;

/** A resource's contained Binaries and Observations by id (referenced `#id`). */
interface Contained {
  readonly binaries: ReadonlyMap<string, ContainedBinary>;
  readonly observations: ReadonlyMap<string, Observation>;
}

const NO_CONTAINED: Contained = { binaries: new Map(), observations: new Map() };

/** Contained Binaries and Observations, each parsed on its own: a bad one is listed under its container. */
function containedOf(
  list: readonly unknown[] | undefined,
  owner: { readonly resourceType: string; readonly id: string },
  issues: DataIssue[],
): Contained {
  if (!list || list.length === 0) return NO_CONTAINED;
  const binaries = new Map<string, ContainedBinary>();
  const observations = new Map<string, Observation>();
  for (const raw of list) {
    const type =
      typeof raw === 'object' && raw !== null ? (raw as { resourceType?: unknown }).resourceType : '';
    if (type !== 'Binary' && type !== 'Observation') continue; // other contained resources carry no report text
    const parsed =
      type === 'Binary'
        ? parseResource(containedBinarySchema, raw, 'Binary')
        : parseResource(observationSchema, raw, 'Observation');
    if (!parsed.ok) {
      issues.push({
        resourceType: owner.resourceType,
        id: owner.id,
        reason: `contained ${String(type)} ${parsed.issue.reason}`,
        kind: 'malformed',
      });
      continue;
    }
    if (parsed.value.resourceType === 'Binary') binaries.set(parsed.value.id, parsed.value);
    else observations.set(parsed.value.id, parsed.value);
  }
  return { binaries, observations };
}

type Body =
  | { readonly ok: true; readonly body: string; readonly contentType: string | undefined }
  | { readonly ok: false; readonly reason: string; readonly kind: DataIssue['kind'] };

/** The body of one attachment: inline data, a contained Binary (`#id`) or a fetched Binary (by URL). */
function attachmentBody(form: Attachment, field: string, contained: Contained, lookup: BinaryLookup): Body {
  if (form.data !== undefined) {
    const body = decodeBase64Utf8(form.data);
    return body === undefined
      ? { ok: false, reason: `${field} data is not valid base64`, kind: 'malformed' }
      : { ok: true, body, contentType: form.contentType };
  }
  const url = form.url?.trim();
  if (url === undefined || url === '')
    return { ok: false, reason: `${field} has neither data nor url: nothing to read`, kind: 'malformed' };
  if (url.startsWith('#')) {
    const binary = contained.binaries.get(url.slice(1));
    if (binary === undefined)
      return { ok: false, reason: `${field} ${url}: no contained Binary has that id`, kind: 'malformed' };
    const body = binary.data === undefined ? undefined : decodeBase64Utf8(binary.data);
    if (body === undefined)
      return {
        ok: false,
        reason: `${field} ${url}: the contained Binary has no valid base64 data`,
        kind: 'malformed',
      };
    return { ok: true, body, contentType: binary.contentType ?? form.contentType };
  }
  const fetched = lookup.get(url);
  if (!fetched) return { ok: false, reason: `narrative at ${url} was not fetched`, kind: 'warning' };
  return { ok: true, body: fetched.text, contentType: fetched.contentType ?? form.contentType };
}

/** One attachment read: its body (or why there is none) and, when there is one, the narrative read from it. */
interface FormRead {
  readonly got: Body;
  readonly read: NarrativeRead | undefined;
}

/**
 * The attachment reads of one resource, by attachment. A report's presentedForm is read for the ADDENDUM test
 * (beginsWithAddendum) and again for its text (readAttachments): the same pure functions of the same form, the
 * same contained resources and the same fetched binaries, so the second read reuses the first. Kept per report
 * (never shared between resources, whose contained Binaries differ).
 */
type FormReads = Map<Attachment, FormRead>;

function readForm(
  form: Attachment,
  field: string,
  contained: Contained,
  lookup: BinaryLookup,
  reads: FormReads | undefined,
): FormRead {
  const known = reads?.get(form);
  if (known !== undefined) return known;
  const got = attachmentBody(form, field, contained, lookup);
  const read: FormRead = { got, read: got.ok ? readNarrative(got.contentType, got.body) : undefined };
  reads?.set(form, read);
  return read;
}

/** Who already read (or tried to read) a narrative, by narrativeKey. */
interface ReadBy {
  readonly by: string;
  readonly read: boolean;
}

/**
 * The texts of a resource's attachments (presentedForm, or DocumentReference.content — alternative formats of one
 * document). Each one read is recorded in `seen`; one already seen is not read twice. Unreadable forms are listed;
 * when another form of the same resource was read, the issue says so.
 */
function readAttachments(
  forms: readonly Attachment[],
  field: string,
  owner: string,
  contained: Contained,
  lookup: BinaryLookup,
  seen: Map<string, ReadBy>,
  issue: (reason: string, kind: DataIssue['kind']) => void,
  reads?: FormReads,
): string[] {
  const texts: string[] = [];
  const unreadable: string[] = [];
  for (const form of forms) {
    const url = form.url?.trim();
    const key = url && !url.startsWith('#') ? narrativeKey(url) : undefined;
    if (key !== undefined) {
      const prior = seen.get(key);
      if (prior !== undefined) {
        issue(
          prior.read
            ? `narrative ${url ?? ''} already read from ${prior.by}: not read twice`
            : `narrative ${url ?? ''} already listed with ${prior.by}: not read twice`,
          'warning',
        );
        continue;
      }
    }
    const { got, read } = readForm(form, field, contained, lookup, reads);
    if (!got.ok || read === undefined) {
      // `read` is undefined exactly when there is no body (see readForm)
      if (key !== undefined) seen.set(key, { by: owner, read: false });
      if (!got.ok) issue(got.reason, got.kind);
      continue;
    }
    if (key !== undefined) seen.set(key, { by: owner, read: read.ok });
    if (read.ok) texts.push(read.text);
    else unreadable.push(`${field}${url ? ` ${url}` : ''}: ${read.reason}`);
  }
  for (const u of unreadable)
    issue(texts.length > 0 ? `${u} (its text was read from another form)` : u, 'unsupported');
  return texts;
}

function identifierKeys(ids: readonly Identifier[] | undefined): string[] {
  return (ids ?? [])
    .filter((i) => i.value !== undefined && i.value.trim() !== '')
    .map((i) => `${i.system ?? ''}|${(i.value ?? '').trim()}`);
}

function studyKeys(
  r: DiagnosticReport,
  studyRefs: readonly string[],
  studyIdentifiers: ReadonlyMap<string, readonly Identifier[]>,
): Map<StudyKeyKind, Set<string>> {
  const keys = new Map<StudyKeyKind, Set<string>>();
  const add = (kind: StudyKeyKind, values: readonly string[]): void => {
    if (values.length === 0) return;
    const set = keys.get(kind) ?? new Set<string>();
    for (const v of values) set.add(v);
    keys.set(kind, set);
  };
  // DiagnosticReport.identifier and the referenced ImagingStudy's identifiers (Study UID, accession number) share
  // one namespace: an accession number may be carried by either.
  add('identifier', identifierKeys(r.identifier));
  for (const ref of studyRefs) add('identifier', identifierKeys(studyIdentifiers.get(ref)));
  add('order', (r.basedOn ?? []).map((b) => normalizeRef(b.reference)).filter(isString));
  add('study', studyRefs);
  return keys;
}

/** "ADDENDUM", "Addendum:", "** ADDENDUM **" at the start of the conclusion or of a narrative. */
const ADDENDUM_START = /^[\s*#\-_=]*addend(?:um|a)\b/i;

function beginsWithAddendum(
  r: DiagnosticReport,
  contained: Contained,
  lookup: BinaryLookup,
  reads: FormReads,
): boolean {
  if (r.conclusion !== undefined && ADDENDUM_START.test(r.conclusion)) return true;
  for (const form of r.presentedForm ?? []) {
    const { read } = readForm(form, 'presentedForm', contained, lookup, reads);
    if (read?.ok === true && ADDENDUM_START.test(read.text)) return true;
  }
  return false;
}

/** The link between two reports of one study, with the basis named for the data issue; null = not linked. */
function studyLink(a: ReportVersion, b: ReportVersion): { strong: boolean; basis: string } | null {
  let contradicted = false;
  for (const kind of ['identifier', 'order', 'study'] as const) {
    const ka = a.keys.get(kind);
    const kb = b.keys.get(kind);
    if (!ka || !kb) continue;
    for (const k of ka) if (kb.has(k)) return { strong: true, basis: KEY_BASIS[kind] };
    contradicted = true; // both carry this kind of identity and it differs: different studies
  }
  if (contradicted) return null;
  // Last resort: same modality on the same calendar day, when one of the two is preliminary/partial, or the later
  // one is an amendment/addendum whose text begins ADDENDUM.
  if (a.day === undefined || a.day !== b.day || a.modality === undefined || a.modality !== b.modality)
    return null;
  const ra = versionRank(a.r);
  const rb = versionRank(b.r);
  if (ra === 1 || rb === 1 || (ra === 3 && a.addendum) || (rb === 3 && b.addendum))
    return { strong: false, basis: `same modality (${a.modality}) on the same day ${a.day}` };
  return null;
}

function issuedAt(r: DiagnosticReport): number | undefined {
  const t = r.issued === undefined ? NaN : Date.parse(r.issued);
  return Number.isFinite(t) ? t : undefined;
}

/** Whether `b` supersedes `a` (a later, more final version of the same study). */
function supersedes(b: ReportVersion, a: ReportVersion, strong: boolean): boolean {
  const ra = versionRank(a.r);
  const rb = versionRank(b.r);
  if (ra === undefined || rb === undefined || rb < ra) return false;
  if (rb > ra) return true;
  // Same rank: an addendum replaces the report it adds to; otherwise, for reports linked by identity (not only by
  // modality and day), the later issued version, when both say when they were issued.
  if (b.addendum !== a.addendum) return b.addendum;
  if (!strong) return false;
  const ia = issuedAt(a.r);
  const ib = issuedAt(b.r);
  return ia !== undefined && ib !== undefined && ib > ia;
}

interface Successor {
  readonly v: ReportVersion;
  readonly basis: string;
}

/**
 * Report id → the reports that supersede it (the latest versions of its study, i.e. successors not themselves
 * superseded). Versions of one study that cannot be ordered are both kept: the engine then sees two reports and
 * treats any disagreement between them as a conflict.
 */
function supersession(versions: readonly ReportVersion[]): Map<string, Successor[]> {
  const direct = new Map<string, Successor[]>();
  for (const a of versions) {
    for (const b of versions) {
      if (a === b) continue;
      const link = studyLink(a, b);
      if (link === null || !supersedes(b, a, link.strong)) continue;
      const list = direct.get(a.r.id) ?? [];
      list.push({ v: b, basis: link.basis });
      direct.set(a.r.id, list);
    }
  }
  const out = new Map<string, Successor[]>();
  for (const [id, list] of direct) {
    const terminal: Successor[] = [];
    const queue = [...list];
    const visited = new Set<string>([id]);
    while (queue.length > 0) {
      const s = queue.shift() as Successor;
      if (visited.has(s.v.r.id)) continue;
      visited.add(s.v.r.id);
      const next = direct.get(s.v.r.id);
      if (next === undefined) terminal.push(s);
      else queue.push(...next.map((n) => ({ v: n.v, basis: s.basis })));
    }
    out.set(id, terminal.length > 0 ? terminal : list);
  }
  return out;
}

function describeVersion(s: Successor): string {
  const when = s.v.day ?? s.v.r.issued ?? 'undated';
  return `DiagnosticReport/${s.v.r.id} (${s.v.title}, ${s.v.r.status}, ${when})`;
}

/** A `result` reference → the key of the Observation it names (`Observation/<id>`; `urn:uuid:<id>` too). */
function resultKey(reference: string | undefined): string | undefined {
  const ref = normalizeRef(reference);
  if (ref === undefined) return undefined;
  const urn = /^urn:uuid:([0-9A-Fa-f-]{36})$/.exec(ref);
  return urn ? `Observation/${urn[1] ?? ''}` : ref;
}

/**
 * The narrative Observations a report points at in `result` (contained `#id`, or received in `reportResults`):
 * their text (valueString), labelled with the Observation's code ("Impression: …"). An Observation read with one
 * report is not read again with another; one that is retracted or not text is listed; references to nothing
 * received are named in one warning on the report.
 */
function readResults(
  r: DiagnosticReport,
  contained: Contained,
  results: ReadonlyMap<string, Observation>,
  handled: Map<string, string>,
  issue: (reason: string, kind: DataIssue['kind']) => void,
  issues: DataIssue[],
): string[] {
  const texts: string[] = [];
  const missing: string[] = [];
  for (const ref of r.result ?? []) {
    const reference = ref.reference?.trim();
    if (reference === undefined || reference === '') continue; // a display-only reference names nothing to read
    const local = reference.startsWith('#');
    const key = local ? undefined : resultKey(reference);
    const o = local ? contained.observations.get(reference.slice(1)) : key ? results.get(key) : undefined;
    if (o === undefined) {
      missing.push(reference);
      continue;
    }
    if (key !== undefined) {
      const prior = handled.get(key);
      if (prior !== undefined) {
        issue(`result ${key} already read with ${prior}: not read twice`, 'warning');
        continue;
      }
      handled.set(key, `DiagnosticReport/${r.id}`);
    }
    const where = local
      ? { resourceType: 'DiagnosticReport', id: r.id }
      : { resourceType: 'Observation', id: o.id };
    const label = conceptLabel(o.code);
    const prefix = local
      ? `contained Observation ${reference} (${label ?? 'result'}): `
      : `${label ?? 'result'} of DiagnosticReport/${r.id}: `;
    if (o.status === 'entered-in-error' || o.status === 'cancelled') {
      issues.push({ ...where, reason: `${prefix}status ${o.status}: excluded`, kind: 'excluded' });
      continue;
    }
    const value = o.valueString?.trim();
    if (value === undefined || value === '') {
      issues.push({
        ...where,
        reason: `${prefix}its value is not text: not read as report text`,
        kind: 'unsupported',
      });
      continue;
    }
    const text = unescapeLineBreaks(value);
    texts.push(label ? `${label}: ${text}` : text);
  }
  if (missing.length > 0)
    issue(
      `result ${missing.join(', ')} not received as narrative Observations: not read as report text`,
      'warning',
    );
  return texts;
}

const hasCoding = (
  concepts: readonly (CodeableConcept | undefined)[],
  codes: readonly { readonly system: string; readonly code: string }[],
): boolean =>
  concepts.some((cc) =>
    (cc?.coding ?? []).some((c) => codes.some((v) => v.system === c.system && v.code === c.code)),
  );

/** Imaging words in a document type's text or display (clinical-reference §5: match the text as a fallback). */
const IMAGING_TYPE_WORDS = /\b(?:CT|MRI?|PET)\b/;
const IMAGING_TYPE_PHRASES =
  /computed tomograph|magnetic resonance|ultrasound|sonograph|radiolog|diagnostic imaging|imaging (?:study|report)|angiogra/i;

/**
 * A diagnostic-imaging note: its type is one of IMAGING_DOCUMENT_TYPES (LOINC 18748-4, radiology narrative and
 * study codes), or its category one of IMAGING.documentCategories (LOINC LP29684-5, v2-0074 RAD, `imaging`), or,
 * failing codes, its type's text or display names an imaging study.
 */
function isImagingDocument(d: DocumentReference): boolean {
  if (hasCoding([d.type], IMAGING_DOCUMENT_TYPES)) return true;
  if (hasCoding(d.category ?? [], IMAGING.documentCategories)) return true;
  const words = [d.type?.text, ...(d.type?.coding ?? []).map((c) => c.display)].filter(isString).join(' | ');
  return IMAGING_TYPE_WORDS.test(words) || IMAGING_TYPE_PHRASES.test(words);
}

export interface MapImagingInput {
  readonly reports: readonly unknown[];
  readonly imagingStudies?: readonly unknown[];
  readonly diseaseStatus?: readonly unknown[];
  /** DocumentReferences: imaging notes become assessments; the others are listed as not relevant. */
  readonly documentReferences?: readonly unknown[];
  /** Narrative Observations referenced from DiagnosticReport.result (impression, findings). */
  readonly reportResults?: readonly unknown[];
}

export function mapImaging(
  input: MapImagingInput,
  options: MapImagingOptions = {},
): { imaging: ImagingAssessment[]; issues: DataIssue[] } {
  const issues: DataIssue[] = [];
  const imaging: ImagingAssessment[] = [];
  // Sentence readings are shared between this patient's reports only.
  const memo = sentenceMemo();

  // ImagingStudy: only for the modality of the reports that reference it.
  const studyModality = new Map<string, Modality>();
  const studyIdentifiers = new Map<string, readonly Identifier[]>();
  const seenStudies = new SeenIds();
  for (const raw of input.imagingStudies ?? []) {
    const parsed = parseResource(imagingStudySchema, raw, 'ImagingStudy');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const dup = seenStudies.check('ImagingStudy', parsed.value.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const code = parsed.value.modality?.find((m) => m.code && DICOM_MODALITY[m.code])?.code;
    const modality = code ? DICOM_MODALITY[code] : modalityFromText(parsed.value.description);
    if (modality) studyModality.set(`ImagingStudy/${parsed.value.id}`, modality);
    studyIdentifiers.set(`ImagingStudy/${parsed.value.id}`, parsed.value.identifier ?? []);
  }

  const lookup = new BinaryLookup(options.binaries);

  // Narrative result Observations (impression, findings): read with the report that points at them.
  const results = new Map<string, Observation>(); // `Observation/<id>` → the Observation
  const seenResults = new SeenIds();
  for (const raw of input.reportResults ?? []) {
    const parsed = parseResource(observationSchema, raw, 'Observation');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const dup = seenResults.check('Observation', parsed.value.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    results.set(`Observation/${parsed.value.id}`, parsed.value);
  }
  /** Result key → the first report that points at it (any status), for the issue of a result left unread. */
  const resultOwner = new Map<string, string>();
  /** Result keys read (or listed) with a report. */
  const resultHandled = new Map<string, string>();

  // Gate: parse, de-duplicate, drop excluded statuses and unusable dates. Reports that pass the status gate are
  // candidates for versioning even when their date is unusable (a final of the same study still retracts the
  // preliminary); only dated, in-range ones are mapped.
  const seen = new SeenIds();
  const versions: ReportVersion[] = [];
  const reportIds = new Set<string>(); // `DiagnosticReport/<id>` of every report received, whatever its status
  for (const raw of input.reports) {
    const parsed = parseResource(diagnosticReportSchema, raw, 'DiagnosticReport');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const r = parsed.value;
    const dup = seen.check('DiagnosticReport', r.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    reportIds.add(`DiagnosticReport/${r.id}`);
    const title = conceptLabel(r.code) ?? 'Imaging report';
    const issue = (reason: string, kind: DataIssue['kind']): void => {
      issues.push({ resourceType: 'DiagnosticReport', id: r.id, reason: `${title}: ${reason}`, kind });
    };
    for (const ref of r.result ?? []) {
      const key = resultKey(ref.reference);
      if (key !== undefined && !key.startsWith('#') && !resultOwner.has(key)) resultOwner.set(key, r.id);
    }
    if (r.status === 'entered-in-error' || r.status === 'cancelled' || r.status === 'registered') {
      issue(`status ${r.status}: excluded`, 'excluded');
      continue;
    }
    const date = reportDate(r);
    let usableDate: string | undefined;
    if (date === undefined || !isFhirDate(date)) {
      issue(date === undefined ? 'no date' : `date "${date}" is not a FHIR date`, 'malformed');
    } else if (isAfterDay(date, options.asOf)) {
      issue(`dated ${date}, after the evaluation date: excluded`, 'excluded');
    } else {
      usableDate = date;
    }
    const contained = containedOf(r.contained, { resourceType: 'DiagnosticReport', id: r.id }, issues);
    const studyRefs = (r.imagingStudy ?? []).map((s) => normalizeRef(s.reference)).filter(isString);
    const studyRef = studyRefs.find((ref) => studyModality.has(ref));
    const modality = (studyRef ? studyModality.get(studyRef) : undefined) ?? modalityFromText(title);
    const formReads: FormReads = new Map();
    versions.push({
      r,
      title,
      date: usableDate,
      day: date !== undefined && isFhirDate(date) && date.length >= 10 ? date.slice(0, 10) : undefined,
      modality,
      keys: studyKeys(r, studyRefs, studyIdentifiers),
      addendum: beginsWithAddendum(r, contained, lookup, formReads),
      contained,
      formReads,
    });
  }

  const superseded = supersession(versions);

  const seenNarratives = new Map<string, ReadBy>(); // narrativeKey → who read it
  for (const v of versions) {
    const { r, title, date, modality } = v;
    if (date === undefined) continue; // already listed (no date, malformed date, after asOf)
    const issue = (reason: string, kind: DataIssue['kind']): void => {
      issues.push({ resourceType: 'DiagnosticReport', id: r.id, reason: `${title}: ${reason}`, kind });
    };
    const by = superseded.get(r.id);
    if (by !== undefined) {
      issue(
        `status ${r.status}, superseded by ${by.map(describeVersion).join(' and ')} (${by[0]?.basis ?? 'same study'}): its findings are not used`,
        'superseded',
      );
      continue;
    }
    const preliminary = versionRank(r) === 1;
    if (preliminary) issue(`status ${r.status}: used, flagged`, 'warning');

    const source = sourceRef('DiagnosticReport', r.id, title);
    const texts: { text: string; origin: 'text' | 'coded' }[] = [];
    if (r.conclusion) texts.push({ text: unescapeLineBreaks(r.conclusion), origin: 'text' });
    for (const cc of r.conclusionCode ?? []) {
      const t = conceptLabel(cc);
      if (t) texts.push({ text: t, origin: 'coded' });
    }
    const owner = `DiagnosticReport/${r.id}`;
    for (const text of readAttachments(
      r.presentedForm ?? [],
      'presentedForm',
      owner,
      v.contained,
      lookup,
      seenNarratives,
      issue,
      v.formReads,
    ))
      texts.push({ text, origin: 'text' });
    for (const text of readResults(r, v.contained, results, resultHandled, issue, issues))
      texts.push({ text, origin: 'text' });

    // All texts of the report together: an addendum in the narrative revises the conclusion too.
    const findings: ImagingFinding[] = extractReportFindings(texts, { source, date, memo });
    const narrative = texts
      .filter((t) => t.origin === 'text')
      .map((t) => t.text)
      .join('\n\n');
    imaging.push({
      id: r.id,
      date,
      source,
      ...(modality ? { modality } : {}),
      title,
      findings,
      ...(narrative ? { text: narrative } : {}),
      ...(preliminary ? { preliminary: true as const } : {}),
    });
  }

  // Imaging DocumentReferences (a radiology report exposed as a document): read like reports, after the
  // DiagnosticReports, so a document that shows a report's own Binary is read once, from the report.
  const documents: DocumentReference[] = [];
  const seenDocs = new SeenIds();
  for (const raw of input.documentReferences ?? []) {
    const parsed = parseResource(documentReferenceSchema, raw, 'DocumentReference');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const dup = seenDocs.check('DocumentReference', parsed.value.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    documents.push(parsed.value);
  }
  // A current document that `replaces` another (relatesTo) supersedes it, even when the older one still says current.
  const replacedBy = new Map<string, string>();
  for (const d of documents) {
    if (d.status !== 'current' || d.docStatus === 'entered-in-error') continue;
    for (const rel of d.relatesTo ?? []) {
      const target = normalizeRef(rel.target?.reference);
      if (rel.code === 'replaces' && target?.startsWith('DocumentReference/') && !replacedBy.has(target))
        replacedBy.set(target, d.id);
    }
  }
  for (const d of documents) {
    const title = conceptLabel(d.type) ?? d.description ?? 'Document';
    const issue = (reason: string, kind: DataIssue['kind']): void => {
      issues.push({ resourceType: 'DocumentReference', id: d.id, reason: `${title}: ${reason}`, kind });
    };
    if (!isImagingDocument(d)) {
      issues.push({
        resourceType: 'DocumentReference',
        id: d.id,
        reason: `not relevant: ${title} (type and category are not diagnostic imaging)`,
        kind: 'excluded',
      });
      continue;
    }
    if (d.status === 'entered-in-error' || d.docStatus === 'entered-in-error') {
      issue(`status entered-in-error: excluded`, 'excluded');
      continue;
    }
    const newer = replacedBy.get(`DocumentReference/${d.id}`);
    if (d.status === 'superseded' || newer !== undefined) {
      issue(
        `${d.status === 'superseded' ? 'status superseded' : 'replaced'}${newer !== undefined ? ` by DocumentReference/${newer} (relatesTo replaces)` : ': a newer version of the document replaces it'}: its findings are not used`,
        'superseded',
      );
      continue;
    }
    const related = (d.context?.related ?? [])
      .map((x) => normalizeRef(x.reference))
      .find((ref) => ref !== undefined && reportIds.has(ref));
    if (related !== undefined) {
      issue(`the document of ${related} (context.related), read with that report: not read twice`, 'warning');
      continue;
    }
    const date = d.context?.period?.start ?? d.date;
    if (date === undefined || !isFhirDate(date)) {
      issue(date === undefined ? 'no date' : `date "${date}" is not a FHIR date`, 'malformed');
      continue;
    }
    if (isAfterDay(date, options.asOf)) {
      issue(`dated ${date}, after the evaluation date: excluded`, 'excluded');
      continue;
    }
    // Its content entries are formats of one document: one already read (by URL) means the whole document was.
    const again = d.content
      .map((c) => c.attachment.url?.trim())
      .filter((u): u is string => u !== undefined && u !== '' && !u.startsWith('#'))
      .map((u) => ({ u, prior: seenNarratives.get(narrativeKey(u)) }))
      .find((x) => x.prior !== undefined);
    if (again?.prior !== undefined) {
      issue(
        `narrative ${again.u} already ${again.prior.read ? 'read from' : 'listed with'} ${again.prior.by}: not read twice`,
        'warning',
      );
      continue;
    }
    const preliminary = d.docStatus === 'preliminary';
    if (preliminary) issue('docStatus preliminary: used, flagged', 'warning');
    const contained = containedOf(d.contained, { resourceType: 'DocumentReference', id: d.id }, issues);
    const texts = readAttachments(
      d.content.map((c) => c.attachment),
      'content attachment',
      `DocumentReference/${d.id}`,
      contained,
      lookup,
      seenNarratives,
      issue,
    );
    const source = sourceRef('DocumentReference', d.id, title);
    const findings: ImagingFinding[] = extractReportFindings(
      texts.map((text) => ({ text, origin: 'text' as const })),
      { source, date, memo },
    );
    const narrative = texts.join('\n\n');
    const modality = modalityFromText(title);
    imaging.push({
      // Prefixed: a DocumentReference may share its id with a DiagnosticReport (corrections are keyed by this id).
      id: `DocumentReference-${d.id}`,
      date,
      source,
      ...(modality ? { modality } : {}),
      title,
      findings,
      ...(narrative ? { text: narrative } : {}),
      ...(preliminary ? { preliminary: true as const } : {}),
    });
  }

  // mCODE CancerDiseaseStatus (LOINC 97509-4) — clinical-reference.md §2.
  const seenObs = new SeenIds();
  for (const raw of input.diseaseStatus ?? []) {
    const parsed = parseResource(observationSchema, raw, 'Observation');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const o = parsed.value;
    const dup = seenObs.check('Observation', o.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const isStatus = (o.code.coding ?? []).some(
      (c) => c.system === SYSTEMS.loinc && c.code === IMAGING.diseaseStatus.code.code,
    );
    if (!isStatus) {
      issues.push({
        resourceType: 'Observation',
        id: o.id,
        reason: 'not an mCODE disease-status observation',
        kind: 'unsupported',
      });
      continue;
    }
    if (!['final', 'amended', 'corrected', 'preliminary'].includes(o.status)) {
      issues.push({
        resourceType: 'Observation',
        id: o.id,
        reason: `disease status: status ${o.status}: excluded`,
        kind: 'excluded',
      });
      continue;
    }
    const date = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
    if (date === undefined || !isFhirDate(date) || isAfterDay(date, options.asOf)) {
      issues.push({
        resourceType: 'Observation',
        id: o.id,
        reason: date === undefined ? 'disease status: no date' : `disease status: unusable date ${date}`,
        kind: date === undefined || !isFhirDate(date) ? 'malformed' : 'excluded',
      });
      continue;
    }
    const coding = o.valueCodeableConcept?.coding?.find(
      (c) => c.system === SYSTEMS.snomed && c.code && MCODE[c.code],
    );
    const category = coding?.code ? MCODE[coding.code] : undefined;
    if (!category) {
      issues.push({
        resourceType: 'Observation',
        id: o.id,
        reason: 'disease status value is not one of the mCODE codes',
        kind: 'unsupported',
      });
      continue;
    }
    const label = conceptLabel(o.valueCodeableConcept) ?? category;
    const source = sourceRef('Observation', o.id, 'Cancer disease status');
    imaging.push({
      id: o.id,
      date,
      source,
      title: 'Cancer disease status (mCODE)',
      findings: [
        {
          type: 'response',
          scale: 'mcode-status',
          category,
          polarity: 'positive',
          confidence: 'high',
          evidence: { source, date, value: label, matched: label, origin: 'coded' },
        },
      ],
    });
  }

  // Narrative results no mapped report read: listed, with the report they belong to when there is one.
  for (const [key, o] of results) {
    if (resultHandled.has(key)) continue;
    const owner = resultOwner.get(key);
    const label = conceptLabel(o.code) ?? 'narrative result';
    issues.push({
      resourceType: 'Observation',
      id: o.id,
      reason:
        owner !== undefined
          ? `${label} of DiagnosticReport/${owner}, which is not used (see that report): its text is not read`
          : `${label}: no imaging report received points at it in result: not read`,
      kind: 'excluded',
    });
  }

  return { imaging: sortByDate(imaging), issues };
}
