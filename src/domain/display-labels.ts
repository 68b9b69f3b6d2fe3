/**
 * Words a clinician reads, for the screen, the chart and the note alike (ARCHITECTURE.md "one display-label
 * module"): response categories, units, analytes, treatments, systemic agents, intents, thresholds and settings.
 * Codes and constant names never reach text; anything this module does not know is shown as given, never hidden.
 */
import type { Modality, ResponseCategory, ResponseScale } from './imaging';
import type { AnalyteId } from './labs';
import type { SystemicAgent, TreatmentKind } from './treatments';

const SCALE_NAMES: Record<ResponseScale, string> = {
  mrecist: 'mRECIST',
  easl: 'EASL',
  recist: 'RECIST 1.1',
  'lirads-tr': 'LI-RADS TR',
  recicl: 'RECICL',
  'mcode-status': 'mCODE disease status',
};

export function scaleLabel(scale: ResponseScale | string): string {
  return (SCALE_NAMES as Record<string, string>)[scale] ?? scale;
}

/**
 * Response categories in words. mRECIST / EASL / RECIST: CR, PR, SD, PD; NR = "no objective response" (SD or PD,
 * stated without saying which). LI-RADS TR v2018: its four categories. RECICL (clinical-reference §2): TE4 = 100 %
 * necrosis (or 100 % shrinkage), TE3 = 50 % to < 100 %, TE2 = any other effect, TE1 = tumour enlargement (the
 * threshold depends on the edition, so no number is given here). mCODE disease status: its four values.
 * "OR" is the engine's session-level class (engine/findings.ts `responseClass`, result.taceSessions[].response
 * .category): an objective response — mRECIST or EASL complete or partial response, mCODE "improved", RECICL TE4 or
 * LI-RADS TR nonviable — without saying which; "SD" and "PD" there are stable and progressive disease.
 */
const RESPONSE_WORDS: Record<string, string> = {
  CR: 'complete response',
  PR: 'partial response',
  SD: 'stable disease',
  PD: 'progressive disease',
  NR: 'no objective response',
  OR: 'objective response (complete or partial)',
  viable: 'viable',
  nonviable: 'nonviable',
  equivocal: 'equivocal',
  nonevaluable: 'not evaluable',
  TE1: 'TE1 (tumour enlarged)',
  TE2: 'TE2 (effect other than TE3 or TE1)',
  TE3: 'TE3 (50 % to < 100 % necrotic or shrunk)',
  TE4: 'TE4 (100 % necrotic or shrunk)',
  improved: 'improved',
  stable: 'stable',
  worsened: 'worsened',
  undetermined: 'undetermined',
};

/** True when `value` is a response-category code this module puts in words ("SD", "viable", "TE3", …). */
export function isResponseCode(value: unknown): value is string {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RESPONSE_WORDS, value);
}

/** A category in words without its scale: "stable disease". */
export function responseWords(category: ResponseCategory | string): string {
  return (
    (Object.prototype.hasOwnProperty.call(RESPONSE_WORDS, category) ? RESPONSE_WORDS[category] : undefined) ??
    category
  );
}

/**
 * "stable disease (mRECIST)", "viable (LI-RADS TR)", "worsened (mCODE disease status)"; RECICL, whose words carry
 * their own brackets, reads "RECICL TE3 (50 % to < 100 % necrotic or shrunk)".
 */
export function responseLabel(scale: ResponseScale | string, category: ResponseCategory | string): string {
  if (scale === 'recicl' && /^TE[1-4]$/.test(category))
    return `${scaleLabel(scale)} ${responseWords(category)}`;
  return `${responseWords(category)} (${scaleLabel(scale)})`;
}

/**
 * The session-level response class of result.taceSessions[].response.category ('OR' | 'SD' | 'PD' | null) in words:
 * "objective response (complete or partial)", "stable disease", "progressive disease", "not determined".
 */
export function sessionResponseLabel(category: string | null | undefined): string {
  if (category === null || category === undefined || category === '') return 'not determined';
  return responseWords(category);
}

/** UCUM for reading: `[IU]/mL` → IU/mL, `umol/L` → µmol/L, `10*9/L` → ×10⁹/L, `{INR}` → (no unit). */
export function unitLabel(unit: string | undefined): string {
  if (!unit) return '';
  const known: Record<string, string> = {
    'umol/L': 'µmol/L',
    'mmol/L': 'mmol/L',
    '10*9/L': '×10⁹/L',
    '10*3/uL': '×10³/µL',
    '/uL': '/µL',
    '{INR}': '',
    '{ratio}': '',
    '{score}': '',
    '1': '',
    s: 's',
    a: 'years',
    mo: 'months',
    wk: 'weeks',
    d: 'days',
    h: 'hours',
    min: 'min',
    'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  };
  if (unit in known) return known[unit] as string;
  return unit
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[iU\]/g, 'IU')
    .replace(/[[\]]/g, '')
    .replace(/10\*(\d+)/g, (_, p: string) => `×10${superscript(p)}`)
    .replace(/\bu(mol|g|L|U)\b/g, 'µ$1')
    .trim();
}

