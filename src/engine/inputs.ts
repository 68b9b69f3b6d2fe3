/**
 * Clinician inputs: treatment intent, corrections of imaging findings per assessment, and the clinical grades the
 * EHR rarely codes. Corrected findings carry evidence origin 'clinician' and replace the extracted findings of the
 * same type in that assessment.
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
}

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
      evidence: clinicianEvidence(a, `${c.response.scale} ${c.response.category}`),
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
  return { ...a, findings: [...a.findings.filter((f) => !replaced.has(f.type)), ...added] };
}
