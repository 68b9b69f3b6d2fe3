/**
 * DiagnosticReports (radiology) and mCODE disease-status Observations → ImagingAssessments.
 * Narrative sources, in order: conclusion, conclusionCode (text/display), presentedForm (inline base64 data or a
 * Binary the query layer fetched, passed in `binaries` by URL). The same Binary URL referenced by several reports
 * is read once (shared/ehr-integration.md: "de-duplicate by URL").
 */
import type { ImagingAssessment, ImagingFinding, McodeStatusCategory, Modality } from '../../domain/imaging';
import type { DataIssue } from '../../domain/source';
import { sortByDate } from '../../domain/timeline';
import { IMAGING, SYSTEMS } from '../codes';
import { diagnosticReportSchema } from '../schemas/diagnostic-report';
import type { DiagnosticReport } from '../schemas/diagnostic-report';
import type { Identifier } from '../schemas/common';
import { imagingStudySchema } from '../schemas/imaging-study';
import { observationSchema } from '../schemas/observation';
import { SeenIds, conceptLabel, isAfterDay, isFhirDate, parseResource, sourceRef } from './common';
import { extractReportFindings } from './report-text';
import { decodeBase64Utf8, narrativeToText } from './text-normalize';

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
  binaries: ReadonlyMap<string, FetchedBinary> | undefined,
): boolean {
  if (r.conclusion !== undefined && ADDENDUM_START.test(r.conclusion)) return true;
  for (const form of r.presentedForm ?? []) {
    let body: string | undefined;
    let contentType = form.contentType;
    if (form.data !== undefined) body = decodeBase64Utf8(form.data);
    else if (form.url) {
      const fetched = binaries?.get(form.url);
      body = fetched?.text;
      contentType = fetched?.contentType ?? contentType;
    }
    const text = body === undefined ? undefined : narrativeToText(contentType, body);
    if (text !== undefined && ADDENDUM_START.test(text)) return true;
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

  // Gate: parse, de-duplicate, drop excluded statuses and unusable dates. Reports that pass the status gate are
  // candidates for versioning even when their date is unusable (a final of the same study still retracts the
  // preliminary); only dated, in-range ones are mapped.
  const seen = new SeenIds();
  const versions: ReportVersion[] = [];
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
    const title = conceptLabel(r.code) ?? 'Imaging report';
    const issue = (reason: string, kind: DataIssue['kind']): void => {
      issues.push({ resourceType: 'DiagnosticReport', id: r.id, reason: `${title}: ${reason}`, kind });
    };
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
    const studyRefs = (r.imagingStudy ?? []).map((s) => normalizeRef(s.reference)).filter(isString);
    const studyRef = studyRefs.find((ref) => studyModality.has(ref));
    const modality = (studyRef ? studyModality.get(studyRef) : undefined) ?? modalityFromText(title);
    versions.push({
      r,
      title,
      date: usableDate,
      day: date !== undefined && isFhirDate(date) && date.length >= 10 ? date.slice(0, 10) : undefined,
      modality,
      keys: studyKeys(r, studyRefs, studyIdentifiers),
      addendum: beginsWithAddendum(r, options.binaries),
    });
  }

  const superseded = supersession(versions);

  const readUrls = new Map<string, string>(); // url → report id that read it
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
    if (r.conclusion) texts.push({ text: r.conclusion, origin: 'text' });
    for (const cc of r.conclusionCode ?? []) {
      const t = conceptLabel(cc);
      if (t) texts.push({ text: t, origin: 'coded' });
    }
    for (const form of r.presentedForm ?? []) {
      if (form.url) {
        const by = readUrls.get(form.url);
        if (by !== undefined) {
          issue(`narrative ${form.url} already read from DiagnosticReport/${by}: not read twice`, 'warning');
          continue;
        }
      }
      let body: string | undefined;
      let contentType = form.contentType;
      if (form.data !== undefined) {
        body = decodeBase64Utf8(form.data);
        if (body === undefined) {
          issue('presentedForm data is not valid base64', 'malformed');
          continue;
        }
      } else if (form.url) {
        const fetched = options.binaries?.get(form.url);
        if (!fetched) {
          issue(`narrative at ${form.url} was not fetched`, 'warning');
          continue;
        }
        body = fetched.text;
        contentType = fetched.contentType ?? contentType;
      }
      if (body === undefined) continue;
      const text = narrativeToText(contentType, body);
      if (text === undefined) {
        issue(
          `narrative type ${contentType ?? '(none)'} is not read (text, HTML and RTF are)`,
          'unsupported',
        );
        continue;
      }
      if (form.url) readUrls.set(form.url, r.id);
      texts.push({ text, origin: 'text' });
    }

    // All texts of the report together: an addendum in the narrative revises the conclusion too.
    const findings: ImagingFinding[] = extractReportFindings(texts, { source, date }).map((k) => k.finding);
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

  return { imaging: sortByDate(imaging), issues };
}