function superscript(digits: string): string {
  const map: Record<string, string> = {
    '0': '⁰',
    '1': '¹',
    '2': '²',
    '3': '³',
    '4': '⁴',
    '5': '⁵',
    '6': '⁶',
    '7': '⁷',
    '8': '⁸',
    '9': '⁹',
  };
  return [...digits].map((d) => map[d] ?? d).join('');
}

const ANALYTE_NAMES: Record<AnalyteId, string> = {
  afp: 'AFP',
  afpL3: 'AFP-L3',
  pivka: 'PIVKA-II (DCP)',
  'pivka-ng': 'PIVKA-II (DCP)',
  albumin: 'albumin',
  bilirubin: 'total bilirubin',
  inr: 'INR',
  ptSeconds: 'prothrombin time',
  platelets: 'platelets',
  ast: 'AST',
  alt: 'ALT',
  creatinine: 'creatinine',
  sodium: 'sodium',
  crp: 'CRP',
};

export function analyteLabel(id: AnalyteId | string): string {
  return (ANALYTE_NAMES as Record<string, string>)[id] ?? id.toLowerCase();
}

const TREATMENT_NAMES: Record<TreatmentKind, string> = {
  'tace-conventional': 'conventional TACE (cTACE)',
  'tace-deb': 'DEB-TACE',
  'tace-unspecified': 'TACE (technique not recorded)',
  tae: 'TAE (bland embolization)',
  tare: 'TARE (radioembolization)',
  haic: 'HAIC',
  ablation: 'ablation (RFA/MWA)',
  resection: 'resection',
  transplant: 'liver transplant',
  other: 'other liver procedure',
};

export function treatmentLabel(kind: TreatmentKind | string): string {
  return (TREATMENT_NAMES as Record<string, string>)[kind] ?? kind;
}

/** Short form for chart labels: "cTACE", "DEB-TACE", "TACE", "TAE", "TARE", "HAIC", "RFA", … */
const TREATMENT_SHORT: Record<TreatmentKind, string> = {
  'tace-conventional': 'cTACE',
  'tace-deb': 'DEB-TACE',
  'tace-unspecified': 'TACE',
  tae: 'TAE',
  tare: 'TARE',
  haic: 'HAIC',
  ablation: 'RFA/MWA',
  resection: 'resection',
  transplant: 'transplant',
  other: 'procedure',
};

export function treatmentShortLabel(kind: TreatmentKind | string): string {
  return (TREATMENT_SHORT as Record<string, string>)[kind] ?? kind;
}

/** Generic drug names, lower case as written in prose ("lenvatinib"); an all-capitals name is lowered. */
export function systemicAgentLabel(agent: SystemicAgent | string): string {
  return /^[A-Z][A-Z -]+$/.test(agent) ? agent.toLowerCase() : agent;
}

/** "atezolizumab + bevacizumab" for the pair, names joined with " + " otherwise, in a stable order. */
export function regimenLabel(agents: readonly (SystemicAgent | string)[]): string {
  const unique = [...new Set(agents)];
  const order = ['atezolizumab', 'bevacizumab', 'durvalumab', 'tremelimumab', 'nivolumab', 'pembrolizumab'];
  unique.sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0) return -1;
    if (ib >= 0) return 1;
    return a.localeCompare(b);
  });
  return unique.map(systemicAgentLabel).join(' + ');
}

const INTENT_NAMES: Record<string, string> = {
  curative: 'curative',
  palliative: 'palliative',
  unknown: 'not recorded',
};

export function intentLabel(intent: string | undefined): string {
  if (!intent) return 'not recorded';
  return INTENT_NAMES[intent] ?? intent;
}

const STATUS_NAMES: Record<string, string> = {
  met: 'Met',
  'not-met': 'Not met',
  indeterminate: 'Indeterminate',
};

export function statusLabel(status: string): string {
  return STATUS_NAMES[status] ?? status;
}

/**
 * Threshold and setting names in words. Keys are the rule files' `thresholds` keys (engine/criteria/*.ts,
 * engine/scores/*.ts) and the engine settings' names; an unknown key is turned from CONSTANT_CASE / camelCase into
 * lower-case words, never shown as the constant.
 */
