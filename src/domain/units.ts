/**
 * Canonical units per analyte and the few conversions the app needs, as a small cited table.
 *
 * Why not a UCUM library: @lhncbc/ucum-lhc is 58 kB gz and cannot convert arbitrary [IU] units (AFP IU/mL needs an
 * analyte-specific factor) — shared/stack.md "Smaller choices". Unknown units are an error (the mapper turns them
 * into a DataIssue): never guess.
 */
import type { AnalyteId } from './labs';

/** Canonical UCUM unit per analyte. */
export const CANONICAL_UNITS: Readonly<Record<AnalyteId, string>> = {
  afp: 'ng/mL',
  afpL3: '%',
  pivka: 'm[AU]/mL',
  'pivka-ng': 'ng/mL',
  albumin: 'g/dL',
  bilirubin: 'mg/dL',
  inr: '{INR}',
  ptSeconds: 's',
  platelets: '10*3/uL',
  ast: 'U/L',
  alt: 'U/L',
  creatinine: 'mg/dL',
  sodium: 'mmol/L',
  crp: 'mg/L',
};

/**
 * AFP: 1 IU/mL = 1.21 ng/mL (WHO International Standard 72/225). clinical-reference.md §4 — confidence "verify":
 * kept a named, overridable constant and shown in the conversion text.
 */
export const AFP_NG_PER_IU = 1.21;

/**
 * Bilirubin: molar mass 584.66 g/mol, so 1 mg/dL = 10 mg/L ÷ 584.66 g/mol = 17.104 µmol/L; the clinical convention
 * (and Child-Pugh's 34/51 µmol/L boundaries, clinical-reference.md §3) uses 17.1.
 */
export const BILIRUBIN_UMOL_L_PER_MG_DL = 17.1;

/** Creatinine: molar mass 113.12 g/mol → 1 mg/dL = 88.4 µmol/L; 88.42 is the factor used by eGFR/MELD tools. */
export const CREATININE_UMOL_L_PER_MG_DL = 88.42;

/**
 * Creatinine in mmol/L (a few laboratories): 1 mmol/L = 1000 µmol/L (UCUM prefix m = 10⁻³, u = 10⁻⁶, exact), so
 * 1 mmol/L = 1000 / 88.42 = 11.31 mg/dL — the same 88.42 µmol/L per mg/dL as above (113.12 g/mol).
 */
export const CREATININE_UMOL_PER_MMOL = 1000;

/** Albumin: 1 g/dL = 10 g/L (SI prefix, exact). */
export const ALBUMIN_G_L_PER_G_DL = 10;

/** CRP: 1 mg/dL = 10 mg/L (SI prefix, exact). */
export const CRP_MG_L_PER_MG_DL = 10;

/** Enzymes: 1 µkat/L = 60 U/L (1 U = 1 µmol/min; 1 kat = 1 mol/s — SI definitions, exact). */
export const U_L_PER_UKAT_L = 60;

/**
 * Normalises a human or UCUM unit spelling to a comparison key: micro signs → u, "mcg"/"mcmol"/"micromol" → u…,
 * "/mcL" → "/ul", UCUM brackets dropped, "^", "E" and superscripts of a power of ten → "*", a leading "x" dropped,
 * spaces removed, lower-cased. Only spelling is normalised here; which keys an analyte accepts (the alias table)
 * is RULES below.
 * Examples: "µmol/L", "umol/L", "mcmol/L", "micromol/L" → "umol/l"; "[IU]/mL", "IU/ml" → "iu/ml"; "x10^3/uL",
 * "x10E3/uL", "10³/µL", "x10^3/mcL" → "10*3/ul".
 */
export function unitKey(unit: string): string {
  const cached = UNIT_KEY_CACHE.get(unit);
  if (cached !== undefined) return cached;
  const key = computeUnitKey(unit);
  if (UNIT_KEY_CACHE.size >= UNIT_CACHE_MAX) UNIT_KEY_CACHE.clear();
  UNIT_KEY_CACHE.set(unit, key);
  return key;
}

