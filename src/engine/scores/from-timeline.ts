/**
 * Scores from the timeline: the most recent eligible values on/before the reference day (asOf, or a session day).
 * Values that are censored ("<2") or in an unknown unit are not used; missing inputs are named, never imputed.
 */
import type { ImagingAssessment } from '../../domain/imaging';
import type { AnalyteId, Measurement } from '../../domain/labs';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../inputs';
import type { AlbiResult, EngineSettings, EvidenceItem, ScoreResult } from '../result';
import { dayNumber, isoDay } from '../dates';
import { measurementEvidence, normalizeEvidence, refOf } from '../evidence';
import { candidateRange, latestIn, sortedSeries, valueIn, type Picked } from '../labs';
import { largestDiameterOf, tumorCountOf } from '../findings';
import { ALBI_CITATION, ALBI_THRESHOLDS, albiGrade, albiValue, mAlbiGrade } from './albi';
import {
  CHILD_PUGH_CITATION,
  CHILD_PUGH_THRESHOLDS,
  childPugh,
  type AscitesInput,
  type ChildPughOutput,
  type EncephalopathyGrade,
} from './child-pugh';
import { MELD_NA_CITATION, MELD_NA_THRESHOLDS, meldNa } from './meld-na';
import {
  burdenSum,
  UP_TO_ELEVEN_CITATION,
  UP_TO_ELEVEN_MAX,
  UP_TO_SEVEN_CITATION,
  UP_TO_SEVEN_MAX,
  withinUpToEleven,
  withinUpToSeven,
} from './tumor-burden';
import {
  HAP_AFP_ABOVE_NG_ML,
  HAP_ALBUMIN_BELOW_G_L,
  HAP_BILIRUBIN_ABOVE_UMOL_L,
  HAP_CITATION,
  HAP_DIAMETER_ABOVE_CM,
  hap,
} from './hap';

export const LABEL: Record<string, string> = {
  bilirubin: 'Total bilirubin',
  albumin: 'Albumin',
  inr: 'INR',
  creatinine: 'Creatinine',
  sodium: 'Sodium',
  afp: 'AFP',
  ast: 'AST',
  crp: 'CRP',
};

function score(partial: Partial<ScoreResult> & Pick<ScoreResult, 'citation'>): ScoreResult {
  return {
    value: null,
    range: null,
    category: null,
    evidence: [],
    missing: [],
    thresholds: {},
    ...partial,
  };
}

/** Latest value of an analyte within [refDay − lookback, refDay]. */
export function pick(
  timeline: Timeline,
  analyte: AnalyteId,
  unit: string,
  refDay: string,
  lookbackDays = Infinity,
  minDay = -Infinity,
): Picked | null {
  const to = dayNumber(refDay);
  return latestIn(timeline, analyte, unit, Math.max(to - lookbackDays, minDay), to, refDay);
}

/** Uncensored values of an analyte on/before asOf within [from, to], converted to `unit`, in series order. */
function convertedIn(
  timeline: Timeline,
  analyte: AnalyteId,
  unit: string,
  from: number,
  to: number,
  asOf: string,
): Picked[] {
  const limit = dayNumber(asOf);
  const s = sortedSeries(timeline, analyte);
  const [lo, hi] = candidateRange(s, from, Math.min(to, limit));
  const out: Picked[] = [];
  for (let i = lo; i < hi; i++) {
    const m = s.list[i] as Measurement;
    const d = s.days[i] as number;
    if (!(d <= limit) || m.comparator || !(d >= from && d <= to)) continue;
    const value = valueIn(m, unit);
    if (value !== null) out.push({ m, value, day: isoDay(m.date) });
  }
  return out;
}

type PairKey = [number, number];

/** Lexicographic a ≥ b on [latest day, earlier day]: the later (or equal) pair wins, as in a scan in order. */
function keyAtLeast(a: PairKey, b: PairKey): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}

