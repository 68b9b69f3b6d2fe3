/**
 * Clinician inputs: treatment intent, corrections and confirmations of imaging findings per assessment, and the
 * clinical grades the EHR rarely codes.
 *
 * - A **correction** replaces the extracted findings of the same type in that assessment; the new finding carries
 *   evidence origin 'clinician' (shown as "entered by clinician").
 * - A **confirmation** ("confirm as read") keeps the finding exactly as read — value, polarity and confidence are
 *   not changed, so a hedged reading stays hedged and never becomes positive by being confirmed — and keeps its
 *   evidence origin 'text' (the reader still sees it came from report text, with its sentence), adding
 *   `confirmed: true` to that evidence. Each confirmation stores a fingerprint of the reading it confirmed
 *   (`readingFingerprint`): when the report is re-read differently (an amended report, a changed reader), the
 *   fingerprint no longer matches and the confirmation lapses by itself instead of vouching for a new reading.
 *
 * The engine counts, per criterion and sub-criterion, the text readings that decided it and are neither
 * confirmed nor corrected (`unconfirmedTextReadings` in result.ts).
 */
import type {
  ImagingAssessment,
  ImagingFinding,
  ImagingFindingType,
  Presence,
  ResponseCategory,
  ResponseScale,
  VpGrade,
} from '../domain/imaging';
import type { Evidence } from '../domain/source';
import { responseLabel } from '../domain/display-labels';
import type { AscitesGrade, EncephalopathyGrade } from './scores/child-pugh';
import type { BclcStage } from './scores/abcr';

export type TreatmentIntent = 'curative' | 'palliative';

export interface ImagingCorrection {
  response?: { scale: ResponseScale; category: ResponseCategory } | undefined;
  viablePercent?: number | undefined;
  newLesions?: Presence | undefined;
  vascularInvasion?: { presence: Presence; vp?: VpGrade | undefined } | undefined;
  extrahepaticSpread?: Presence | undefined;
  tumorCount?: number | undefined;
  largestDiameterCm?: number | undefined;
  /** JSH 2010: lipiodol deposition in the treated tumour (%). */
  lipiodolPercent?: number | undefined;
}

/**
 * Finding types of one assessment the clinician confirmed as read, each with the `readingFingerprint` of the
 * reading confirmed. Only findings read from report text (origin 'text') can be confirmed.
 */
export type ImagingConfirmation = Readonly<Partial<Record<ImagingFindingType, string>>>;

/** TACE-resistant gross types (JSH 2021 Table 10; Kudo 2025), when reported by the clinician. */
export type GrossType =
  | 'simple-nodular'
  | 'confluent-multinodular'
  | 'massive'
  | 'infiltrative'
  | 'simple-nodular-extranodular-growth'
  | 'poorly-differentiated'
  | 'multiple-disseminated'
  | 'sarcomatous-change';

export interface ClinicianInputs {
  intent?: TreatmentIntent | undefined;
  corrections?: Readonly<Record<string, ImagingCorrection>> | undefined;
  /** Per imaging assessment id: the text readings confirmed as read (see the file comment). */
  confirmations?: Readonly<Record<string, ImagingConfirmation>> | undefined;
  ascites?: AscitesGrade | undefined;
  encephalopathy?: EncephalopathyGrade | undefined;
  bclcStage?: BclcStage | undefined;
  grossType?: GrossType | undefined;
  /** Kudo 2025 drug-off: no intranodular arterial flow on contrast ultrasound. */
  noIntranodularFlowOnCeus?: boolean | undefined;
  dialysis?: boolean | undefined;
}

function presenceFinding(
  type: 'new-lesions' | 'extrahepatic-spread',
  presence: Presence,
  a: ImagingAssessment,
): ImagingFinding {
  const polarity = presence === 'present' ? 'positive' : presence === 'absent' ? 'negative' : 'uncertain';
  return {
    type,
    presence,
    polarity,
    confidence: 'high',
    evidence: clinicianEvidence(a, `${type}: ${presence}`),
  };
}

function clinicianEvidence(a: ImagingAssessment, value: string) {
  return { source: a.source, date: a.date, value, origin: 'clinician' as const };
}