/**
 * Pure memo of unitKey: a patient's labs use a handful of unit spellings, normalised thousands of times (profiling
 * showed the regex chain as a top cost). Keyed by the immutable input string; cleared when full (bounded memory).
 */
const UNIT_KEY_CACHE = new Map<string, string>();
const UNIT_CACHE_MAX = 10_000;

const SUPERSCRIPT_DIGITS: Readonly<Record<string, string>> = {
  '\u00b3': '3',
  '\u2076': '6',
  '\u2079': '9',
};

function computeUnitKey(unit: string): string {
  return unit
    .trim()
    .replace(/[\u00b5\u03bc]/g, 'u')
    .replace(/^micro(?=[a-z])/i, 'u')
    .replace(/^mc(?=[a-z])/i, 'u')
    .replace(/\/mc(?=l$)/i, '/u')
    .replace(/\s+/g, '')
    .replace(/\[([a-z]+)\]/gi, '$1')
    .replace(/\^/g, '*')
    .replace(/10([\u00b3\u2076\u2079])/g, (_m, d: string) => `10*${SUPERSCRIPT_DIGITS[d] ?? d}`)
    .replace(/10e(?=\d)/gi, '10*')
    .replace(/^x(?=10)/i, '')
    .replace(/×(?=10)/g, '')
    .toLowerCase();
}

interface Rule {
  /** Unit keys (see unitKey) this rule accepts. */
  readonly keys: readonly string[];
  readonly factor: number;
  /** Plain-language conversion text; absent when the unit is only a different spelling of the canonical one. */
  readonly conversion?: string;
}

const same = (...keys: string[]): Rule => ({ keys, factor: 1 });

/** Accepted units per analyte. A unit not listed here is an error. */
const RULES: Readonly<Record<AnalyteId, readonly Rule[]>> = {
  afp: [
    same('ng/ml', 'ug/l'),
    {
      keys: ['iu/ml', 'kiu/l'],
      factor: AFP_NG_PER_IU,
      conversion: `IU/mL × ${AFP_NG_PER_IU} (WHO 72/225; verify)`,
    },
  ],
  afpL3: [same('%', 'percent')],
  pivka: [same('mau/ml')], // "m[AU]/mL" and "mAU/mL" share this key
  'pivka-ng': [same('ng/ml', 'ug/l')],
  albumin: [
    same('g/dl', 'gm/dl'), // "gm/dL": Epic and Oracle Health print grams as "gm"
    {
      keys: ['g/l', 'gm/l'],
      factor: 1 / ALBUMIN_G_L_PER_G_DL,
      conversion: `g/L ÷ ${ALBUMIN_G_L_PER_G_DL}`,
    },
  ],
  bilirubin: [
    same('mg/dl'),
    {
      keys: ['umol/l'],
      factor: 1 / BILIRUBIN_UMOL_L_PER_MG_DL,
      conversion: `µmol/L ÷ ${BILIRUBIN_UMOL_L_PER_MG_DL} (bilirubin 584.66 g/mol)`,
    },
  ],
  inr: [same('{inr}', 'inr', '{ratio}', 'ratio', '1', '')],
  ptSeconds: [same('s', 'sec', 'secs', 'second', 'seconds')],
  platelets: [
    // All the same number: 10³/µL = 10³/mm³ (1 mm³ = 1 µL) = 10⁹/L (1 L = 10⁶ µL) = 1/nL (UCUM n = 10⁻⁹).
    same(
      '10*3/ul',
      '10*9/l',
      'k/ul',
      'k/mm3',
      'thou/ul',
      'thousand/ul',
      'thousands/ul',
      '10*3/mm3',
      '10*3/cumm',
      '/nl',
      'g/l', // giga per litre, as some European labs print it
    ),
  ],
  ast: [
    same('u/l', 'iu/l', 'units/l'),
    { keys: ['ukat/l'], factor: U_L_PER_UKAT_L, conversion: `µkat/L × ${U_L_PER_UKAT_L}` },
  ],
  alt: [
    same('u/l', 'iu/l', 'units/l'),
    { keys: ['ukat/l'], factor: U_L_PER_UKAT_L, conversion: `µkat/L × ${U_L_PER_UKAT_L}` },
  ],
  creatinine: [
    same('mg/dl'),
    {
      keys: ['umol/l'],
      factor: 1 / CREATININE_UMOL_L_PER_MG_DL,
      conversion: `µmol/L ÷ ${CREATININE_UMOL_L_PER_MG_DL} (creatinine 113.12 g/mol)`,
    },
    {
      keys: ['mmol/l'],
      factor: CREATININE_UMOL_PER_MMOL / CREATININE_UMOL_L_PER_MG_DL,
      conversion: `mmol/L × ${CREATININE_UMOL_PER_MMOL} ÷ ${CREATININE_UMOL_L_PER_MG_DL} (creatinine 113.12 g/mol)`,
    },
  ],
  sodium: [same('mmol/l', 'meq/l')],
  crp: [
    same('mg/l', 'ug/ml'),
    { keys: ['mg/dl'], factor: CRP_MG_L_PER_MG_DL, conversion: `mg/dL × ${CRP_MG_L_PER_MG_DL}` },
  ],
};