/**
 * The pair every-bilirubin × every-albumin would pick (greatest [latest day, earlier day], ties → last in scan
 * order), found without the O(n·m) scan when albumin days are sorted: for one bilirubin day the best albumin is
 * the latest one within `pairingDays` (the key only grows with the albumin day), i.e. the last index with
 * day ≤ bilirubin day + pairingDays. Falls back to the full scan for unsorted days or an odd pairingDays.
 */
function bestPair(
  bilis: Picked[],
  albs: Picked[],
  pairingDays: number,
): { bili: Picked; alb: Picked } | null {
  const ad = albs.map((a) => dayNumber(a.day));
  let sorted = pairingDays >= 0;
  for (let i = 1; i < ad.length && sorted; i++) sorted = (ad[i - 1] as number) <= (ad[i] as number);
  let best: { bili: Picked; alb: Picked; key: PairKey } | null = null;
  const consider = (b: Picked, db: number, a: Picked, da: number): void => {
    if (Math.abs(db - da) > pairingDays) return;
    const key: PairKey = [Math.max(db, da), Math.min(db, da)];
    if (!best || keyAtLeast(key, best.key)) best = { bili: b, alb: a, key };
  };
  for (const b of bilis) {
    const db = dayNumber(b.day);
    if (!sorted) {
      albs.forEach((a, j) => consider(b, db, a, ad[j] as number));
      continue;
    }
    let lo = 0;
    let hi = ad.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ad[mid] as number) <= db + pairingDays) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) consider(b, db, albs[lo - 1] as Picked, ad[lo - 1] as number);
  }
  const found = best as { bili: Picked; alb: Picked; key: PairKey } | null;
  return found ? { bili: found.bili, alb: found.alb } : null;
}

/** Most recent bilirubin/albumin pair drawn within `pairingDays` of each other, in a day range. */
export function albiPair(
  timeline: Timeline,
  from: number,
  to: number,
  asOf: string,
  pairingDays: number,
): { bili: Picked; alb: Picked } | null {
  const bilis = convertedIn(timeline, 'bilirubin', 'umol/L', from, to, asOf);
  const albs = convertedIn(timeline, 'albumin', 'g/L', from, to, asOf);
  return bestPair(bilis, albs, pairingDays);
}

export function albiFromPair(pair: { bili: Picked; alb: Picked } | null, pairingDays: number): AlbiResult {
  const base = { citation: ALBI_CITATION, thresholds: { ...ALBI_THRESHOLDS, pairingDays } };
  if (!pair) {
    return {
      ...score({
        ...base,
        missing: [`total bilirubin and albumin drawn within ${pairingDays} days of each other`],
      }),
      grade: null,
      mGrade: null,
    };
  }
  const v = albiValue(pair.bili.value, pair.alb.value);
  const evidence = [
    measurementEvidence(pair.bili.m, 'Total bilirubin'),
    measurementEvidence(pair.alb.m, 'Albumin'),
  ];
  if (v === null)
    return {
      ...score({ ...base, evidence, missing: ['valid bilirubin and albumin values'] }),
      grade: null,
      mGrade: null,
    };
  const grade = albiGrade(v);
  const mGrade = mAlbiGrade(v);
  return {
    ...score({
      ...base,
      value: Math.round(v * 1000) / 1000,
      category: `ALBI grade ${grade} (mALBI ${mGrade})`,
      evidence,
    }),
    grade,
    mGrade,
  };
}

export function albiAt(timeline: Timeline, asOf: string, settings: EngineSettings): AlbiResult {
  return albiFromPair(
    albiPair(timeline, -Infinity, dayNumber(asOf), asOf, settings.pairingDays),
    settings.pairingDays,
  );
}

export interface ChildPughAt {
  result: ScoreResult;
  output: ChildPughOutput;
}

