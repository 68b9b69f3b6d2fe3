/**
 * Scores from the timeline: the most recent eligible values on/before the reference day (asOf, or a session day).
 * Values in an unknown unit are not used; missing inputs are named, never imputed. A censored value (">2000",
 * "<0.2") is used as the interval it stands for (bounds.ts): a score is decided when the bound decides it, a range
 * otherwise, and its notes or `missing` say which (censored.ts).
 */
import type { ImagingAssessment } from '../../domain/imaging';
import type { AnalyteId, Measurement } from '../../domain/labs';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../inputs';
import type { AlbiResult, EngineSettings, EvidenceItem, ScoreResult } from '../result';
import { dayNumber } from '../dates';
import { appendAll } from '../arrays';
import { measurementEvidence, normalizeEvidence, refOf } from '../evidence';
import { candidateRange, latestIn, picked, reportedAs, sortedSeries, type Picked } from '../labs';
import { isAbove, isBelow, type Bounds } from '../bounds';
import { decidedNote, isCensored, undecidedMissing } from './censored';
import { largestDiameterOf, tumorCountBoundOf } from '../findings';
import { ALBI_CITATION, ALBI_THRESHOLDS, albiGrade, albiRange, albiValue, mAlbiGrade } from './albi';
import {
  CHILD_PUGH_CITATION,
  CHILD_PUGH_THRESHOLDS,
  childPugh,
  type AscitesInput,
  type ChildPughOutput,
  type EncephalopathyGrade,
} from './child-pugh';
import { liverClinicalAt, NO_LIVER_CLINICAL, type LiverClinical } from './condition-grades';
import { MELD_NA_CITATION, MELD_NA_THRESHOLDS, meldNa, meldNaRange } from './meld-na';
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

/** Values of an analyte (censored ones with their bounds) on/before asOf within [from, to], in series order. */
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
    if (!(d <= limit) || !(d >= from && d <= to)) continue;
    const p = picked(m, unit);
    if (p) out.push(p);
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

/**
 * An ALBI result with no range and no notes, its fields in the order score() gives them (value, range, category,
 * evidence, missing, thresholds, citation, then grade, mGrade): built in one literal, as this runs for every
 * snapshot of every session.
 */
function albiResult(
  value: number | null,
  category: string | null,
  evidence: EvidenceItem[],
  missing: string[],
  thresholds: Record<string, number>,
  grade: AlbiResult['grade'],
  mGrade: AlbiResult['mGrade'],
): AlbiResult {
  return {
    value,
    range: null,
    category,
    evidence,
    missing,
    thresholds,
    citation: ALBI_CITATION,
    grade,
    mGrade,
  };
}

