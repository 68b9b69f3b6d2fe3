/** Small factories for engine tests: timelines, sessions, labs and imaging findings. */
import type {
  ImagingAssessment,
  ImagingFinding,
  Polarity,
  Presence,
  ResponseCategory,
  ResponseScale,
} from '../../src/domain/imaging';
import type { AnalyteId, Comparator, Measurement } from '../../src/domain/labs';
import type { SourceRef } from '../../src/domain/source';
import type { Timeline } from '../../src/domain/timeline';
import { toCanonical } from '../../src/domain/units';
import type { TreatmentKind, TreatmentSession, TreatmentStatus } from '../../src/domain/treatments';
import type { SystemicAgent, SystemicTherapy } from '../../src/domain/treatments';
import type { ConditionSummary } from '../../src/domain/patient';

export const DEFAULT_UNIT: Record<AnalyteId, string> = {
  afp: 'ng/mL',
  afpL3: '%',
  pivka: 'mAU/mL',
  'pivka-ng': 'ng/mL',
  albumin: 'g/L',
  bilirubin: 'umol/L',
  inr: '{INR}',
  ptSeconds: 's',
  platelets: '10*9/L',
  ast: 'U/L',
  alt: 'U/L',
  creatinine: 'mg/dL',
  sodium: 'mmol/L',
  crp: 'mg/L',
};

/** ISO day `n` days after `iso`. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export function timeline(parts: Partial<Timeline> = {}): Timeline {
  const labs: Record<string, Measurement[]> = {};
  for (const [k, v] of Object.entries(parts.labs ?? {})) {
    labs[k] = [...(v ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  return {
    patient: { id: 'p1', name: 'Test, Patient', birthDate: '1957-01-01', gender: 'male' },
    treatments: [],
    imaging: [],
    therapies: [],
    conditions: [],
    dataIssues: [],
    ...parts,
    labs,
  };
}

export function tace(
  id: string,
  date: string,
  kind: TreatmentKind = 'tace-conventional',
  status: TreatmentStatus = 'completed',
): TreatmentSession {
  return {
    id,
    kind,
    date,
    status,
    source: { resourceType: 'Procedure', id },
    codedBy: 'snomed',
    label: kind,
  };
}

export function lab(
  analyte: AnalyteId,
  value: number,
  date: string,
  opts: { id?: string; unit?: string; comparator?: Comparator; high?: number } = {},
): Measurement {
  const given = opts.unit ?? DEFAULT_UNIT[analyte];
  // Like the mapper: store the canonical unit (domain/units.ts) and keep the original beside it.
  const c = toCanonical(analyte, value, given);
  const unit = c.ok ? c.unit : given;
  return {
    analyte,
    value: c.ok ? c.value : value,
    unit,
    ...(c.ok && c.conversion ? { originalValue: value, originalUnit: given, conversion: c.conversion } : {}),
    date,
    status: 'final',
    source: { resourceType: 'Observation', id: opts.id ?? `${analyte}-${date}` },
    ...(opts.comparator ? { comparator: opts.comparator } : {}),
    ...(opts.high !== undefined ? { referenceRange: { high: opts.high, unit: given } } : {}),
  };
}

/** Groups measurements into a LabSeries. */
export function labs(...ms: Measurement[]): Timeline['labs'] {
  const out: Partial<Record<AnalyteId, Measurement[]>> = {};
  for (const m of ms) (out[m.analyte] ??= []).push(m);
  return out;
}

const PLACEHOLDER: SourceRef = { resourceType: 'DiagnosticReport', id: 'placeholder' };
const ev = (sentence: string) => ({ source: PLACEHOLDER, sentence, origin: 'text' as const });
const pol = (p: Presence): Polarity =>
  p === 'present' ? 'positive' : p === 'absent' ? 'negative' : 'uncertain';