/** Child-Pugh from labs within `pairingDays` of the most recent of bilirubin/albumin/INR, in [from, refDay]. */
export function childPughAt(
  timeline: Timeline,
  refDay: string,
  settings: EngineSettings,
  ascites: AscitesInput | undefined,
  encephalopathy: EncephalopathyGrade | 'present' | undefined,
  from = -Infinity,
): ChildPughAt {
  const bili = pick(timeline, 'bilirubin', 'mg/dL', refDay, Infinity, from);
  const alb = pick(timeline, 'albumin', 'g/dL', refDay, Infinity, from);
  const inr = pick(timeline, 'inr', '{INR}', refDay, Infinity, from);
  const anchor = Math.max(...[bili, alb, inr].map((p) => (p ? dayNumber(p.day) : -Infinity)));
  const near = (p: Picked | null): Picked | null =>
    p && anchor - dayNumber(p.day) <= settings.pairingDays ? p : null;
  const b = near(bili);
  const a = near(alb);
  const i = near(inr);
  const output = childPugh({
    bilirubinMgDl: b?.value,
    albuminGDl: a?.value,
    inr: i?.value,
    ascites,
    encephalopathy,
    albuminMiddleLow: settings.childPughAlbuminMiddleLow,
  });
  const evidence: EvidenceItem[] = [];
  if (b) evidence.push(measurementEvidence(b.m, 'Total bilirubin'));
  if (a) evidence.push(measurementEvidence(a.m, 'Albumin'));
  if (i) evidence.push(measurementEvidence(i.m, 'INR'));
  const missing = output.unknown.map((u) =>
    u === 'ascites' || u === 'encephalopathy'
      ? `${u} grade (clinician input)`
      : `${u} within ${settings.pairingDays} days of the other Child-Pugh labs`,
  );
  const cls = output.cls ?? 'indeterminate';
  const result = score({
    citation: CHILD_PUGH_CITATION,
    thresholds: { ...CHILD_PUGH_THRESHOLDS, CP_ALBUMIN_MIDDLE_LOW_G_DL: settings.childPughAlbuminMiddleLow },
    value: output.points,
    range: output.range,
    category: output.cls ? `Child-Pugh ${output.cls}` : `${cls} (${output.possibleClasses.join(' or ')})`,
    evidence,
    missing,
  });
  return { result, output };
}

export function ascitesFrom(timeline: Timeline, inputs: ClinicianInputs): AscitesInput | undefined {
  if (inputs.ascites) return inputs.ascites;
  return timeline.conditions.some((c) => c.kind === 'ascites' && isActive(c.clinicalStatus))
    ? 'present'
    : undefined;
}

export function encephalopathyFrom(
  timeline: Timeline,
  inputs: ClinicianInputs,
): EncephalopathyGrade | 'present' | undefined {
  if (inputs.encephalopathy) return inputs.encephalopathy;
  return timeline.conditions.some((c) => c.kind === 'encephalopathy' && isActive(c.clinicalStatus))
    ? 'present'
    : undefined;
}

function isActive(status: string | undefined): boolean {
  return status === 'active' || status === 'recurrence' || status === 'relapse';
}

export function meldNaAt(
  timeline: Timeline,
  asOf: string,
  settings: EngineSettings,
  inputs: ClinicianInputs,
): ScoreResult {
  const parts = {
    creatinine: pick(timeline, 'creatinine', 'mg/dL', asOf),
    bilirubin: pick(timeline, 'bilirubin', 'mg/dL', asOf),
    inr: pick(timeline, 'inr', '{INR}', asOf),
    sodium: pick(timeline, 'sodium', 'mmol/L', asOf),
  };
  const anchor = Math.max(...Object.values(parts).map((p) => (p ? dayNumber(p.day) : -Infinity)));
  const missing: string[] = [];
  const evidence: EvidenceItem[] = [];
  const vals: Record<string, number> = {};
  for (const [k, p] of Object.entries(parts)) {
    if (!p || anchor - dayNumber(p.day) > settings.pairingDays) {
      missing.push(`${LABEL[k] ?? k} within ${settings.pairingDays} days of the other MELD-Na labs`);
      continue;
    }
    evidence.push(measurementEvidence(p.m, LABEL[k] ?? k));
    vals[k] = p.value;
  }
  const base = { citation: MELD_NA_CITATION, thresholds: { ...MELD_NA_THRESHOLDS } };
  if (missing.length > 0) return score({ ...base, evidence, missing });
  const r = meldNa({
    creatinineMgDl: vals.creatinine as number,
    bilirubinMgDl: vals.bilirubin as number,
    inr: vals.inr as number,
    sodiumMmolL: vals.sodium as number,
    dialysis: inputs.dialysis,
  });
  if (!r) return score({ ...base, evidence, missing: ['valid MELD-Na inputs'] });
  return score({
    ...base,
    value: r.meldNa,
    category: `MELD(i) ${r.meldI}`,
    evidence,
    notes: inputs.dialysis === undefined ? ['dialysis status unknown: creatinine used as measured'] : [],
  });
}