const THRESHOLD_NAMES: Record<string, string> = {
  // criteria
  VIABLE_BOUNDARY_PERCENT: 'viable-tumour boundary',
  viableBoundary: 'boundary setting',
  JSH_CONSECUTIVE_SESSIONS: 'consecutive TACE sessions needed',
  LIPIODOL_INSUFFICIENT_MAX_PERCENT: 'insufficient lipiodol deposition, up to',
  imagingWindowMinDays: 'imaging window after TACE, from',
  imagingWindowMaxDays: 'imaging window after TACE, up to',
  MARKER_BASELINE_DAYS: 'marker baseline, within',
  MARKER_POST_FIRST_DAY: 'markers after TACE, from day',
  MARKER_POST_LAST_DAY: 'markers after TACE, up to day',
  MARKER_MIN_POST_VALUES: 'marker values needed after TACE',
  MARKER_RISE_FRACTION: 'marker rise over baseline, more than',
  MARKER_TRANSIENT_DIP_FRACTION: 'transient marker dip ignored, up to',
  MARKER_FALL_FRACTION: 'marker fall counted as a response, at least',
  markerSessions: 'sessions with rising markers',
  EPOIHCC_MIN_SESSIONS: 'TACE sessions needed',
  EPOIHCC_PERIOD_DAYS: 'within a period of',
  EUROPEAN_MIN_CYCLES: 'TACE cycles before progression counts',
  intent: 'treatment intent',
  UP_TO_SEVEN_MAX: 'up-to-seven (largest tumour in cm + number of tumours), at most',
  UP_TO_ELEVEN_MAX: 'up-to-11 (largest tumour in cm + number of tumours), at most',
  MALBI_2A_MAX: 'mALBI grade 2a, up to',
  CLINICAL_CR_MARKER_DAYS: 'tumour markers normal for more than',
  CLINICAL_CR_MIN_NORMAL_VALUES: 'normal marker results needed',
  MARKER_NORMAL_POLICY: 'normal-marker policy',
  DRUG_OFF_WEEKS_MIN: 'drug-off interval, shortest',
  DRUG_OFF_WEEKS_MAX: 'drug-off interval, longest',
  drugOffWeeks: 'drug-off interval',
  childPughAlbuminMiddleLow: 'Child-Pugh albumin band, lower edge',
  pairingDays: 'lab pairing window',
  recicl: 'RECICL edition',
  // scores
  ALBI_BILIRUBIN_COEFFICIENT: 'ALBI bilirubin coefficient (× log10 bilirubin in µmol/L)',
  ALBI_ALBUMIN_COEFFICIENT: 'ALBI albumin coefficient (× albumin in g/L)',
  ALBI_GRADE1_MAX: 'ALBI grade 1, up to',
  ALBI_GRADE2_MAX: 'ALBI grade 2, up to',
  ALBI_PAIRING_DAYS: 'albumin and bilirubin drawn within',
  CP_BILIRUBIN_LOW_MG_DL: 'Child-Pugh bilirubin, 1 point below',
  CP_BILIRUBIN_HIGH_MG_DL: 'Child-Pugh bilirubin, 3 points above',
  CP_ALBUMIN_HIGH_G_DL: 'Child-Pugh albumin, 1 point above',
  CP_ALBUMIN_MIDDLE_LOW_G_DL: 'Child-Pugh albumin, 3 points below',
  CP_INR_LOW: 'Child-Pugh INR, 1 point below',
  CP_INR_HIGH: 'Child-Pugh INR, 3 points above',
  CP_CLASS_A_MAX: 'Child-Pugh class A, up to',
  CP_CLASS_B_MAX: 'Child-Pugh class B, up to',
  MELD_LAB_FLOOR: 'MELD lab values below this are set to',
  MELD_CREATININE_CAP_MG_DL: 'MELD creatinine cap',
  MELD_NA_APPLIES_ABOVE: 'MELD-Na sodium term applies above MELD',
  MELD_NA_MIN: 'MELD-Na sodium, lowest',
  MELD_NA_MAX: 'MELD-Na sodium, highest',
  MELD_MAX_SCORE: 'MELD, highest',
  ART_FAVOURABLE_MAX: 'ART favourable, up to',
  ART_UNFAVOURABLE_MIN: 'ART do not repeat TACE, from',
  ABCR_CONTINUE_MAX: 'ABCR continue TACE, up to',
  ABCR_STOP_MIN: 'ABCR stop TACE, from',
  HAP_ALBUMIN_BELOW_G_L: 'HAP point: albumin below',
  HAP_AFP_ABOVE_NG_ML: 'HAP point: AFP above',
  HAP_BILIRUBIN_ABOVE_UMOL_L: 'HAP point: bilirubin above',
  HAP_DIAMETER_ABOVE_CM: 'HAP point: largest tumour above',
  HIEN_SESSIONS_ABOVE: 'prior TACE sessions flagged above',
  HIEN_ALBUMIN_MAX_G_DL: 'albumin flagged at or below',
  HIEN_AST_ABOVE_U_L: 'AST flagged above',
  HIEN_CRP_ABOVE_MG_L: 'CRP flagged above',
  HIEN_TUMOR_NUMBER_ABOVE: 'tumour number flagged above',
};