export type UnitConversionResult =
  | {
      readonly ok: true;
      readonly value: number;
      readonly unit: string;
      readonly factor: number;
      /** Present only when the number changed. */
      readonly conversion?: string;
    }
  | { readonly ok: false; readonly error: string };

/**
 * The rule accepting a unit key for an analyte, by direct lookup: a map per analyte built once from RULES
 * (first rule listing the key wins, as a linear `find` would).
 */
const RULE_BY_KEY = new Map<AnalyteId, ReadonlyMap<string, Rule>>(
  (Object.keys(RULES) as AnalyteId[]).map((analyte) => {
    const byKey = new Map<string, Rule>();
    for (const rule of RULES[analyte]) for (const k of rule.keys) if (!byKey.has(k)) byKey.set(k, rule);
    return [analyte, byKey];
  }),
);

function ruleFor(analyte: AnalyteId, key: string): Rule | undefined {
  const byKey = RULE_BY_KEY.get(analyte);
  // An analyte outside the table fails as loudly as the former RULES[analyte].find did.
  if (!byKey) throw new TypeError(`no unit rules for analyte ${String(analyte)}`);
  return byKey.get(key);
}

/**
 * The value of toCanonical(analyte, value, unit) when it succeeds, else undefined: the same answer without the
 * result object (the lab mapper asks it for both bounds of every reference range).
 */
export function toCanonicalValue(
  analyte: AnalyteId,
  value: number,
  unit: string | undefined,
): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const rule = ruleFor(analyte, unitKey(unit ?? ''));
  if (!rule) return undefined;
  return rule.conversion === undefined ? value : value * rule.factor;
}

/**
 * Converts a value in `unit` to the canonical unit of `analyte`. `unit` may be a UCUM code or a common spelling;
 * undefined counts as "" (accepted only for unitless INR).
 */
export function toCanonical(
  analyte: AnalyteId,
  value: number,
  unit: string | undefined,
): UnitConversionResult {
  if (!Number.isFinite(value)) return { ok: false, error: `value ${String(value)} is not a finite number` };
  const rule = ruleFor(analyte, unitKey(unit ?? ''));
  if (!rule) {
    return {
      ok: false,
      error:
        unit === undefined || unit.trim() === ''
          ? `no unit given for ${analyte}`
          : `unit "${unit}" is not a known unit for ${analyte}`,
    };
  }
  const canonical = CANONICAL_UNITS[analyte];
  return rule.conversion === undefined
    ? { ok: true, value, unit: canonical, factor: 1 }
    : {
        ok: true,
        value: value * rule.factor,
        unit: canonical,
        factor: rule.factor,
        conversion: rule.conversion,
      };
}

/**
 * PIVKA-II/DCP unit family: `pivka` (mAU/mL) or `pivka-ng` (ng/mL, µg/L); undefined for anything else.
 * clinical-reference.md §4: the two families have no valid conversion and never share a series.
 */
