import type { ImagingFindingType } from '../../domain/imaging';
import type { ClinicianInputs, GrossType, ImagingConfirmation, ImagingCorrection } from '../../engine/inputs';

/**
 * Clinician inputs survive a reload within the browser session. The key is made of the server URL and the patient
 * id only (ids, no other PHI) and never goes into the URL. sessionStorage may be shared between embedded instances
 * or dropped (shared/ehr-integration.md): keying by server + patient keeps patients apart, and a missing or
 * unreadable entry simply means "no corrections".
 */
export function inputsStorageKey(serverUrl: string, patientId: string): string {
  return `tace-navigator:inputs:${serverUrl}|${patientId}`;
}

const PRESENCE = ['present', 'absent', 'unknown'] as const;
const SCALES = ['mrecist', 'easl', 'recist', 'lirads-tr', 'recicl', 'mcode-status'] as const;
const CATEGORIES = [
  'CR',
  'PR',
  'SD',
  'PD',
  'NR',
  'viable',
  'nonviable',
  'equivocal',
  'nonevaluable',
  'TE1',
  'TE2',
  'TE3',
  'TE4',
  'improved',
  'stable',
  'worsened',
  'undetermined',
] as const;
const VP = ['Vp1', 'Vp2', 'Vp3', 'Vp4'] as const;
const FINDING_TYPES: readonly ImagingFindingType[] = [
  'response',
  'viable-percent',
  'lipiodol-deposition',
  'tumor-count',
  'largest-diameter',
  'new-lesions',
  'vascular-invasion',
  'extrahepatic-spread',
];
export const GROSS_TYPES: readonly GrossType[] = [
  'simple-nodular',
  'simple-nodular-extranodular-growth',
  'confluent-multinodular',
  'massive',
  'infiltrative',
  'multiple-disseminated',
  'poorly-differentiated',
  'sarcomatous-change',
];
/** Largest plausible values kept from storage; anything else is dropped, never clamped. */
const MAX_TUMOUR_COUNT = 100;
const MAX_DIAMETER_CM = 40;

function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}
function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function parseCorrection(v: unknown): ImagingCorrection | undefined {
  const o = rec(v);
  if (!o) return undefined;
  const c: ImagingCorrection = {};
  const resp = rec(o.response);
  const scale = oneOf(SCALES, resp?.scale);
  const category = oneOf(CATEGORIES, resp?.category);
  if (scale && category) c.response = { scale, category };
  const viable = finite(o.viablePercent);
  if (viable !== undefined && viable >= 0 && viable <= 100) c.viablePercent = viable;
  const nl = oneOf(PRESENCE, o.newLesions);
  if (nl) c.newLesions = nl;
  const ehs = oneOf(PRESENCE, o.extrahepaticSpread);
  if (ehs) c.extrahepaticSpread = ehs;
  const vi = rec(o.vascularInvasion);
  const viPresence = oneOf(PRESENCE, vi?.presence);
  if (viPresence) {
    const vp = oneOf(VP, vi?.vp);
    c.vascularInvasion = vp ? { presence: viPresence, vp } : { presence: viPresence };
  }
  const count = finite(o.tumorCount);
  if (count !== undefined && Number.isInteger(count) && count >= 0 && count <= MAX_TUMOUR_COUNT)
    c.tumorCount = count;
  const cm = finite(o.largestDiameterCm);
  if (cm !== undefined && cm > 0 && cm <= MAX_DIAMETER_CM) c.largestDiameterCm = cm;
  const lip = finite(o.lipiodolPercent);
  if (lip !== undefined && lip >= 0 && lip <= 100) c.lipiodolPercent = lip;
  return Object.keys(c).length > 0 ? c : undefined;
}

function parseConfirmation(v: unknown): ImagingConfirmation | undefined {
  const o = rec(v);
  if (!o) return undefined;
  const c: Partial<Record<ImagingFindingType, string>> = {};
  for (const [type, fp] of Object.entries(o)) {
    const t = oneOf(FINDING_TYPES, type);
    if (t && typeof fp === 'string' && /^[0-9a-f]{8}$/.test(fp)) c[t] = fp;
  }
  return Object.keys(c).length > 0 ? c : undefined;
}

/** Parses stored JSON defensively: anything unexpected is dropped, never trusted. */
export function parseInputs(json: string | null): ClinicianInputs {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  const o = rec(raw);
  if (!o) return {};
  const out: ClinicianInputs = {};
  const intent = oneOf(['curative', 'palliative'] as const, o.intent);
  if (intent) out.intent = intent;
  const ascites = oneOf(['none', 'mild', 'moderate-severe'] as const, o.ascites);
  if (ascites) out.ascites = ascites;
  const enc = oneOf(['none', 'grade-1-2', 'grade-3-4'] as const, o.encephalopathy);
  if (enc) out.encephalopathy = enc;
  const bclc = oneOf(['A', 'B', 'C'] as const, o.bclcStage);
  if (bclc) out.bclcStage = bclc;
  const gross = oneOf(GROSS_TYPES, o.grossType);
  if (gross) out.grossType = gross;
  if (typeof o.noIntranodularFlowOnCeus === 'boolean')
    out.noIntranodularFlowOnCeus = o.noIntranodularFlowOnCeus;
  if (typeof o.dialysis === 'boolean') out.dialysis = o.dialysis;
  const corr = rec(o.corrections);
  if (corr) {
    const corrections: Record<string, ImagingCorrection> = {};
    for (const [id, v] of Object.entries(corr)) {
      const c = parseCorrection(v);
      if (c) corrections[id] = c;
    }
    if (Object.keys(corrections).length > 0) out.corrections = corrections;
  }
  const conf = rec(o.confirmations);
  if (conf) {
    const confirmations: Record<string, ImagingConfirmation> = {};
    for (const [id, v] of Object.entries(conf)) {
      const c = parseConfirmation(v);
      if (c) confirmations[id] = c;
    }
    if (Object.keys(confirmations).length > 0) out.confirmations = confirmations;
  }
  return out;
}

function storage(): Storage | undefined {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : undefined;
  } catch {
    return undefined; // blocked by the frame's security zone: inputs then last for this page only
  }
}

export function loadInputs(key: string): ClinicianInputs {
  try {
    return parseInputs(storage()?.getItem(key) ?? null);
  } catch {
    return {};
  }
}

export function saveInputs(key: string, inputs: ClinicianInputs): void {
  try {
    const s = storage();
    if (!s) return;
    if (isEmptyInputs(inputs)) s.removeItem(key);
    else s.setItem(key, JSON.stringify(inputs));
  } catch {
    // quota or blocked storage: the inputs still apply to this page
  }
}

export function isEmptyInputs(inputs: ClinicianInputs): boolean {
  return (
    inputs.intent === undefined &&
    inputs.ascites === undefined &&
    inputs.encephalopathy === undefined &&
    inputs.bclcStage === undefined &&
    inputs.grossType === undefined &&
    inputs.noIntranodularFlowOnCeus === undefined &&
    inputs.dialysis === undefined &&
    Object.keys(inputs.corrections ?? {}).length === 0 &&
    Object.keys(inputs.confirmations ?? {}).length === 0
  );
}
