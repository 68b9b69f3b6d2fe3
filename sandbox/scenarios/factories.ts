/**
 * Small factories that shape synthetic resources the way Epic and Oracle Health return them
 * (shared/ehr-integration.md "Data shapes"). Codes come from src/fhir/codes.ts; nothing here reads the app's mappers.
 */
import type {
  CodeableConcept,
  Coding,
  Condition,
  DiagnosticReport,
  Encounter,
  ImagingStudy,
  MedicationRequest,
  Observation,
  Patient,
  Practitioner,
  Procedure,
} from '@medplum/fhirtypes';
import {
  CONDITION_CODES,
  IMAGING,
  LAB_CODES,
  PROCEDURE_CODES,
  SYSTEMIC_THERAPY,
  SYSTEMS,
  codingOf,
  type AnalyteId,
  type SystemicAgentId,
  type ValueSetCoding,
} from '../../src/fhir/codes';
import type { ScenarioBuilder } from './builder';

export const PRACTITIONER_ID = 'sandbox-practitioner';
export const PRACTITIONER_REF = `Practitioner/${PRACTITIONER_ID}`;
const MRN_SYSTEM = 'http://sandbox.tace-navigator.local/fhir/mrn';
const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';

const coding = (c: ValueSetCoding): Coding => ({ system: c.system, code: c.code, display: c.display });

// ---------------------------------------------------------------------------------------------------------------
// Patient, encounter, practitioner, conditions
// ---------------------------------------------------------------------------------------------------------------

export function sandboxPractitioner(): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: PRACTITIONER_ID,
    active: true,
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '9999999999' }],
    name: [
      {
        use: 'official',
        family: 'Hepatology',
        given: ['Sandbox'],
        prefix: ['Dr.'],
        text: 'Dr. Sandbox Hepatology',
      },
    ],
  };
}

export interface PatientSpec {
  family: string;
  given: string[];
  gender: 'male' | 'female';
  birthDate: string;
  mrn: string;
}

export function patient(b: ScenarioBuilder, spec: PatientSpec): Patient {
  return b.add<Patient>({
    resourceType: 'Patient',
    id: b.id,
    active: true,
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [{ system: SYSTEMS.v2IdentifierType, code: 'MR', display: 'Medical record number' }],
          text: 'MRN',
        },
        system: MRN_SYSTEM,
        value: spec.mrn,
      },
    ],
    name: [
      {
        use: 'official',
        family: spec.family,
        given: spec.given,
        text: `${spec.given.join(' ')} ${spec.family} (synthetic)`,
      },
    ],
    gender: spec.gender,
    birthDate: spec.birthDate,
    generalPractitioner: [{ reference: PRACTITIONER_REF, display: 'Dr. Sandbox Hepatology' }],
  });
}

/** The launch-context encounter: `<scenario>-enc`, in progress, ambulatory, today. */
export function launchEncounter(b: ScenarioBuilder): Encounter {
  return b.add<Encounter>({
    resourceType: 'Encounter',
    id: `${b.id}-enc`,
    status: 'in-progress',
    class: { system: SYSTEMS.v3ActCode, code: 'AMB', display: 'ambulatory' },
    type: [{ text: 'Hepatology clinic visit' }],
    subject: { reference: b.patientRef },
    participant: [{ individual: { reference: PRACTITIONER_REF, display: 'Dr. Sandbox Hepatology' } }],
    period: { start: b.dateTime(0, 8 * 60 + 30) },
    reasonReference: [{ reference: b.hccRef }],
  });
}

