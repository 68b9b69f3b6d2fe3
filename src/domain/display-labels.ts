/**
 * Words a clinician reads, for the screen, the chart and the note alike (ARCHITECTURE.md "one display-label
 * module"): response categories, units, analytes, treatments, systemic agents, intents, thresholds and settings.
 * Codes and constant names never reach text; anything this module does not know is shown as given, never hidden.
 */
import type { ResponseCategory, ResponseScale } from './imaging';
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

/** mRECIST / EASL / RECIST categories in words; "OR" = objective response (CR or PR, not said which). */
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
  TE2: 'TE2 (effect between TE1 and TE3)',
  TE3: 'TE3 (≥ 50 % necrotic or shrunk)',
  TE4: 'TE4 (100 % necrotic or gone)',
  improved: 'improved',
  stable: 'stable',
  worsened: 'worsened',
  undetermined: 'undetermined',
};

/** A category in words without its scale: "stable disease". */
export function responseWords(category: ResponseCategory | string): string {
  return RESPONSE_WORDS[category] ?? category;
}

/** "stable disease (mRECIST)", "viable (LI-RADS TR)", "worsened (mCODE disease status)". */
export function responseLabel(scale: ResponseScale | string, category: ResponseCategory | string): string {
  return `${responseWords(category)} (${scaleLabel(scale)})`;
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
    s: 's',
  };
  if (unit in known) return known[unit] as string;
  return unit
    .replace(/\{[^}]*\}/g, '')
    .replace(/[[\]]/g, '')
    .replace(/10\*(\d+)/g, (_, p: string) => `×10${superscript(p)}`)
    .replace(/\bu(mol|g|L)\b/g, 'µ$1')
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

export function systemicAgentLabel(agent: SystemicAgent | string): string {
  return agent;
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
 * Threshold and setting names in words with their values. Keys are the rule files' `thresholds` keys and the
 * engine settings' names; an unknown key is turned from CONSTANT_CASE / camelCase into lower-case words.
 */
const THRESHOLD_NAMES: Record<string, string> = {
  VIABLE_BOUNDARY_PERCENT: 'viable-tumour boundary',
  viableBoundary: 'viable-tumour boundary',
  imagingWindowMinDays: 'imaging window after TACE, from',
  imagingWindowMaxDays: 'imaging window after TACE, up to',
  markerSessions: 'sessions with rising markers',
  drugOffWeeks: 'drug-off interval',
  childPughAlbuminMiddleLow: 'Child-Pugh albumin band, lower edge',
  pairingDays: 'lab pairing window',
  recicl: 'RECICL edition',
};

const THRESHOLD_UNITS: Record<string, string> = {
  VIABLE_BOUNDARY_PERCENT: '%',
  imagingWindowMinDays: 'days',
  imagingWindowMaxDays: 'days',
  drugOffWeeks: 'weeks',
  childPughAlbuminMiddleLow: 'g/dL',
  pairingDays: 'days',
};

export function thresholdName(key: string): string {
  return THRESHOLD_NAMES[key] ?? constantToWords(key);
}

/** "viable-tumour boundary: 50 %", "imaging window after TACE, from: 28 days". */
export function thresholdLabel(key: string, value: number | string | boolean): string {
  const unit = THRESHOLD_UNITS[key] ?? (/_PERCENT$|Percent$/.test(key) ? '%' : '');
  const shown =
    typeof value === 'boolean'
      ? value
        ? 'yes'
        : 'no'
      : key === 'viableBoundary'
        ? boundaryValue(value)
        : value;
  return `${thresholdName(key)}: ${String(shown)}${unit ? ` ${unit}` : ''}`;
}

function boundaryValue(value: number | string): string {
  if (value === '>=50') return 'viable ≥ 50 % is insufficient';
  if (value === '>50') return 'viable > 50 % is insufficient';
  return String(value);
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