export interface BurdenPick {
  count: number;
  cm: number;
  assessment: ImagingAssessment;
  evidence: EvidenceItem[];
}

/** Latest assessment stating both the number of tumours and the largest diameter. */
export function latestBurden(imaging: readonly ImagingAssessment[]): BurdenPick | null {
  for (let i = imaging.length - 1; i >= 0; i--) {
    const a = imaging[i] as ImagingAssessment;
    const tc = tumorCountOf(a);
    const d = largestDiameterOf(a);
    if (tc && d) return { count: tc.count, cm: d.cm, assessment: a, evidence: [tc.evidence, d.evidence] };
  }
  return null;
}

export function upToScore(imaging: readonly ImagingAssessment[], which: 7 | 11): ScoreResult {
  const b = latestBurden(imaging);
  const max = which === 7 ? UP_TO_SEVEN_MAX : UP_TO_ELEVEN_MAX;
  const base = {
    citation: which === 7 ? UP_TO_SEVEN_CITATION : UP_TO_ELEVEN_CITATION,
    thresholds: (which === 7 ? { UP_TO_SEVEN_MAX } : { UP_TO_ELEVEN_MAX }) as Record<string, number>,
  };
  if (!b)
    return score({ ...base, missing: ['number of tumours and largest diameter on one imaging report'] });
  const input = { largestDiameterCm: b.cm, tumorCount: b.count };
  const within = which === 7 ? withinUpToSeven(input) : withinUpToEleven(input);
  return score({
    ...base,
    value: burdenSum(input),
    category: within
      ? `within up-to-${which === 7 ? 'seven' : '11'}`
      : `beyond up-to-${which === 7 ? 'seven' : '11'}`,
    evidence: b.evidence,
    notes: [`${b.cm} cm + ${b.count} tumour(s) vs ${max}`],
  });
}

export function hapAt(timeline: Timeline, imaging: readonly ImagingAssessment[], asOf: string): ScoreResult {
  const alb = pick(timeline, 'albumin', 'g/L', asOf);
  const afp = pick(timeline, 'afp', 'ng/mL', asOf);
  const bili = pick(timeline, 'bilirubin', 'umol/L', asOf);
  let diam: { cm: number; evidence: EvidenceItem } | null = null;
  for (let i = imaging.length - 1; i >= 0 && !diam; i--)
    diam = largestDiameterOf(imaging[i] as ImagingAssessment);
  const r = hap({
    albuminGL: alb?.value,
    afpNgMl: afp?.value,
    bilirubinUmolL: bili?.value,
    largestDiameterCm: diam?.cm,
  });
  const evidence: EvidenceItem[] = [];
  if (alb) evidence.push(measurementEvidence(alb.m, 'Albumin'));
  if (afp) evidence.push(measurementEvidence(afp.m, 'AFP'));
  if (bili) evidence.push(measurementEvidence(bili.m, 'Total bilirubin'));
  if (diam) evidence.push(diam.evidence);
  return score({
    citation: HAP_CITATION,
    thresholds: {
      HAP_ALBUMIN_BELOW_G_L,
      HAP_AFP_ABOVE_NG_ML,
      HAP_BILIRUBIN_ABOVE_UMOL_L,
      HAP_DIAMETER_ABOVE_CM,
    },
    value: r.value,
    range: r.range,
    category: r.group ? `HAP ${r.group}` : null,
    evidence: normalizeEvidence(evidence),
    missing: r.unknown.map((u) => `${u} (latest value)`),
  });
}

export { refOf };