export function hccCondition(b: ScenarioBuilder, onsetDay: number, stageText?: string): Condition {
  const hcc = CONDITION_CODES.hcc;
  return b.add<Condition>({
    resourceType: 'Condition',
    id: `${b.id}-cond-hcc`,
    clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' }] },
    verificationStatus: {
      coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' }],
    },
    category: [
      {
        coding: [
          { system: SYSTEMS.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' },
        ],
      },
    ],
    code: {
      coding: [
        coding(codingOf(hcc, SYSTEMS.icd10cm, 'C22.0')),
        coding(codingOf(hcc, SYSTEMS.snomed, '25370001')),
      ],
      text: 'Hepatocellular carcinoma',
    },
    subject: { reference: b.patientRef },
    onsetDateTime: b.date(onsetDay),
    recordedDate: b.date(onsetDay + 2),
    recorder: { reference: PRACTITIONER_REF },
    ...(stageText ? { stage: [{ summary: { text: stageText } }] } : {}),
  });
}

export interface OtherConditionSpec {
  day: number;
  code: { system: string; code: string; display: string };
  text: string;
  category?: 'problem-list-item' | 'encounter-diagnosis';
}

export function otherCondition(b: ScenarioBuilder, spec: OtherConditionSpec): Condition {
  const category = spec.category ?? 'problem-list-item';
  return b.add<Condition>({
    resourceType: 'Condition',
    id: b.nextId('cond'),
    clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' }] },
    verificationStatus: {
      coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' }],
    },
    category: [
      {
        coding: [
          {
            system: SYSTEMS.conditionCategory,
            code: category,
            display: category === 'problem-list-item' ? 'Problem List Item' : 'Encounter Diagnosis',
          },
        ],
      },
    ],
    code: { coding: [spec.code], text: spec.text },
    subject: { reference: b.patientRef },
    onsetDateTime: b.date(spec.day),
    recordedDate: b.date(spec.day),
  });
}

/** ICD-10-CM codes used by the stories (clinical-reference.md §5 "Conditions"). */
export const ICD = {
  pvt: { system: SYSTEMS.icd10cm, code: 'I81', display: 'Portal vein thrombosis' },
  lungMets: {
    system: SYSTEMS.icd10cm,
    code: 'C78.00',
    display: 'Secondary malignant neoplasm of unspecified lung',
  },
  otherAscites: { system: SYSTEMS.icd10cm, code: 'R18.8', display: 'Other ascites' },
  cirrhosis: { system: SYSTEMS.icd10cm, code: 'K74.60', display: 'Unspecified cirrhosis of liver' },
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Labs
// ---------------------------------------------------------------------------------------------------------------

interface LabVariantDef {
  analyte: AnalyteId;
  loinc: string;
  text: string;
  unit: string;
  ucum: string;
  decimals: number;
  low?: number;
  high?: number;
  /** labPanel() takes canonical values (ng/mL, g/dL, mg/dL): variant value = canonical × factor. */
  factor?: number;
}

/** Lab variants: one analyte may be reported under several LOINC codes and units across sites (§4, §5). */
export const LAB_VARIANTS = {
  afpNg: {
    analyte: 'afp',
    loinc: '1834-1',
    text: 'AFP',
    unit: 'ng/mL',
    ucum: 'ng/mL',
    decimals: 1,
    high: 10,
  },
  afpNgIa: {
    analyte: 'afp',
    loinc: '83073-7',
    text: 'ALPHA-FETOPROTEIN (AFP), SERUM',
    unit: 'ng/mL',
    ucum: 'ng/mL',
    decimals: 1,
    high: 8.3,
  },
  afpIu: {
    analyte: 'afp',
    loinc: '19176-7',
    text: 'AFP TUMOR MARKER',
    unit: 'IU/mL',
    ucum: '[IU]/mL',
    decimals: 1,
    high: 6.7,
    factor: 1 / 1.21, // ng/mL = IU/mL × 1.21 (clinical-reference.md §4, verify)
  },
  afpL3: { analyte: 'afpL3', loinc: '42332-7', text: 'AFP-L3%', unit: '%', ucum: '%', decimals: 1, high: 10 },
  pivkaMau: {
    analyte: 'pivka',
    loinc: '93768-0',
    text: 'PIVKA-II',
    unit: 'mAU/mL',
    ucum: 'm[AU]/mL',
    decimals: 0,
    high: 40,
  },
  pivkaNg: {
    analyte: 'pivka',
    loinc: '34444-0',
    text: 'DCP',
    unit: 'ng/mL',
    ucum: 'ng/mL',
    decimals: 1,
    high: 7.5,
  },
  albGdl: {
    analyte: 'albumin',
    loinc: '1751-7',
    text: 'ALBUMIN',
    unit: 'g/dL',
    ucum: 'g/dL',
    decimals: 1,
    low: 3.5,
    high: 5.0,
  },
  albGl: {
    analyte: 'albumin',
    loinc: '61151-7',
    text: 'Albumin (BCG)',
    unit: 'g/L',
    ucum: 'g/L',
    decimals: 0,
    low: 35,
    high: 50,
    factor: 10,
  },
  biliMgdl: {
    analyte: 'bilirubin',
    loinc: '1975-2',
    text: 'BILIRUBIN, TOTAL',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 1,
    low: 0.2,
    high: 1.2,
  },
  biliUmol: {
    analyte: 'bilirubin',
    loinc: '14631-6',
    text: 'Bilirubin total',
    unit: 'µmol/L',
    ucum: 'umol/L',
    decimals: 0,
    low: 3,
    high: 21,
    factor: 17.1,
  },
  /** A site that reports µmol/L under the mass-concentration code 1975-2 (seen in the wild; the unit decides). */
  biliUmolMassCode: {
    analyte: 'bilirubin',
    loinc: '1975-2',
    text: 'Bilirubin, total',
    unit: 'µmol/L',
    ucum: 'umol/L',
    decimals: 0,
    low: 3,
    high: 21,
    factor: 17.1,
  },
  inr: {
    analyte: 'inr',
    loinc: '6301-6',
    text: 'INR',
    unit: 'INR',
    ucum: '{INR}',
    decimals: 2,
    low: 0.9,
    high: 1.1,
  },
  plt: {
    analyte: 'platelets',
    loinc: '777-3',
    text: 'PLATELET COUNT',
    unit: 'K/uL',
    ucum: '10*3/uL',
    decimals: 0,
    low: 150,
    high: 400,
  },
  ast: {
    analyte: 'ast',
    loinc: '1920-8',
    text: 'AST (SGOT)',
    unit: 'U/L',
    ucum: 'U/L',
    decimals: 0,
    low: 10,
    high: 40,
  },
  alt: {
    analyte: 'alt',
    loinc: '1742-6',
    text: 'ALT (SGPT)',
    unit: 'U/L',
    ucum: 'U/L',
    decimals: 0,
    low: 7,
    high: 56,
  },
  creat: {
    analyte: 'creatinine',
    loinc: '2160-0',
    text: 'CREATININE',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    decimals: 2,
    low: 0.6,
    high: 1.2,
  },
  na: {
    analyte: 'sodium',
    loinc: '2951-2',
    text: 'SODIUM',
    unit: 'mmol/L',
    ucum: 'mmol/L',
    decimals: 0,
    low: 135,
    high: 145,
  },
  crp: {
    analyte: 'crp',
    loinc: '1988-5',
    text: 'C-REACTIVE PROTEIN',
    unit: 'mg/L',
    ucum: 'mg/L',
    decimals: 1,
    high: 5,
  },
} as const satisfies Record<string, LabVariantDef>;

export type LabVariant = keyof typeof LAB_VARIANTS;

/** Which variant a patient's site uses per analyte. */
export type LabProfile = Partial<Record<AnalyteId, LabVariant>>;

export const EPIC_PROFILE: LabProfile = {
  afp: 'afpNg',
  afpL3: 'afpL3',
  pivka: 'pivkaMau',
  albumin: 'albGdl',
  bilirubin: 'biliMgdl',
  inr: 'inr',
  platelets: 'plt',
  ast: 'ast',
  alt: 'alt',
  creatinine: 'creat',
  sodium: 'na',
  crp: 'crp',
};

export interface LabValue {
  value?: number;
  comparator?: '<' | '<=' | '>=' | '>';
  status?: Observation['status'];
  valueString?: string;
  dataAbsent?: 'error' | 'not-performed' | 'unknown' | 'asked-declined';
  note?: string;
}

export interface LabSpec extends LabValue {
  variant: LabVariant;
  day: number;
  /** Minute of the day the specimen was drawn (default 07:40 + a few minutes). */
  minute?: number;
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function interpretation(code: 'H' | 'L'): CodeableConcept[] {
  return [
    {
      coding: [{ system: SYSTEMS.v3ObservationInterpretation, code, display: code === 'H' ? 'High' : 'Low' }],
      text: code === 'H' ? 'High' : 'Low',
    },
  ];
}

export function labObservation(b: ScenarioBuilder, spec: LabSpec): Observation {
  const def: LabVariantDef = LAB_VARIANTS[spec.variant];
  const loincCoding = codingOf(LAB_CODES[def.analyte], SYSTEMS.loinc, def.loinc);
  const minute = spec.minute ?? 7 * 60 + 40 + b.int(0, 25);
  const status = spec.status ?? 'final';
  const obs: Observation = {
    resourceType: 'Observation',
    id: b.nextId('obs'),
    status,
    category: [
      {
        coding: [{ system: SYSTEMS.obsCategory, code: 'laboratory', display: 'Laboratory' }],
        text: 'Laboratory',
      },
    ],
    code: { coding: [coding(loincCoding)], text: def.text },
    subject: { reference: b.patientRef },
    effectiveDateTime: b.dateTime(spec.day, minute),
    issued: b.dateTime(spec.day, minute + 90 + b.int(0, 240)),
    performer: [{ reference: PRACTITIONER_REF, display: 'Dr. Sandbox Hepatology' }],
  };
  if (spec.value !== undefined && status !== 'cancelled') {
    const value = roundTo(spec.value, def.decimals);
    obs.valueQuantity = {
      value,
      unit: def.unit,
      system: SYSTEMS.ucum,
      code: def.ucum,
      ...(spec.comparator ? { comparator: spec.comparator } : {}),
    };
    // Epic sends H/L flags on most out-of-range results, not all: leave ~1 in 5 unflagged.
    const flag =
      def.high !== undefined && value > def.high && spec.comparator !== '<'
        ? 'H'
        : def.low !== undefined && value < def.low
          ? 'L'
          : undefined;
    if (flag && b.random() < 0.8) obs.interpretation = interpretation(flag);
  } else if (spec.valueString !== undefined) {
    obs.valueString = spec.valueString;
  } else if (spec.dataAbsent) {
    obs.dataAbsentReason = {
      coding: [{ system: SYSTEMS.dataAbsentReason, code: spec.dataAbsent }],
      text: spec.dataAbsent === 'error' ? 'Specimen error' : spec.dataAbsent,
    };
  }
  if (def.low !== undefined || def.high !== undefined) {
    const rr: NonNullable<Observation['referenceRange']>[number] = {};
    if (def.low !== undefined)
      rr.low = { value: def.low, unit: def.unit, system: SYSTEMS.ucum, code: def.ucum };
    if (def.high !== undefined)
      rr.high = { value: def.high, unit: def.unit, system: SYSTEMS.ucum, code: def.ucum };
    rr.text = `${def.low !== undefined ? `${def.low}-` : '<'}${def.high ?? ''} ${def.unit}`;
    obs.referenceRange = [rr];
  }
  if (spec.note) obs.note = [{ text: spec.note }];
  return b.add(obs);
}

/**
 * One blood draw: several analytes at the same time, each in the variant the patient's site uses.
 * Values are canonical (AFP ng/mL, albumin g/dL, bilirubin mg/dL; PIVKA-II in the variant's own unit family,
 * which has no conversion) and converted to the variant's unit here.
 */
export function labPanel(
  b: ScenarioBuilder,
  day: number,
  profile: LabProfile,
  values: Partial<Record<AnalyteId, number | LabValue>>,
): Observation[] {
  const minute = 7 * 60 + 30 + b.int(0, 60);
  const out: Observation[] = [];
  for (const [analyte, v] of Object.entries(values) as [AnalyteId, number | LabValue | undefined][]) {
    if (v === undefined) continue;
    const variant = profile[analyte];
    if (!variant) throw new Error(`${b.id}: no lab variant for ${analyte}`);
    const spec: LabValue = typeof v === 'number' ? { value: v } : v;
    const factor = (LAB_VARIANTS[variant] as LabVariantDef).factor ?? 1;
    const value = spec.value === undefined ? undefined : spec.value * factor;
    out.push(labObservation(b, { ...spec, value, variant, day, minute }));
  }
  return out;
}

/**
 * Oracle Health flavour: a lab coded only with the tenant's local Millennium code set 72 and a text
 * (shared/ehr-integration.md: "Oracle Health may code a result only with a local Millennium code set").
 */
export function millenniumLocalAfp(b: ScenarioBuilder, day: number, value: number): Observation {
  return b.add<Observation>({
    resourceType: 'Observation',
    id: b.nextId('obs'),
    status: 'final',
    category: [
      {
        coding: [{ system: SYSTEMS.obsCategory, code: 'laboratory', display: 'Laboratory' }],
        text: 'Laboratory',
      },
    ],
    code: {
      coding: [
        { system: SYSTEMS.cernerCodeSet72, code: '2798479', display: 'AFP Tumor Marker', userSelected: true },
      ],
      text: 'AFP Tumor Marker',
    },
    subject: { reference: b.patientRef },
    effectiveDateTime: b.dateTime(day, 9 * 60 + 5),
    issued: b.dateTime(day, 13 * 60 + 12),
    valueQuantity: { value, unit: 'ng/mL', system: SYSTEMS.ucum, code: 'ng/mL' },
    ...(value > 8.3 ? { interpretation: interpretation('H') } : {}),
    referenceRange: [
      {
        low: { value: 0, unit: 'ng/mL', system: SYSTEMS.ucum, code: 'ng/mL' },
        high: { value: 8.3, unit: 'ng/mL', system: SYSTEMS.ucum, code: 'ng/mL' },
        text: '0-8.3',
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Imaging
// ---------------------------------------------------------------------------------------------------------------

export type ImagingCode = keyof typeof IMAGING.reportCodes;

export interface ImagingSpec {
  day: number;
  code: ImagingCode;
  /** Reason for exam line. */
  history?: string;
  comparison?: string;
  findings: string;
  impression: string;
  /** DiagnosticReport.conclusion; defaults to the impression. */
  conclusion?: string;
  /** 'text' (default): base64 text/plain; 'html': base64 text/html; 'none': conclusion only. */
  form?: 'text' | 'html' | 'none';
  /** Replaces the generated HTML (adversarial fixtures). */
  rawHtml?: string;
  /** Also create an ImagingStudy and link it. */
  study?: boolean;
  status?: DiagnosticReport['status'];
  /** Line endings of the narrative and the conclusion: 'lf' (default) or 'crlf' (Windows-dictated reports). */
  lineEnding?: 'lf' | 'crlf';
  /**
   * A later addendum to this exam: a second version of the same report (same accession number, same
   * ImagingStudy, same exam time) issued `daysLater`, whose narrative begins "ADDENDUM:" and carries the original
   * report below it, the way PowerScribe/Epic addended reports read. The original stays `final`.
   */
  addendum?: { daysLater: number; text: string; status?: 'amended' | 'corrected' | 'appended' };
}

const EXAM_TITLES: Record<ImagingCode, { title: string; modality: 'CT' | 'MR'; technique: string }> = {
  ctChest: { title: 'CT CHEST', modality: 'CT', technique: 'Axial CT images of the chest were obtained.' },
  ctChestWContrast: {
    title: 'CT CHEST WITH IV CONTRAST',
    modality: 'CT',
    technique: 'Axial CT images of the chest after 80 mL intravenous iodinated contrast.',
  },
  mrAbdomen: {
    title: 'MRI ABDOMEN',
    modality: 'MR',
    technique: 'Multiplanar multisequence MRI of the abdomen including dynamic post-gadolinium phases.',
  },
  mrAbdomenWoWContrast: {
    title: 'MRI ABDOMEN WITHOUT AND WITH CONTRAST',
    modality: 'MR',
    technique:
      'Multiplanar multisequence MRI of the abdomen before and after gadoxetate disodium, with hepatobiliary phase.',
  },
  ctAbdomenPelvisWContrast: {
    title: 'CT ABDOMEN AND PELVIS WITH CONTRAST',
    modality: 'CT',
    technique: 'Multiphase CT of the abdomen and pelvis (late arterial, portal venous and delayed phases).',
  },
  ctAbdomenWoWContrast: {
    title: 'CT ABDOMEN WITHOUT AND WITH CONTRAST (LIVER PROTOCOL)',
    modality: 'CT',
    technique: 'Non-contrast, late arterial, portal venous and 3-minute delayed phases through the liver.',
  },
};

export function reportText(spec: ImagingSpec): string {
  const exam = EXAM_TITLES[spec.code];
  return [
    `EXAM: ${exam.title}`,
    '',
    `CLINICAL HISTORY: ${spec.history ?? 'Hepatocellular carcinoma. Treatment response assessment.'}`,
    '',
    `TECHNIQUE: ${exam.technique}`,
    '',
    `COMPARISON: ${spec.comparison ?? 'None available.'}`,
    '',
    'FINDINGS:',
    spec.findings,
    '',
    'IMPRESSION:',
    spec.impression,
    '',
    'Electronically signed by: Sandbox Radiology, MD (synthetic)',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function reportHtml(spec: ImagingSpec): string {
  const exam = EXAM_TITLES[spec.code];
  const para = (t: string) =>
    t
      .split('\n')
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('');
  return [
    '<html><body>',
    `<h3>${escapeHtml(exam.title)}</h3>`,
    `<p><b>CLINICAL HISTORY:</b> ${escapeHtml(spec.history ?? 'Hepatocellular carcinoma. Treatment response assessment.')}</p>`,
    `<p><b>TECHNIQUE:</b> ${escapeHtml(exam.technique)}</p>`,
    `<p><b>COMPARISON:</b> ${escapeHtml(spec.comparison ?? 'None available.')}</p>`,
    `<p><b>FINDINGS:</b></p>${para(spec.findings)}`,
    `<p><b>IMPRESSION:</b></p>${para(spec.impression)}`,
    '<p><i>Electronically signed by: Sandbox Radiology, MD (synthetic)</i></p>',
    '</body></html>',
  ].join('');
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const withLineEnding = (text: string, ending: ImagingSpec['lineEnding']) =>
  ending === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text;
const ACCESSION_SYSTEM = 'http://sandbox.tace-navigator.local/fhir/accession';

/** "2026-03-14T15:20:00Z" → "03/14/2026 15:20" (how a signature line shows the time). */
function signatureTime(instant: string): string {
  const [date = '', time = ''] = instant.split('T');
  const [y, m, d] = date.split('-');
  return `${m}/${d}/${y} ${time.slice(0, 5)}`;
}

export function imagingReport(b: ScenarioBuilder, spec: ImagingSpec): DiagnosticReport {
  const exam = EXAM_TITLES[spec.code];
  const codeDef = IMAGING.reportCodes[spec.code];
  const [catLoinc, catRad] = IMAGING.reportCategories;
  const minute = 10 * 60 + b.int(0, 300);
  const id = b.nextId('dr');
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id,
    status: spec.status ?? 'final',
    category: [{ coding: [coding(catLoinc), coding(catRad)], text: 'Radiology' }],
    code: { coding: [coding(codeDef)], text: exam.title },
    subject: { reference: b.patientRef },
    effectiveDateTime: b.dateTime(spec.day, minute),
    issued: b.dateTime(spec.day, minute + 120 + b.int(0, 600)),
    performer: [{ display: 'Sandbox Radiology' }],
    resultsInterpreter: [{ display: 'Sandbox Radiology, MD' }],
    conclusion: withLineEnding(spec.conclusion ?? spec.impression, spec.lineEnding),
  };
  const form = spec.form ?? 'text';
  if (form === 'text') {
    const text = withLineEnding(reportText(spec), spec.lineEnding);
    report.presentedForm = [
      { contentType: 'text/plain', language: 'en-US', data: base64(text), title: exam.title },
    ];
  } else if (form === 'html') {
    report.presentedForm = [
      { contentType: 'text/html', data: base64(spec.rawHtml ?? reportHtml(spec)), title: exam.title },
    ];
  }
  if (spec.study) {
    const studyId = b.nextId('img');
    b.add<ImagingStudy>({
      resourceType: 'ImagingStudy',
      id: studyId,
      status: 'available',
      subject: { reference: b.patientRef },
      started: report.effectiveDateTime,
      modality: [{ system: DICOM, code: exam.modality }],
      numberOfSeries: exam.modality === 'MR' ? 9 + b.int(0, 6) : 4 + b.int(0, 3),
      numberOfInstances: 300 + b.int(0, 900),
      description: exam.title,
    });
    report.imagingStudy = [{ reference: `ImagingStudy/${studyId}` }];
  }
  b.add(report);
  if (spec.addendum) addendumReport(b, spec, report, spec.addendum);
  return report;
}

/** The addended version of `original` (no PRNG draws: adding an addendum never shifts a scenario's other values). */
function addendumReport(
  b: ScenarioBuilder,
  spec: ImagingSpec,
  original: DiagnosticReport,
  addendum: NonNullable<ImagingSpec['addendum']>,
): DiagnosticReport {
  const accession = { system: ACCESSION_SYSTEM, value: `ACC-${original.id ?? ''}` };
  const accessionType = {
    coding: [{ system: SYSTEMS.v2IdentifierType, code: 'ACSN', display: 'Accession ID' }],
    text: 'Accession number',
  };
  original.identifier = [{ type: accessionType, ...accession }];
  const issued = new Date(Date.parse(original.issued ?? '') + addendum.daysLater * 86_400_000)
    .toISOString()
    .replace('.000Z', 'Z');
  const block = [
    'ADDENDUM:',
    addendum.text,
    '',
    `Addendum electronically signed by: Sandbox Radiology, MD (synthetic) on ${signatureTime(issued)}`,
    '',
    '*** ORIGINAL REPORT ***',
    '',
  ].join('\n');
  const copy: DiagnosticReport = {
    ...original,
    id: b.nextId('dr'),
    status: addendum.status ?? 'amended',
    identifier: [{ type: accessionType, ...accession }],
    issued,
    conclusion: withLineEnding(
      `ADDENDUM: ${addendum.text}\n\n${spec.conclusion ?? spec.impression}`,
      spec.lineEnding,
    ),
  };
  if (original.presentedForm?.[0]?.contentType === 'text/plain') {
    const text = withLineEnding(`${block}\n${reportText(spec)}`, spec.lineEnding);
    copy.presentedForm = [{ ...original.presentedForm[0], data: base64(text) }];
  } else if (original.presentedForm) {
    throw new Error(`${b.id}: addenda are generated for text/plain reports only`);
  }
  return b.add(copy);
}

/** mCODE CancerDiseaseStatus (clinical-reference.md §2; LOINC 97509-4, evidence type imaging). */
export function diseaseStatus(
  b: ScenarioBuilder,
  day: number,
  value: keyof typeof IMAGING.diseaseStatus.values,
  report?: DiagnosticReport,
): Observation {
  const ds = IMAGING.diseaseStatus;
  return b.add<Observation>({
    resourceType: 'Observation',
    id: b.nextId('obs'),
    meta: { profile: [ds.profile] },
    extension: [
      { url: ds.evidenceTypeExtension, valueCodeableConcept: { coding: [coding(ds.evidenceImaging)] } },
    ],
    status: 'final',
    category: [{ coding: [{ system: SYSTEMS.obsCategory, code: 'survey', display: 'Survey' }] }],
    code: { coding: [coding(ds.code)], text: 'Cancer disease status' },
    subject: { reference: b.patientRef },
    focus: [{ reference: b.hccRef }],
    effectiveDateTime: b.dateTime(day, 16 * 60),
    performer: [{ reference: PRACTITIONER_REF }],
    valueCodeableConcept: { coding: [coding(ds.values[value])], text: ds.values[value].display },
    ...(report ? { derivedFrom: [{ reference: `DiagnosticReport/${report.id}` }] } : {}),
  });
}

/** Tumour size (LOINC 21889-1) as a structured Observation derived from a report. */
export function tumorSize(
  b: ScenarioBuilder,
  day: number,
  cm: number,
  report: DiagnosticReport,
): Observation {
  return b.add<Observation>({
    resourceType: 'Observation',
    id: b.nextId('obs'),
    status: 'final',
    category: [{ coding: [{ system: SYSTEMS.obsCategory, code: 'imaging', display: 'Imaging' }] }],
    code: { coding: [coding(IMAGING.tumorSize)], text: 'Largest tumor diameter' },
    subject: { reference: b.patientRef },
    focus: [{ reference: b.hccRef }],
    effectiveDateTime: report.effectiveDateTime ?? b.dateTime(day, 12 * 60),
    valueQuantity: { value: cm, unit: 'cm', system: SYSTEMS.ucum, code: 'cm' },
    derivedFrom: [{ reference: `DiagnosticReport/${report.id}` }],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Procedures
// ---------------------------------------------------------------------------------------------------------------

/** How a TACE is coded: each shape appears in real feeds (clinical-reference.md §5 "Procedures"). */
export type TaceCoding = 'ctace' | 'debTace' | 'legacyCpt' | 'textOnly' | 'cptOnly';

const CPT_37243 = () => coding(codingOf(PROCEDURE_CODES.tace, SYSTEMS.cpt, '37243'));
const SNOMED_TACE = () => coding(codingOf(PROCEDURE_CODES.tace, SYSTEMS.snomed, '233527006'));

export interface ProcedureSpec {
  day: number;
  code: CodeableConcept;
  status?: Procedure['status'];
  statusReasonText?: string;
  /** Procedure duration in minutes: when set, performedPeriod is used instead of performedDateTime. */
  durationMinutes?: number;
  bodySiteText?: string;
  note?: string;
}

export function procedure(b: ScenarioBuilder, spec: ProcedureSpec): Procedure {
  const start = 9 * 60 + b.int(0, 240);
  const status = spec.status ?? 'completed';
  const proc: Procedure = {
    resourceType: 'Procedure',
    id: b.nextId('proc'),
    status,
    category: { text: 'Interventional radiology' },
    code: spec.code,
    subject: { reference: b.patientRef },
    performer: [{ actor: { reference: PRACTITIONER_REF, display: 'Dr. Sandbox Hepatology' } }],
    reasonReference: [{ reference: b.hccRef }],
  };
  if (spec.durationMinutes !== undefined) {
    proc.performedPeriod = {
      start: b.dateTime(spec.day, start),
      end: b.dateTime(spec.day, start + spec.durationMinutes),
    };
  } else {
    proc.performedDateTime = b.dateTime(spec.day, start);
  }
  if (status === 'not-done' && spec.statusReasonText) proc.statusReason = { text: spec.statusReasonText };
  if (spec.bodySiteText) proc.bodySite = [{ text: spec.bodySiteText }];
  if (spec.note) proc.note = [{ text: spec.note }];
  return b.add(proc);
}

export interface TaceSpec extends Omit<ProcedureSpec, 'code'> {
  coding?: TaceCoding;
  /** Segment / target wording used in the text. */
  target?: string;
  drug?: string;
}

export function taceProcedure(b: ScenarioBuilder, spec: TaceSpec): Procedure {
  const kind = spec.coding ?? 'ctace';
  const target = spec.target ?? 'segment 8';
  let code: CodeableConcept;
  switch (kind) {
    case 'ctace':
      code = {
        coding: [CPT_37243(), SNOMED_TACE()],
        text: `Conventional TACE (lipiodol + ${spec.drug ?? 'epirubicin'}), ${target}`,
      };
      break;
    case 'debTace':
      code = {
        coding: [CPT_37243(), SNOMED_TACE()],
        text: `DEB-TACE with ${spec.drug ?? 'doxorubicin'}-loaded beads (100-300 um), ${target}`,
      };
      break;
    case 'legacyCpt':
      code = {
        coding: [
          coding(codingOf(PROCEDURE_CODES.tace, SYSTEMS.cpt, '37204')),
          coding(codingOf(PROCEDURE_CODES.tace, SYSTEMS.cpt, '75894')),
        ],
        text: `Hepatic artery chemoembolization, ${target}`,
      };
      break;
    case 'cptOnly':
      code = { coding: [CPT_37243()], text: 'IR EMBOLIZATION TUMOR' };
      break;
    case 'textOnly':
      code = { text: `Chemoembolization, hepatic artery, ${target}` };
      break;
  }
  return procedure(b, {
    durationMinutes: 75 + b.int(0, 60),
    bodySiteText: `Liver, ${target}`,
    ...spec,
    code,
  });
}

export type OtherProcedureKind = 'rfa' | 'resection' | 'tare' | 'haic';

export function otherProcedure(
  b: ScenarioBuilder,
  kind: OtherProcedureKind,
  spec: Omit<ProcedureSpec, 'code'> & { text?: string },
): Procedure {
  let code: CodeableConcept;
  switch (kind) {
    case 'rfa':
      code = {
        coding: [coding(codingOf(PROCEDURE_CODES.ablation, SYSTEMS.cpt, '47382'))],
        text: spec.text ?? 'Percutaneous radiofrequency ablation of liver tumor',
      };
      break;
    case 'resection':
      code = {
        coding: [coding(codingOf(PROCEDURE_CODES.resection, SYSTEMS.cpt, '47120'))],
        text: spec.text ?? 'Partial hepatectomy',
      };
      break;
    case 'tare':
      code = {
        coding: [
          coding(codingOf(PROCEDURE_CODES.tare, SYSTEMS.cpt, '79445')),
          CPT_37243(),
          coding(codingOf(PROCEDURE_CODES.tare, SYSTEMS.hcpcs, 'S2095')),
        ],
        text: spec.text ?? 'Y-90 radioembolization (TARE), glass microspheres',
      };
      break;
    case 'haic':
      code = {
        coding: [coding(codingOf(PROCEDURE_CODES.haic, SYSTEMS.cpt, '96422'))],
        text: spec.text ?? 'HAIC (hepatic arterial infusion chemotherapy), FOLFOX via port',
      };
      break;
  }
  return procedure(b, { ...spec, code });
}

// ---------------------------------------------------------------------------------------------------------------
// Systemic therapy
// ---------------------------------------------------------------------------------------------------------------

export interface MedicationSpec {
  agent: SystemicAgentId;
  day: number;
  status: 'active' | 'completed' | 'stopped';
  dosage: string;
  endDay?: number;
}

export function medicationRequest(b: ScenarioBuilder, spec: MedicationSpec): MedicationRequest {
  const entry = SYSTEMIC_THERAPY[spec.agent];
  const rx = entry.codes[0];
  return b.add<MedicationRequest>({
    resourceType: 'MedicationRequest',
    id: b.nextId('med'),
    status: spec.status,
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
            code: 'outpatient',
            display: 'Outpatient',
          },
        ],
      },
    ],
    medicationCodeableConcept: rx ? { coding: [coding(rx)], text: entry.display } : { text: entry.display },
    subject: { reference: b.patientRef },
    authoredOn: b.date(spec.day),
    requester: { reference: PRACTITIONER_REF, display: 'Dr. Sandbox Hepatology' },
    reasonReference: [{ reference: b.hccRef }],
    dosageInstruction: [{ text: spec.dosage }],
    ...(spec.endDay !== undefined
      ? { dispenseRequest: { validityPeriod: { start: b.date(spec.day), end: b.date(spec.endDay) } } }
      : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Story helpers
// ---------------------------------------------------------------------------------------------------------------

/** value × (1 ± fraction), uniformly. */
export function jitter(b: ScenarioBuilder, value: number, fraction = 0.05): number {
  return value * (1 + (b.random() * 2 - 1) * fraction);
}

/** Routine liver / renal / inflammatory values (canonical units), lightly jittered. */
export interface Routine {
  albumin: number;
  bilirubin: number;
  inr: number;
  platelets: number;
  ast: number;
  alt: number;
  creatinine: number;
  sodium: number;
  crp: number;
}

export function routine(b: ScenarioBuilder, r: Routine, fraction = 0.04): Partial<Record<AnalyteId, number>> {
  return {
    albumin: jitter(b, r.albumin, fraction),
    bilirubin: jitter(b, r.bilirubin, fraction * 2),
    inr: jitter(b, r.inr, fraction / 2),
    platelets: jitter(b, r.platelets, fraction * 2),
    ast: jitter(b, r.ast, fraction * 3),
    alt: jitter(b, r.alt, fraction * 3),
    creatinine: jitter(b, r.creatinine, fraction),
    sodium: jitter(b, r.sodium, 0.01),
    crp: jitter(b, r.crp, fraction * 4),
  };
}

export interface ScenarioDef {
  id: string;
  title: string;
  summary: string;
  build(b: ScenarioBuilder): void;
}