const THRESHOLD_UNITS: Record<string, string> = {
  VIABLE_BOUNDARY_PERCENT: '%',
  LIPIODOL_INSUFFICIENT_MAX_PERCENT: '%',
  imagingWindowMinDays: 'days',
  imagingWindowMaxDays: 'days',
  MARKER_BASELINE_DAYS: 'days before TACE',
  MARKER_RISE_FRACTION: '%',
  MARKER_TRANSIENT_DIP_FRACTION: '%',
  MARKER_FALL_FRACTION: '%',
  EPOIHCC_PERIOD_DAYS: 'days',
  CLINICAL_CR_MARKER_DAYS: 'days',
  DRUG_OFF_WEEKS_MIN: 'weeks',
  DRUG_OFF_WEEKS_MAX: 'weeks',
  drugOffWeeks: 'weeks',
  childPughAlbuminMiddleLow: 'g/dL',
  pairingDays: 'days',
  ALBI_PAIRING_DAYS: 'days',
  CP_BILIRUBIN_LOW_MG_DL: 'mg/dL',
  CP_BILIRUBIN_HIGH_MG_DL: 'mg/dL',
  CP_ALBUMIN_HIGH_G_DL: 'g/dL',
  CP_ALBUMIN_MIDDLE_LOW_G_DL: 'g/dL',
  CP_CLASS_A_MAX: 'points',
  CP_CLASS_B_MAX: 'points',
  MELD_CREATININE_CAP_MG_DL: 'mg/dL',
  MELD_NA_MIN: 'mmol/L',
  MELD_NA_MAX: 'mmol/L',
  HAP_ALBUMIN_BELOW_G_L: 'g/L',
  HAP_AFP_ABOVE_NG_ML: 'ng/mL',
  HAP_BILIRUBIN_ABOVE_UMOL_L: 'µmol/L',
  HAP_DIAMETER_ABOVE_CM: 'cm',
  HIEN_ALBUMIN_MAX_G_DL: 'g/dL',
  HIEN_AST_ABOVE_U_L: 'U/L',
  HIEN_CRP_ABOVE_MG_L: 'mg/L',
};

/** Keys whose value is a fraction (0.2) shown as a percentage (20 %). */
const FRACTION_KEYS = new Set([
  'MARKER_RISE_FRACTION',
  'MARKER_TRANSIENT_DIP_FRACTION',
  'MARKER_FALL_FRACTION',
]);

export function thresholdName(key: string): string {
  return THRESHOLD_NAMES[key] ?? constantToWords(key);
}

/**
 * "viable-tumour boundary: 50 %", "imaging window after TACE, from: 28 days", "marker rise over baseline, more
 * than: 20 %", "treatment intent: not recorded".
 */
export function thresholdLabel(key: string, value: number | string | boolean): string {
  return `${thresholdName(key)}: ${thresholdValue(key, value)}`;
}

/** The value of a threshold with its unit, in words ("50 %", "28 days", "viable ≥ 50 % is insufficient"). */
export function thresholdValue(key: string, value: number | string | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (key === 'viableBoundary') return boundaryValue(value);
  if (key === 'intent' && typeof value === 'string') return intentThresholdWords(value);
  if (key === 'markerSessions' && typeof value === 'number')
    return `${value} session${value === 1 ? '' : 's'}`;
  const fraction = FRACTION_KEYS.has(key) && typeof value === 'number';
  const unit = THRESHOLD_UNITS[key] ?? (/_PERCENT$|Percent$/.test(key) ? '%' : '');
  const shown = fraction ? String(Math.round((value as number) * 1000) / 10) : String(value);
  return `${shown.replace(/^-(?=\d)/, '−')}${unit ? ` ${unit}` : ''}`;
}