export function pivkaFamily(unit: string | undefined): 'pivka' | 'pivka-ng' | undefined {
  const key = unitKey(unit ?? '');
  if (RULES.pivka.some((r) => r.keys.includes(key))) return 'pivka';
  if (RULES['pivka-ng'].some((r) => r.keys.includes(key))) return 'pivka-ng';
  return undefined;
}

/** Bilirubin mg/dL → µmol/L (ALBI uses µmol/L: Johnson, J Clin Oncol 2015). */
export function bilirubinToUmolPerL(mgPerDl: number): number {
  return mgPerDl * BILIRUBIN_UMOL_L_PER_MG_DL;
}

/** Albumin g/dL → g/L (ALBI uses g/L). */
export function albuminToGPerL(gPerDl: number): number {
  return gPerDl * ALBUMIN_G_L_PER_G_DL;
}

/**
 * Plausible range of a result, in the unit stated here (not necessarily the canonical one). A value outside it is
 * almost always a unit slip or a keying error — e.g. albumin "38 g/dL" (meant g/L) gave ALBI −31.5 "grade 1" — so
 * the mapper lists it as a DataIssue and does not use it; the engine skips it too. The bounds are wide on purpose:
 * they reject only values that cannot be a human serum result, never a merely abnormal one.
 *
 * Source: no primary reference fixes these limits; they are engine policy (confidence `verify`, as in
 * clinical-reference.md), set just outside the extremes reported in living patients and the analysers' reportable
 * ranges. Each row says why.
 */
export interface PlausibleRange {
  /** Name used in messages. */
  readonly label: string;
  readonly low: number;
  /** Infinity when there is no upper limit (tumour markers can exceed 10⁶). */
  readonly high: number;
  /** Unit of low/high (a unit toCanonical accepts for the analyte). */
  readonly unit: string;
  /** Why these limits (and "verify"). */
  readonly basis: string;
}

export const PLAUSIBLE_RANGES: Readonly<Record<AnalyteId, PlausibleRange>> = {
  afp: {
    label: 'AFP',
    low: 0,
    high: Infinity,
    unit: 'ng/mL',
    basis: 'a concentration: never negative; no upper limit (HCC can exceed 10⁶ ng/mL) — verify',
  },
  afpL3: {
    label: 'AFP-L3',
    low: 0,
    high: 100,
    unit: '%',
    basis: 'a fraction of total AFP: 0–100 % by definition',
  },
  pivka: {
    label: 'PIVKA-II',
    low: 0,
    high: Infinity,
    unit: 'mAU/mL',
    basis: 'a concentration: never negative; no upper limit (can exceed 10⁵ mAU/mL) — verify',
  },
  'pivka-ng': {
    label: 'PIVKA-II',
    low: 0,
    high: Infinity,
    unit: 'ng/mL',
    basis: 'a concentration: never negative; no upper limit — verify',
  },
  albumin: {
    label: 'albumin',
    low: 5,
    high: 70,
    unit: 'g/L',
    basis:
      'serum albumin below 5 or above 70 g/L is not seen in living patients (reference 35–50 g/L) — verify',
  },
  bilirubin: {
    label: 'total bilirubin',
    low: 1,
    high: 1000,
    unit: 'umol/L',
    basis: 'total bilirubin 1–1000 µmol/L (0.06–58 mg/dL) spans the reported extremes — verify',
  },
  inr: {
    label: 'INR',
    low: 0.5,
    high: 15,
    unit: '{INR}',
    basis: 'analysers rarely report an INR outside 0.5–15 — verify',
  },
  ptSeconds: {
    label: 'prothrombin time',
    low: 5,
    high: 200,
    unit: 's',
    basis: 'prothrombin time 5–200 s (reference about 11–13.5 s) — verify',
  },
  platelets: {
    label: 'platelets',
    low: 1,
    high: 3000,
    unit: '10*9/L',
    basis: 'platelet count 1–3000 × 10⁹/L spans the reported extremes — verify',
  },
  ast: {
    label: 'AST',
    low: 1,
    high: 50000,
    unit: 'U/L',
    basis: 'AST 1–50 000 U/L (acute liver failure reaches 10⁴) — verify',
  },
  alt: {
    label: 'ALT',
    low: 1,
    high: 50000,
    unit: 'U/L',
    basis: 'ALT 1–50 000 U/L (acute liver failure reaches 10⁴) — verify',
  },
  creatinine: {
    label: 'creatinine',
    low: 0.1,
    high: 30,
    unit: 'mg/dL',
    basis: 'creatinine 0.1–30 mg/dL (9–2650 µmol/L) spans the reported extremes — verify',
  },
  sodium: {
    label: 'sodium',
    low: 100,
    high: 180,
    unit: 'mmol/L',
    basis: 'serum sodium 100–180 mmol/L: beyond it is incompatible with life or an error — verify',
  },
  crp: {
    label: 'CRP',
    low: 0,
    high: 1000,
    unit: 'mg/L',
    basis: 'CRP 0–1000 mg/L (severe sepsis reaches about 500) — verify',
  },
};