/** Applies one correction to an assessment; untouched finding types are kept as extracted. */
export function applyCorrection(a: ImagingAssessment, c: ImagingCorrection | undefined): ImagingAssessment {
  if (!c) return a;
  const replaced = new Set<ImagingFindingType>();
  const added: ImagingFinding[] = [];
  if (c.response) {
    replaced.add('response');
    added.push({
      type: 'response',
      scale: c.response.scale,
      category: c.response.category,
      polarity: 'positive',
      confidence: 'high',
      evidence: clinicianEvidence(a, responseLabel(c.response.scale, c.response.category)),
    });
  }
  if (c.viablePercent !== undefined && Number.isFinite(c.viablePercent)) {
    replaced.add('viable-percent');
    added.push({
      type: 'viable-percent',
      percent: c.viablePercent,
      basis: 'stated',
      polarity: 'positive',
      confidence: 'high',
      evidence: clinicianEvidence(a, `viable ${c.viablePercent} %`),
    });
  }
  if (c.newLesions) {
    replaced.add('new-lesions');
    added.push(presenceFinding('new-lesions', c.newLesions, a));
  }
  if (c.extrahepaticSpread) {
    replaced.add('extrahepatic-spread');
    added.push(presenceFinding('extrahepatic-spread', c.extrahepaticSpread, a));
  }
  if (c.vascularInvasion) {
    const p = c.vascularInvasion.presence;
    replaced.add('vascular-invasion');
    added.push({
      type: 'vascular-invasion',
      presence: p,
      ...(c.vascularInvasion.vp ? { vp: c.vascularInvasion.vp } : {}),
      polarity: p === 'present' ? 'positive' : p === 'absent' ? 'negative' : 'uncertain',
      confidence: 'high',
      evidence: clinicianEvidence(
        a,
        `vascular invasion: ${p}${c.vascularInvasion.vp ? ` ${c.vascularInvasion.vp}` : ''}`,
      ),
    });
  }
  if (c.tumorCount !== undefined && Number.isFinite(c.tumorCount)) {
    replaced.add('tumor-count');
    added.push({
      type: 'tumor-count',
      count: c.tumorCount,
      polarity: 'positive',
      confidence: 'high',
      evidence: clinicianEvidence(a, `${c.tumorCount} tumours`),
    });
  }
  if (c.largestDiameterCm !== undefined && Number.isFinite(c.largestDiameterCm)) {
    replaced.add('largest-diameter');
    added.push({
      type: 'largest-diameter',
      cm: c.largestDiameterCm,
      polarity: 'positive',
      confidence: 'high',
      evidence: clinicianEvidence(a, `largest ${c.largestDiameterCm} cm`),
    });
  }
  if (c.lipiodolPercent !== undefined && Number.isFinite(c.lipiodolPercent)) {
    replaced.add('lipiodol-deposition');
    added.push({
      type: 'lipiodol-deposition',
      percent: c.lipiodolPercent,
      polarity: 'positive',
      confidence: 'high',
      evidence: clinicianEvidence(a, `lipiodol deposition ${c.lipiodolPercent} %`),
    });
  }
  return { ...a, findings: [...a.findings.filter((f) => !replaced.has(f.type)), ...added] };
}

/** Evidence of a text reading the clinician confirmed as read (origin stays 'text'). */
export interface ConfirmedEvidence extends Evidence {
  readonly confirmed: true;
}

export function isConfirmedEvidence(e: Evidence): e is ConfirmedEvidence {
  return (e as { confirmed?: unknown }).confirmed === true;
}

/** JSON with object keys sorted, so the fingerprint does not depend on property order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** FNV-1a, 32 bits, as 8 hex digits: short enough to store, no report words kept in storage. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The findings of one type in an assessment that were read from report text (the confirmable ones). */
export function textFindings(a: ImagingAssessment, type: ImagingFindingType): ImagingFinding[] {
  return a.findings.filter((f) => f.type === type && f.evidence.origin === 'text');
}

/**
 * A fingerprint of what was read from the text for one finding type of one assessment (every value, polarity,
 * confidence, sentence and matched words); undefined when nothing of that type was read from text.
 */
export function readingFingerprint(a: ImagingAssessment, type: ImagingFindingType): string | undefined {
  const fs = textFindings(a, type);
  if (fs.length === 0) return undefined;
  return fnv1a(
    stableJson({
      id: a.id,
      type,
      findings: fs.map((f) => ({
        ...f,
        evidence: {
          source: f.evidence.source,
          date: f.evidence.date,
          value: f.evidence.value,
          unit: f.evidence.unit,
          sentence: f.evidence.sentence,
          matched: f.evidence.matched,
        },
      })),
    }),
  );
}

/** Every confirmable finding type of an assessment with its current fingerprint ("confirm all as read"). */
export function confirmAllAsRead(a: ImagingAssessment): ImagingConfirmation {
  const out: Partial<Record<ImagingFindingType, string>> = {};
  for (const f of a.findings) {
    const fp = f.evidence.origin === 'text' ? readingFingerprint(a, f.type) : undefined;
    if (fp !== undefined) out[f.type] = fp;
  }
  return out;
}

/**
 * Marks the text readings the clinician confirmed (fingerprint still matching) as confirmed; nothing else about
 * the finding changes. A confirmation whose fingerprint no longer matches the reading is ignored.
 */
export function applyConfirmation(
  a: ImagingAssessment,
  c: ImagingConfirmation | undefined,
): ImagingAssessment {
  if (!c) return a;
  const confirmed = new Set<ImagingFindingType>();
  for (const [type, fp] of Object.entries(c) as [ImagingFindingType, string | undefined][]) {
    if (fp !== undefined && readingFingerprint(a, type) === fp) confirmed.add(type);
  }
  if (confirmed.size === 0) return a;
  return {
    ...a,
    findings: a.findings.map((f): ImagingFinding => {
      if (!confirmed.has(f.type) || f.evidence.origin !== 'text') return f;
      const evidence: ConfirmedEvidence = { ...f.evidence, confirmed: true };
      return { ...f, evidence };
    }),
  };
}
