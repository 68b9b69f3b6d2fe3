/**
 * The request plan: which searches one patient's timeline needs, per issuer. Every spec is independent, so the
 * whole plan goes out in one parallel wave (fetch-queries.ts) and each React Query `useQueries` entry can run one
 * spec on its own. Codes come from codes.ts (the value-set module), widened per issuer by `extraLabCodes`.
 */
import { z } from 'zod';
import type { IssuerConfig } from '../config/issuers';
import type { LaunchContext } from './client';
import { FhirError } from './errors';
import {
  IMAGING,
  IMAGING_DOCUMENT_TYPES,
  LAB_CODES,
  SYSTEMS,
  searchTokens,
  type AnalyteId,
  type ValueSetCoding,
  type ValueSetEntry,
} from './codes';

/** The TimelineInput field (fhir/map/timeline.ts) a query fills. */
export type QueryGroup =
  | 'patient'
  | 'observations'
  | 'reports'
  | 'imagingStudies'
  | 'procedures'
  | 'conditions'
  | 'medicationRequests'
  | 'diseaseStatus'
  | 'documentReferences';

export interface QuerySpec {
  /** Stable id: `patient`, `labs:afp`, …, `reports`, `imaging-studies`, `procedures`, `conditions`, … */
  readonly key: string;
  readonly group: QueryGroup;
  /** The resource type searched (or read, for `patient`): error messages and DataIssues name it. */
  readonly resourceType: string;
  /** What the clinician would call it ("AFP results", "imaging reports"): used in DataIssues. */
  readonly label: string;
  /** Relative to the FHIR base: `Observation?patient=…&code=…&_count=…`. */
  readonly url: string;
  /** Pages followed at most (the first page included); 1 for a read. */
  readonly maxPages: number;
  /** A read (`Patient/<id>`) rather than a search. */
  readonly read?: boolean;
}

/** The analytes the plan searches, one query each (PT seconds is not read: INR is what the scores use). */
export const PLANNED_ANALYTES: readonly AnalyteId[] = [
  'afp',
  'afpL3',
  'pivka',
  'albumin',
  'bilirubin',
  'inr',
  'platelets',
  'ast',
  'alt',
  'creatinine',
  'sodium',
  'crp',
];

const ANALYTE_IDS = Object.keys(LAB_CODES) as [AnalyteId, ...AnalyteId[]];
const token = z.string().regex(/^[^|\s,]+\|[^|\s,]+$/, 'expected "system|code"');

/** `issuer.options` as the data layer reads it; unknown keys (write-back, other layers) are left alone. */
export const dataOptionsSchema = z.looseObject({
  /** Epic answers 400 to an Observation search without `category`. */
  observationCategoryRequired: z.boolean().default(false),
  /** `_count` per resource type (default 100; Oracle Health: Observation 200, DiagnosticReport 100). */
  maxCount: z.record(z.string(), z.number().int().min(1).max(1000)).default({}),
  /** Pages followed per query (default: labs 30, others 10). */
  maxPages: z.number().int().min(1).max(100).optional(),
  /** Site codes per analyte, `system|code` (e.g. Oracle Millennium code set 72 codes). */
  extraLabCodes: z.partialRecord(z.enum(ANALYTE_IDS), z.array(token)).default({}),
  /**
   * Category sent with the mCODE disease-status search when `observationCategoryRequired` (e.g. `exam`, `survey`);
   * without one that search is left out of the plan for such servers (it would answer 400).
   */
  diseaseStatusCategory: z.string().min(1).optional(),
  /** Oracle Health has no Procedure `code` search: always false here (codes are filtered in the mapper). */
  procedureCodeSearch: z.boolean().default(false),
  /** Search imaging DocumentReferences (radiology reports exposed as documents); false leaves it out of the plan. */
  documentReferenceSearch: z.boolean().default(true),
  /**
   * `category` sent with the DocumentReference search (a token, or several comma-separated). Default per EHR (see
   * DOCUMENT_REFERENCE_DEFAULTS); an empty string sends none.
   */
  documentReferenceCategory: z.string().optional(),
  /** Send the imaging note types (IMAGING_DOCUMENT_TYPES) as `type`; default per EHR. */
  documentReferenceTypeSearch: z.boolean().optional(),
});
export type DataOptions = z.infer<typeof dataOptionsSchema>;