/** toCanonical's factor from the unit of the analyte's plausible range, or undefined when it refuses that unit. */
function rangeFactor(analyte: AnalyteId): number | undefined {
  const t = toCanonical(analyte, 1, PLAUSIBLE_RANGES[analyte].unit);
  return t.ok ? t.factor : undefined;
}

/**
 * rangeFactor of every analyte of the tables, computed once at load: it depends only on the constant tables above
 * (plausibilityProblem runs for every lab value read).
 */
const RANGE_FACTORS: ReadonlyMap<AnalyteId, number> = new Map(
  (Object.keys(PLAUSIBLE_RANGES) as AnalyteId[]).flatMap((analyte): [AnalyteId, number][] => {
    const factor = rangeFactor(analyte);
    return factor === undefined ? [] : [[analyte, factor]];
  }),
);

/** Rounds for messages (6 significant digits removes conversion noise such as 379.99999999999994). */
function shown(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** The plausible range in words, e.g. "5–70 g/L" or "≥ 0 ng/mL". */
export function plausibleRangeText(analyte: AnalyteId): string {
  const r = PLAUSIBLE_RANGES[analyte];
  const unit = r.unit === '{INR}' ? '' : ` ${r.unit.replace(/^umol/, 'µmol')}`;
  return r.high === Infinity ? `≥ ${shown(r.low)}${unit}` : `${shown(r.low)}–${shown(r.high)}${unit}`;
}

/**
 * Why a value (in the analyte's canonical unit) is implausible, in words; undefined when it is plausible. Applies
 * to the reported number whatever its comparator: a detection limit outside the range is as much a unit slip as a
 * plain value (">2000 ng/mL" AFP is fine; "<380 g/L" albumin is not). Non-finite numbers are implausible.
 * Example: albumin 38 g/dL → "albumin 380 g/L is outside the plausible range 5–70 g/L".
 */
export function plausibilityProblem(analyte: AnalyteId, canonicalValue: number): string | undefined {
  const r = PLAUSIBLE_RANGES[analyte];
  // An analyte outside the table is computed (and fails) as before.
  const factor = RANGE_FACTORS.get(analyte) ?? rangeFactor(analyte);
  if (factor === undefined || !(factor > 0)) return undefined; // table unit unknown: a programming error caught by tests
  const v = canonicalValue / factor;
  if (Number.isFinite(v) && v >= r.low && v <= r.high) return undefined;
  const unit = r.unit === '{INR}' ? '' : ` ${r.unit.replace(/^umol/, 'µmol')}`;
  return `${r.label} ${shown(v)}${unit} is outside the plausible range ${plausibleRangeText(analyte)}`;
}

/** The plausible range in the analyte's canonical unit (for bounding censored values). */
export function plausibleCanonical(analyte: AnalyteId): { readonly low: number; readonly high: number } {
  const r = PLAUSIBLE_RANGES[analyte];
  const t = toCanonical(analyte, 1, r.unit);
  const f = t.ok ? t.factor : 1;
  return { low: r.low * f, high: r.high * f };
}