export const f = {
  viable: (
    percent: number,
    polarity: Polarity = 'positive',
    comparator?: '<' | '<=' | '>' | '>=' | '~',
  ): ImagingFinding => ({
    type: 'viable-percent',
    percent,
    basis: 'stated',
    polarity,
    confidence: 'high',
    ...(comparator ? { comparator } : {}),
    evidence: ev(`Residual arterial enhancement ${comparator ?? ''}${percent}% of the treated tumour.`),
  }),
  lipiodol: (percent: number): ImagingFinding => ({
    type: 'lipiodol-deposition',
    percent,
    polarity: 'positive',
    confidence: 'high',
    evidence: ev(`Lipiodol deposition about ${percent}%.`),
  }),
  response: (
    scale: ResponseScale,
    category: ResponseCategory,
    polarity: Polarity = 'positive',
  ): ImagingFinding => ({
    type: 'response',
    scale,
    category,
    polarity,
    confidence: 'high',
    evidence: ev(`${scale} ${category}.`),
  }),
  newLesions: (presence: Presence, location?: 'intrahepatic' | 'extrahepatic'): ImagingFinding => ({
    type: 'new-lesions',
    presence,
    polarity: pol(presence),
    confidence: 'high',
    ...(location ? { location } : {}),
    evidence: ev(presence === 'absent' ? 'No new lesion.' : 'New hepatic lesion.'),
  }),
  vi: (presence: Presence, vp?: 'Vp1' | 'Vp2' | 'Vp3' | 'Vp4', vessel?: string): ImagingFinding => ({
    type: 'vascular-invasion',
    presence,
    polarity: pol(presence),
    confidence: 'high',
    ...(vp ? { vp } : {}),
    ...(vessel ? { vessel } : {}),
    evidence: ev(
      presence === 'absent'
        ? 'No portal vein thrombus.'
        : `Tumour thrombus in the ${vessel ?? 'portal vein'}.`,
    ),
  }),
  ehs: (presence: Presence): ImagingFinding => ({
    type: 'extrahepatic-spread',
    presence,
    polarity: pol(presence),
    confidence: 'high',
    evidence: ev(presence === 'absent' ? 'No extrahepatic disease.' : 'Lung metastases.'),
  }),
  count: (count: number, previous?: number): ImagingFinding => ({
    type: 'tumor-count',
    count,
    polarity: 'positive',
    confidence: 'high',
    ...(previous !== undefined ? { previous } : {}),
    evidence: ev(`${count} lesions.`),
  }),
  diameter: (cm: number): ImagingFinding => ({
    type: 'largest-diameter',
    cm,
    polarity: 'positive',
    confidence: 'high',
    evidence: ev(`Largest ${cm} cm.`),
  }),
};

export function imaging(
  id: string,
  date: string,
  findings: ImagingFinding[],
  modality: 'CT' | 'MR' = 'CT',
): ImagingAssessment {
  const source: SourceRef = { resourceType: 'DiagnosticReport', id };
  return {
    id,
    date,
    source,
    modality,
    findings: findings.map((x) => ({ ...x, evidence: { ...x.evidence, source, date } })),
  };
}

/** Negative findings for the "any time" items, so that a reading can be fully determinate. */
export const allClear = (): ImagingFinding[] => [f.vi('absent'), f.ehs('absent'), f.newLesions('absent')];

// ---------------------------------------------------------------------------------------------------------------
// Conditions and systemic therapies (issue 12: Child-Pugh from Conditions, current therapy).
// ---------------------------------------------------------------------------------------------------------------

/** An active, confirmed problem-list Condition (ascites unless `kind` says otherwise), dated by its onset. */
export function condition(
  id: string,
  text: string,
  opts: Partial<ConditionSummary> & { onset?: string | undefined } = {},
): ConditionSummary {
  const { onset, ...rest } = opts;
  return {
    id,
    kind: 'ascites',
    label: text,
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    ...(onset !== undefined ? { onset } : {}),
    source: { resourceType: 'Condition', id, display: text },
    codedBy: 'icd10cm',
    words: [text],
    categories: ['problem-list-item'],
    ...rest,
  };
}

/** A systemic therapy order (MedicationRequest), active unless said otherwise. */
export function therapy(
  id: string,
  agent: SystemicAgent,
  start: string,
  opts: Partial<SystemicTherapy> = {},
): SystemicTherapy {
  return {
    id,
    agent,
    status: 'active',
    start,
    source: { resourceType: 'MedicationRequest', id },
    codedBy: 'rxnorm',
    label: agent,
    ...opts,
  };
}

/**
 * Child-Pugh labs (bilirubin mg/dL, albumin g/dL, INR) on one day, as the mapper stores them (canonical units:
 * bilirubin µmol/L, albumin g/L), for ALBI and Child-Pugh together.
 */
export function liverLabs(
  date: string,
  bilirubinMgDl: number,
  albuminGDl: number,
  inr: number,
): Measurement[] {
  return [
    lab('bilirubin', bilirubinMgDl, date, { unit: 'mg/dL', id: `bili-${date}` }),
    lab('albumin', albuminGDl, date, { unit: 'g/dL', id: `alb-${date}` }),
    lab('inr', inr, date, { id: `inr-${date}` }),
  ];
}
