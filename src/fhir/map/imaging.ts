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
import { imagingStudySchema } from '../schemas/imaging-study';
import { observationSchema } from '../schemas/observation';
import { SeenIds, conceptLabel, isAfterDay, isFhirDate, parseResource, sourceRef } from './common';
import { extractKeyedFindings } from './report-text';
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

export interface MapImagingInput {
  readonly reports: readonly unknown[];
  readonly imagingStudies?: readonly unknown[];
  readonly diseaseStatus?: readonly unknown[];
}

export function mapImaging(
  input: MapImagingInput,
  options: MapImagingOptions = {},
): { imaging: ImagingAssessment[]; issues: DataIssue[] } {
  const issues: DataIssue[] = [];
  const imaging: ImagingAssessment[] = [];

  // ImagingStudy: only for the modality of the reports that reference it.
  const studyModality = new Map<string, Modality>();
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
  }

  const seen = new SeenIds();
  const readUrls = new Map<string, string>(); // url → report id that read it
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
    if (date === undefined || !isFhirDate(date)) {
      issue(date === undefined ? 'no date' : `date "${date}" is not a FHIR date`, 'malformed');
      continue;
    }
    if (isAfterDay(date, options.asOf)) {
      issue(`dated ${date}, after the evaluation date: excluded`, 'excluded');
      continue;
    }
    if (r.status === 'preliminary' || r.status === 'partial')
      issue(`status ${r.status}: used, flagged`, 'warning');

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

    const findings: ImagingFinding[] = [];
    const keys = new Set<string>();
    for (const t of texts) {
      for (const { finding, key } of extractKeyedFindings(t.text, { source, date, origin: t.origin })) {
        if (keys.has(key)) continue;
        keys.add(key);
        findings.push(finding);
      }
    }
    const studyRef = r.imagingStudy?.map((s) => s.reference).find((ref) => ref && studyModality.has(ref));
    const modality = (studyRef ? studyModality.get(studyRef) : undefined) ?? modalityFromText(title);
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