/** The European criterion's intent in force: "curative (clinician)" → "curative (entered by the clinician)". */
function intentThresholdWords(value: string): string {
  const m = /^(\w+)(?: \((clinician|coded)\))?$/.exec(value);
  if (!m) return value;
  const words = intentLabel(m[1]);
  if (m[2] === 'clinician') return `${words} (entered by the clinician)`;
  if (m[2] === 'coded') return `${words} (coded on the procedure)`;
  return words;
}

function boundaryValue(value: number | string): string {
  if (value === '>=50') return 'viable ≥ 50 % is insufficient';
  if (value === '>50') return 'viable > 50 % is insufficient';
  return String(value);
}

/**
 * Heading of one TACE session in the criteria detail and elsewhere: "TACE 1 — 2026-03-06 (conventional TACE)",
 * "TACE 3 — 2026-07-01 (technique not recorded)", "TAE 2 — 2026-05-02 (bland embolization)".
 */
export function taceSessionHeading(n: number, date: string, kind: TreatmentKind | string): string {
  const technique: Record<string, string> = {
    'tace-conventional': 'conventional TACE',
    'tace-deb': 'DEB-TACE',
    'tace-unspecified': 'technique not recorded',
    tae: 'bland embolization',
  };
  const name = kind === 'tae' ? 'TAE' : 'TACE';
  return `${name} ${n} — ${date.slice(0, 10)} (${technique[kind] ?? treatmentLabel(kind)})`;
}

/** CONSTANT_CASE or camelCase → "lower case words"; already-spaced text is returned unchanged. */
export function constantToWords(key: string): string {
  if (/\s/.test(key)) return key;
  return key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const CODE_SYSTEMS: Record<string, string> = {
  'http://loinc.org': 'LOINC',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://www.ama-assn.org/go/cpt': 'CPT',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'ICD-10-PCS',
  'http://terminology.hl7.org/CodeSystem/icd-o-3': 'ICD-O-3',
  'urn:oid:2.16.840.1.113883.6.43.1': 'ICD-O-3',
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'HCPCS',
  'http://unitsofmeasure.org': 'UCUM',
};

/** A searched `system|code` in words: "http://loinc.org|1751-7" → "LOINC 1751-7"; an unknown system is kept. */
export function codingLabel(systemAndCode: string): string {
  const bar = systemAndCode.lastIndexOf('|');
  if (bar < 0) return systemAndCode;
  const system = systemAndCode.slice(0, bar);
  const code = systemAndCode.slice(bar + 1);
  const name = CODE_SYSTEMS[system];
  if (name) return `${name} ${code}`;
  return system === '' ? code : `${code} (${system})`;
}

/** Abbreviations kept in capitals when an all-capitals EHR name is put in sentence case. */
const ABBREVIATIONS = new Set([
  'AFP',
  'ALT',
  'AST',
  'ALP',
  'GGT',
  'LDH',
  'BUN',
  'INR',
  'PT',
  'PTT',
  'CRP',
  'DCP',
  'PIVKA',
  'II',
  'HCC',
  'CT',
  'MR',
  'MRI',
  'US',
  'PET',
  'IV',
  'TACE',
  'TAE',
  'TARE',
  'HAIC',
  'RFA',
  'DEB',
  'CMP',
  'BMP',
  'CBC',
]);

/**
 * An EHR's all-capitals name in sentence case for reading ("SODIUM" → "Sodium", "BILIRUBIN, TOTAL" → "Bilirubin,
 * total", "AFP-L3%" unchanged); abbreviations and tokens with digits stay as written. Mixed-case names are kept.
 */
export function readableName(name: string): string {
  if (/[a-z]/.test(name) || !/[A-Z]{3}/.test(name)) return name;
  const lowered = name.replace(/[A-Z][A-Z0-9]*/g, (w) =>
    ABBREVIATIONS.has(w) || /\d/.test(w) ? w : w.toLowerCase(),
  );
  return lowered.replace(/^[^A-Za-z]*[a-z]/, (c) => c.toUpperCase());
}

/** A FHIR status code in words: "entered-in-error" → "entered in error", "not-done" → "not done". */
export function statusWords(status: string): string {
  return status.replace(/-/g, ' ');
}

const MODALITY_NAMES: Record<Modality, string> = {
  CT: 'CT',
  MR: 'MRI',
  US: 'ultrasound',
  PET: 'PET',
  XA: 'angiography',
  other: 'imaging',
};

/** "CT", "MRI", "ultrasound"; "imaging" when the modality is not known. */
export function modalityLabel(modality: Modality | undefined): string {
  return MODALITY_NAMES[modality ?? 'other'];
}