export function albiFromPair(pair: { bili: Picked; alb: Picked } | null, pairingDays: number): AlbiResult {
  const thresholds = { ...ALBI_THRESHOLDS, pairingDays };
  if (!pair) {
    const missing = [`total bilirubin and albumin drawn within ${pairingDays} days of each other`];
    return albiResult(null, null, [], missing, thresholds, null, null);
  }
  const evidence = [
    measurementEvidence(pair.bili.m, 'Total bilirubin'),
    measurementEvidence(pair.alb.m, 'Albumin'),
  ];
  if (pair.bili.value === null || pair.alb.value === null)
    return albiFromBounds(pair.bili, pair.alb, { citation: ALBI_CITATION, thresholds }, evidence);
  const v = albiValue(pair.bili.value, pair.alb.value);
  if (v === null)
    return albiResult(null, null, evidence, ['valid bilirubin and albumin values'], thresholds, null, null);
  const grade = albiGrade(v);
  const mGrade = mAlbiGrade(v);
  const value = Math.round(v * 1000) / 1000;
  return albiResult(value, `ALBI grade ${grade} (mALBI ${mGrade})`, evidence, [], thresholds, grade, mGrade);
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * ALBI from a pair with a censored member: the range of ALBI the bounds allow (albi.ts albiRange). The grade (and
 * the mALBI grade) is given only when the whole range lies in one grade; otherwise `missing` names the exact value
 * needed and the grades the range spans.
 */
function albiFromBounds(
  bili: Picked,
  alb: Picked,
  base: { citation: string; thresholds: Record<string, number> },
  evidence: EvidenceItem[],
): AlbiResult {
  const r = albiRange(bili.bounds, alb.bounds);
  if (!r)
    return {
      ...score({ ...base, evidence, missing: ['valid bilirubin and albumin values'] }),
      grade: null,
      mGrade: null,
    };
  const censored = [bili, alb].filter(isCensored);
  const which = censored.map((p) => (p === bili ? 'total bilirubin' : 'albumin')).join(' and ');
  const reported = censored
    .map((p) => `${p === bili ? 'total bilirubin' : 'albumin'} reported as ${reportedAs(p.m)}`)
    .join(' and ');
  const g = [albiGrade(r.min), albiGrade(r.max)] as const;
  const mg = [mAlbiGrade(r.min), mAlbiGrade(r.max)] as const;
  const grade = g[0] === g[1] ? g[0] : null;
  const mGrade = mg[0] === mg[1] ? mg[0] : null;
  const range = { min: round3(r.min), max: round3(r.max) };
  const spans = grade === null ? `ALBI grades ${g[0]} to ${g[1]}` : `mALBI grades ${mg[0]} to ${mg[1]}`;
  return {
    ...score({
      ...base,
      range,
      category: grade === null ? null : `ALBI grade ${grade} (mALBI ${mGrade ?? `${mg[0]} to ${mg[1]}`})`,
      evidence,
      missing:
        mGrade === null
          ? [
              `an exact ${which} value: ${reported} gives ALBI ${range.min} to ${range.max}, spanning ${spans}`,
            ]
          : [],
      notes: [`${reported}: ALBI lies between ${range.min} and ${range.max}`],
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

/**
 * Child-Pugh from labs within `pairingDays` of the most recent of bilirubin/albumin/INR, in [from, refDay], and the
 * ascites / encephalopathy grades of `clinical` (the clinician's, or the Conditions active on refDay:
 * condition-grades.ts), whose Conditions are cited as evidence.
 */
export function childPughAt(
  timeline: Timeline,
  refDay: string,
  settings: EngineSettings,
  clinical: LiverClinical = NO_LIVER_CLINICAL,
  from = -Infinity,
): ChildPughAt {
  const { ascites, encephalopathy } = clinical;
  const bili = pick(timeline, 'bilirubin', 'mg/dL', refDay, Infinity, from);
  const alb = pick(timeline, 'albumin', 'g/dL', refDay, Infinity, from);
  const inr = pick(timeline, 'inr', '{INR}', refDay, Infinity, from);
  // Each pick's day read once (dayNumber is pure), and no list built to take the greatest of three.
  const biliDay = bili ? dayNumber(bili.day) : -Infinity;
  const albDay = alb ? dayNumber(alb.day) : -Infinity;
  const inrDay = inr ? dayNumber(inr.day) : -Infinity;
  const anchor = Math.max(biliDay, albDay, inrDay);
  const b = bili && anchor - biliDay <= settings.pairingDays ? bili : null;
  const a = alb && anchor - albDay <= settings.pairingDays ? alb : null;
  const i = inr && anchor - inrDay <= settings.pairingDays ? inr : null;
  const output = childPugh({
    bilirubinMgDl: b?.bounds,
    albuminGDl: a?.bounds,
    inr: i?.bounds,
    ascites,
    encephalopathy,
    albuminMiddleLow: settings.childPughAlbuminMiddleLow,
  });
  const evidence: EvidenceItem[] = [];
  if (b) evidence.push(measurementEvidence(b.m, 'Total bilirubin'));
  if (a) evidence.push(measurementEvidence(a.m, 'Albumin'));
  if (i) evidence.push(measurementEvidence(i.m, 'INR'));
  appendAll(evidence, clinical.evidence);
  const missing: string[] = [];
  for (const u of output.unknown) {
    const p = u === 'bilirubin' ? b : u === 'albumin' ? a : u === 'inr' ? i : null;
    if (output.undecided.includes(u) && p)
      missing.push(undecidedMissing(LABEL[u] ?? u, p, 'its Child-Pugh points are 1, 2 or 3', 'Child-Pugh'));
    else if (u === 'ascites' || u === 'encephalopathy') {
      const present = (u === 'ascites' ? ascites : encephalopathy) === 'present';
      missing.push(
        present
          ? `${u} grade (clinician input): the ${u} Condition on file states no grade (2–3 points)`
          : `${u} grade (clinician input)`,
      );
    } else missing.push(`${u} within ${settings.pairingDays} days of the other Child-Pugh labs`);
  }
  const notes: string[] = [];
  for (const p of [b, a, i])
    if (isCensored(p) && !output.undecided.includes(p.m.analyte))
      notes.push(decidedNote(LABEL[p.m.analyte] ?? p.m.analyte, p, 'its points are decided', 'Child-Pugh'));
  appendAll(notes, clinical.notes);
  const cls = output.cls ?? 'indeterminate';
  const result = score({
    citation: CHILD_PUGH_CITATION,
    thresholds: { ...CHILD_PUGH_THRESHOLDS, CP_ALBUMIN_MIDDLE_LOW_G_DL: settings.childPughAlbuminMiddleLow },
    value: output.points,
    range: output.range,
    category: output.cls ? `Child-Pugh ${output.cls}` : `${cls} (${output.possibleClasses.join(' or ')})`,
    evidence,
    missing,
    ...(notes.length > 0 ? { notes } : {}),
  });
  return { result, output };
}

/**
 * Ascites and encephalopathy on the assessment date: the clinician's grades, else the Conditions on file
 * (condition-grades.ts; undated ones included, since this is "now").
 */
export function liverClinicalNow(timeline: Timeline, asOf: string, inputs: ClinicianInputs): LiverClinical {
  return liverClinicalAt(timeline, asOf, true, inputs);
}

/** The ascites input alone (clinician's, else the Conditions on file at asOf). */
export function ascitesFrom(
  timeline: Timeline,
  inputs: ClinicianInputs,
  asOf: string,
): AscitesInput | undefined {
  return liverClinicalNow(timeline, asOf, inputs).ascites;
}

/** The encephalopathy input alone (clinician's, else the Conditions on file at asOf). */
export function encephalopathyFrom(
  timeline: Timeline,
  inputs: ClinicianInputs,
  asOf: string,
): EncephalopathyGrade | 'present' | undefined {
  return liverClinicalNow(timeline, asOf, inputs).encephalopathy;
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
  const vals: Record<string, Bounds> = {};
  const censored: Picked[] = [];
  for (const [k, p] of Object.entries(parts)) {
    if (!p || anchor - dayNumber(p.day) > settings.pairingDays) {
      missing.push(`${LABEL[k] ?? k} within ${settings.pairingDays} days of the other MELD-Na labs`);
      continue;
    }
    evidence.push(measurementEvidence(p.m, LABEL[k] ?? k));
    vals[k] = p.bounds;
    if (isCensored(p)) censored.push(p);
  }
  const base = { citation: MELD_NA_CITATION, thresholds: { ...MELD_NA_THRESHOLDS } };
  if (missing.length > 0) return score({ ...base, evidence, missing });
  const dialysisNote =
    inputs.dialysis === undefined ? ['dialysis status unknown: creatinine used as measured'] : [];
  if (censored.length > 0) {
    // Censored inputs: the lowest and highest MELD-Na the bounds allow (floors, caps and clamps often decide it).
    const rr = meldNaRange({
      creatinineMgDl: vals.creatinine as Bounds,
      bilirubinMgDl: vals.bilirubin as Bounds,
      inr: vals.inr as Bounds,
      sodiumMmolL: vals.sodium as Bounds,
      dialysis: inputs.dialysis,
    });
    if (!rr) return score({ ...base, evidence, missing: ['valid MELD-Na inputs'] });
    const reported = censored
      .map((p) => `${LABEL[p.m.analyte] ?? p.m.analyte} reported as ${reportedAs(p.m)}`)
      .join(' and ');
    if (rr.min.meldNa === rr.max.meldNa && rr.min.meldI === rr.max.meldI)
      return score({
        ...base,
        value: rr.min.meldNa,
        category: `MELD(i) ${rr.min.meldI}`,
        evidence,
        notes: [`${reported}: the score is the same whatever the exact value`, ...dialysisNote],
      });
    return score({
      ...base,
      range: { min: rr.min.meldNa, max: rr.max.meldNa },
      evidence,
      missing: [`an exact value of ${reported}: MELD-Na lies between ${rr.min.meldNa} and ${rr.max.meldNa}`],
      notes: dialysisNote,
    });
  }
  const exactOf = (b: Bounds | undefined): number => (b ? b.lo : Number.NaN);
  const r = meldNa({
    creatinineMgDl: exactOf(vals.creatinine),
    bilirubinMgDl: exactOf(vals.bilirubin),
    inr: exactOf(vals.inr),
    sodiumMmolL: exactOf(vals.sodium),
    dialysis: inputs.dialysis,
  });
  if (!r) return score({ ...base, evidence, missing: ['valid MELD-Na inputs'] });
  return score({
    ...base,
    value: r.meldNa,
    category: `MELD(i) ${r.meldI}`,
    evidence,
    notes: dialysisNote,
  });
}

export interface BurdenPick {
  count: number;
  /** "multiple"/"innumerable": `count` is a lower bound. */
  atLeast: boolean;
  cm: number;
  /** Only some lesions were measured: `cm` is a lower bound of the largest diameter. */
  cmAtLeast: boolean;
  assessment: ImagingAssessment;
  evidence: EvidenceItem[];
}

/** Latest assessment stating both the number of tumours (exact or "multiple") and the largest diameter. */
export function latestBurden(imaging: readonly ImagingAssessment[]): BurdenPick | null {
  for (let i = imaging.length - 1; i >= 0; i--) {
    const a = imaging[i] as ImagingAssessment;
    const tc = tumorCountBoundOf(a);
    const d = largestDiameterOf(a);
    if (tc && d)
      return {
        count: tc.count,
        atLeast: tc.atLeast,
        cm: d.cm,
        cmAtLeast: d.lowerBound,
        assessment: a,
        evidence: [tc.evidence, d.evidence],
      };
  }
  return null;
}

export function upToScore(imaging: readonly ImagingAssessment[], which: 7 | 11): ScoreResult {
  const b = latestBurden(imaging);
  const max = which === 7 ? UP_TO_SEVEN_MAX : UP_TO_ELEVEN_MAX;
  const name = which === 7 ? 'seven' : '11';
  const base = {
    citation: which === 7 ? UP_TO_SEVEN_CITATION : UP_TO_ELEVEN_CITATION,
    thresholds: (which === 7 ? { UP_TO_SEVEN_MAX } : { UP_TO_ELEVEN_MAX }) as Record<string, number>,
  };
  if (!b)
    return score({ ...base, missing: ['number of tumours and largest diameter on one imaging report'] });
  const input = { largestDiameterCm: b.cm, tumorCount: b.count };
  const within = which === 7 ? withinUpToSeven(input) : withinUpToEleven(input);
  if (b.atLeast || b.cmAtLeast) {
    // A lower bound ("multiple" tumours, or a size that is not said to be the largest): the sum is at least
    // cm + count. That decides "beyond" only when the bound is already beyond; otherwise the missing part is named.
    const cmText = b.cmAtLeast ? `at least ${b.cm} cm` : `${b.cm} cm`;
    const countText = b.atLeast ? `at least ${b.count} tumours` : `${b.count} tumour(s)`;
    if (within)
      return score({
        ...base,
        evidence: b.evidence,
        missing: [
          b.atLeast
            ? 'exact number of tumours (the report says multiple)'
            : 'largest tumour diameter (only some lesions were measured)',
        ],
        notes: [`${cmText} + ${countText} vs ${max}`],
      });
    return score({
      ...base,
      category: `beyond up-to-${name}`,
      evidence: b.evidence,
      notes: [`${cmText} + ${countText} > ${max}`],
    });
  }
  return score({
    ...base,
    value: burdenSum(input),
    category: within ? `within up-to-${name}` : `beyond up-to-${name}`,
    evidence: b.evidence,
    notes: [`${b.cm} cm + ${b.count} tumour(s) vs ${max}`],
  });
}

export function hapAt(timeline: Timeline, imaging: readonly ImagingAssessment[], asOf: string): ScoreResult {
  const alb = pick(timeline, 'albumin', 'g/L', asOf);
  const afp = pick(timeline, 'afp', 'ng/mL', asOf);
  const bili = pick(timeline, 'bilirubin', 'umol/L', asOf);
  let diam: { cm: number; evidence: EvidenceItem } | null = null;
  for (let i = imaging.length - 1; i >= 0 && !diam; i--) {
    const d = largestDiameterOf(imaging[i] as ImagingAssessment);
    // A size of one lesion among several decides "> 7 cm" only when it is already above it.
    if (d && (!d.lowerBound || d.cm > HAP_DIAMETER_ABOVE_CM)) diam = d;
    else if (d) break;
  }
  const r = hap({
    albuminGL: alb?.bounds,
    afpNgMl: afp?.bounds,
    bilirubinUmolL: bili?.bounds,
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
    ...hapCensoring(r, { albumin: alb, afp, bilirubin: bili }),
  });
}

/** HAP cut-offs in words, per lab input (Kadalayil 2013, hap.ts). */
const HAP_CUTOFF_TEXT: Record<string, string> = {
  albumin: `albumin < ${HAP_ALBUMIN_BELOW_G_L} g/L`,
  afp: `AFP > ${HAP_AFP_ABOVE_NG_ML} ng/mL`,
  bilirubin: `bilirubin > ${HAP_BILIRUBIN_ABOVE_UMOL_L} µmol/L`,
};

/** HAP `missing` (unknown inputs; censored ones that do not decide) and notes (censored ones that do). */
function hapCensoring(
  r: { unknown: string[]; undecided: string[] },
  labs: Record<string, Picked | null>,
): { missing: string[]; notes?: string[] } {
  const missing = r.unknown.map((u) => {
    const p = labs[u];
    return r.undecided.includes(u) && p
      ? undecidedMissing(LABEL[u] ?? u, p, HAP_CUTOFF_TEXT[u] ?? u, 'HAP')
      : `${u} (latest value)`;
  });
  const notes = Object.entries(labs)
    .filter(([k, p]) => isCensored(p) && !r.undecided.includes(k))
    .map(([k, p]) => {
      const cut = HAP_CUTOFF_TEXT[k] ?? k;
      const b = (p as Picked).bounds;
      const yes =
        k === 'albumin'
          ? isBelow(b, HAP_ALBUMIN_BELOW_G_L)
          : isAbove(b, k === 'afp' ? HAP_AFP_ABOVE_NG_ML : HAP_BILIRUBIN_ABOVE_UMOL_L);
      return decidedNote(LABEL[k] ?? k, p as Picked, yes ? cut : `not ${cut}`, 'HAP');
    });
  return notes.length > 0 ? { missing, notes } : { missing };
}

export { refOf };