/** Validates `issuer.options`; a bad entry is a configuration error IT must fix, named by its path. */
export function dataOptionsOf(issuer: IssuerConfig): DataOptions {
  const parsed = dataOptionsSchema.safeParse(issuer.options);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? ['options', ...first.path.map(String)].join('.') : 'options';
    throw new FhirError(
      'client',
      `Invalid issuer configuration for ${issuer.id} at ${where}: ${first?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * DocumentReference search per EHR (imaging notes, read like reports by map/imaging.ts):
 * - Epic: DocumentReference searches need a `category` (the brief for issue 10; the same 400 rule as Observation in
 *   shared/ehr-integration.md) → US Core `clinical-note`, narrowed by the imaging note types — verify on
 *   fhir.epic.com which category Epic files radiology documents under, and set `documentReferenceCategory`.
 * - Oracle Health Millennium: `category` and `type` are token searches (fhir.cerner.com DocumentReference R4:
 *   "Search operation is supported for clinical-note, cardiology, radiology … charted documents"); its document
 *   types are local code set 72 codes (R4_DOCUMENT_REFERENCE.json: code set 72 + NullFlavor UNK), so a LOINC
 *   `type` search would find nothing: search the radiology category (LOINC LP29684-5) instead — verify.
 * - Others (US Core servers SHALL support patient+type): the imaging note types, no category.
 */
const US_CORE_DOCUMENT_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
const DOCUMENT_REFERENCE_DEFAULTS: Readonly<
  Partial<Record<IssuerConfig['ehr'], { readonly category: string; readonly type: boolean }>>
> = {
  epic: { category: `${US_CORE_DOCUMENT_CATEGORY}|clinical-note`, type: true },
  oracle: { category: `${SYSTEMS.loinc}|LP29684-5`, type: false },
};

const DEFAULT_COUNT = 100;
const DEFAULT_MAX_PAGES_LABS = 30;
const DEFAULT_MAX_PAGES = 10;

/**
 * The lab value sets for this issuer: codes.ts plus `extraLabCodes` (flagged `verify`: site-declared). Pass it to
 * `buildTimeline({ labCodes })` so the mapper recognises what the plan searched for.
 */
export function labCodesFor(issuer: IssuerConfig): Readonly<Record<AnalyteId, ValueSetEntry>> {
  const extra = dataOptionsOf(issuer).extraLabCodes;
  const out = { ...LAB_CODES };
  for (const analyte of ANALYTE_IDS) {
    const tokens = extra[analyte];
    if (!tokens || tokens.length === 0) continue;
    const entry = LAB_CODES[analyte];
    const added: ValueSetCoding[] = tokens
      .map((t) => t.split('|') as [string, string])
      .filter(([system, code]) => !entry.codes.some((c) => c.system === system && c.code === code))
      .map(([system, code]) => ({
        system,
        code,
        display: `${entry.display} (site code)`,
        confidence: 'verify',
      }));
    out[analyte] = { ...entry, codes: [...entry.codes, ...added] };
  }
  return out;
}

const LABEL: Record<AnalyteId, string> = {
  afp: 'AFP results',
  afpL3: 'AFP-L3 results',
  pivka: 'PIVKA-II/DCP results',
  albumin: 'albumin results',
  bilirubin: 'bilirubin results',
  inr: 'INR results',
  ptSeconds: 'prothrombin time results',
  platelets: 'platelet counts',
  ast: 'AST results',
  alt: 'ALT results',
  creatinine: 'creatinine results',
  sodium: 'sodium results',
  crp: 'CRP results',
};

/**
 * Splits a search value at its OR separators: every `,` not escaped as `\,` (FHIR R4 search, "Escaping Search
 * Parameters", https://hl7.org/fhir/R4/search.html#escaping). An escape stays with its alternative, untouched.
 */
export function splitAlternatives(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value.charAt(i + 1);
      i++;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * One search value on the wire: each OR alternative percent-encoded exactly as `encodeURIComponent` does
 * (`:` → `%3A`, `/` → `%2F`, `|` → `%7C`, `\` → `%5C`, a comma inside a value, written `\,`, → `%5C%2C`), joined
 * by literal `,` (the spec's OR separator, which a server splits on after percent-decoding). Nothing raw is left
 * for a proxy to rewrite: the SMART Health IT launcher's proxy collapses `//` anywhere in the URL, so a raw
 * `http://loinc.org|1834-1` reached the server as `http:/loinc.org|1834-1` and every coded search came back empty.
 */
export function encodeSearchValue(value: string): string {
  return splitAlternatives(value).map(encodeURIComponent).join(',');
}

function query(params: [string, string][]): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeSearchValue(v)}`).join('&');
}

/** The searches for one patient, in a stable order. Pure: same context and issuer → same plan. */
export function buildRequestPlan(context: LaunchContext, issuer: IssuerConfig): QuerySpec[] {
  const options = dataOptionsOf(issuer);
  const patient = context.patientId;
  const count = (type: string) => String(options.maxCount[type] ?? DEFAULT_COUNT);
  const pages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const labPages = options.maxPages ?? DEFAULT_MAX_PAGES_LABS;
  const codes = labCodesFor(issuer);

  const plan: QuerySpec[] = [
    {
      key: 'patient',
      group: 'patient',
      resourceType: 'Patient',
      label: 'patient details',
      url: `Patient/${encodeURIComponent(patient)}`,
      maxPages: 1,
      read: true,
    },
  ];
  for (const analyte of PLANNED_ANALYTES) {
    const params: [string, string][] = [['patient', patient]];
    if (options.observationCategoryRequired) params.push(['category', 'laboratory']);
    params.push(['code', searchTokens(codes[analyte]).join(',')], ['_count', count('Observation')]);
    plan.push({
      key: `labs:${analyte}`,
      group: 'observations',
      resourceType: 'Observation',
      label: LABEL[analyte],
      url: `Observation?${query(params)}`,
      maxPages: labPages,
    });
  }
  const reportCategories = IMAGING.reportCategories.map((c) => `${c.system}|${c.code}`).join(',');
  plan.push(
    {
      key: 'reports',
      group: 'reports',
      resourceType: 'DiagnosticReport',
      label: 'imaging reports',
      url: `DiagnosticReport?${query([
        ['patient', patient],
        ['category', reportCategories],
        ['_count', count('DiagnosticReport')],
      ])}`,
      maxPages: pages,
    },
    {
      key: 'imaging-studies',
      group: 'imagingStudies',
      resourceType: 'ImagingStudy',
      label: 'imaging studies',
      url: `ImagingStudy?${query([
        ['patient', patient],
        ['_count', count('ImagingStudy')],
      ])}`,
      maxPages: pages,
    },
    {
      // No `code` parameter: Oracle Health has no Procedure code search; the mapper filters codes client-side.
      key: 'procedures',
      group: 'procedures',
      resourceType: 'Procedure',
      label: 'procedures',
      url: `Procedure?${query([
        ['patient', patient],
        ['_count', count('Procedure')],
      ])}`,
      maxPages: pages,
    },
    {
      key: 'conditions',
      group: 'conditions',
      resourceType: 'Condition',
      label: 'conditions',
      url: `Condition?${query([
        ['patient', patient],
        ['_count', count('Condition')],
      ])}`,
      maxPages: pages,
    },
    {
      key: 'medication-requests',
      group: 'medicationRequests',
      resourceType: 'MedicationRequest',
      label: 'medication orders',
      url: `MedicationRequest?${query([
        ['patient', patient],
        ['_include', 'MedicationRequest:medication'],
        ['_count', count('MedicationRequest')],
      ])}`,
      maxPages: pages,
    },
  );
  if (options.documentReferenceSearch) {
    const defaults = DOCUMENT_REFERENCE_DEFAULTS[issuer.ehr] ?? { category: '', type: true };
    const category = options.documentReferenceCategory ?? defaults.category;
    const docParams: [string, string][] = [['patient', patient]];
    if (category !== '') docParams.push(['category', category]);
    if (options.documentReferenceTypeSearch ?? defaults.type)
      docParams.push(['type', IMAGING_DOCUMENT_TYPES.map((c) => `${c.system}|${c.code}`).join(',')]);
    docParams.push(['_count', count('DocumentReference')]);
    plan.push({
      key: 'document-references',
      group: 'documentReferences',
      resourceType: 'DocumentReference',
      label: 'imaging notes',
      url: `DocumentReference?${query(docParams)}`,
      maxPages: pages,
    });
  }
  const statusParams: [string, string][] = [['patient', patient]];
  if (options.observationCategoryRequired && options.diseaseStatusCategory) {
    statusParams.push(['category', options.diseaseStatusCategory]);
  }
  statusParams.push(
    ['code', `${SYSTEMS.loinc}|${IMAGING.diseaseStatus.code.code}`],
    ['_count', count('Observation')],
  );
  if (!options.observationCategoryRequired || options.diseaseStatusCategory) {
    plan.push({
      key: 'disease-status',
      group: 'diseaseStatus',
      resourceType: 'Observation',
      label: 'cancer disease status',
      url: `Observation?${query(statusParams)}`,
      maxPages: pages,
    });
  }
  return plan;
}
