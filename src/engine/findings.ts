/**
 * Reading one imaging assessment the way the definitions need it (clinical-reference.md §2).
 * Hedged (polarity 'uncertain') or low-confidence findings are never positive: they make a reading unknown.
 */
import type { ImagingAssessment, ImagingFinding, ResponseFinding } from '../domain/imaging';
import type { EngineSettings, EvidenceItem } from './result';
import { findingEvidence } from './evidence';
import { oncePerCall } from './per-call';
import { responseLabel as responseLabelWords, scaleLabel, thresholdLabel } from '../domain/display-labels';
import { flatOf } from './arrays';

/**
 * responseLabel per scale and category, built once: the same few words are asked for every response finding of
 * every rule, and one shared string is also cheaper to compare later. A constant table, not patient data (bounded
 * all the same: a category read from text could be anything).
 */
const RESPONSE_LABELS = new Map<string, Map<string, string>>();
const RESPONSE_LABELS_MAX = 1_000;
let responseLabelCount = 0;

export function responseLabel(scale: string, category: string): string {
  let byCategory = RESPONSE_LABELS.get(scale);
  const known = byCategory?.get(category);
  if (known !== undefined) return known;
  const label = responseLabelWords(scale, category);
  if (responseLabelCount >= RESPONSE_LABELS_MAX) {
    RESPONSE_LABELS.clear();
    responseLabelCount = 0;
    byCategory = undefined;
  }
  if (!byCategory) {
    byCategory = new Map();
    RESPONSE_LABELS.set(scale, byCategory);
  }
  byCategory.set(category, label);
  responseLabelCount += 1;
  return label;
}

export type Tri = 'positive' | 'negative' | 'unknown';

/**
 * Readings of one assessment that several rules ask for (its response class, vascular invasion, extrahepatic
 * spread, new intrahepatic lesions) are pure functions of the assessment, so one evaluate call reads each once.
 * Set only for the duration of withAssessmentReadings (synchronous, restored in `finally`, as labs.ts
 * withLabIndex): nothing survives between calls. Every caller gets its own evidence and notes arrays.
 */
let readingScope: Map<string, WeakMap<ImagingAssessment, AssessmentReading>> | null = null;

interface AssessmentReading {
  readonly evidence: EvidenceItem[];
  readonly notes: string[];
}

export function withAssessmentReadings<T>(run: () => T): T {
  const outer = readingScope;
  readingScope = new Map();
  try {
    return run();
  } finally {
    readingScope = outer;
  }
}

function readOnce<R extends AssessmentReading>(kind: string, a: ImagingAssessment, read: () => R): R {
  if (!readingScope) return read();
  let byAssessment = readingScope.get(kind);
  if (!byAssessment) {
    byAssessment = new WeakMap();
    readingScope.set(kind, byAssessment);
  }
  let r = byAssessment.get(a) as R | undefined;
  if (!r) {
    r = read();
    byAssessment.set(a, r);
  }
  return { ...r, evidence: [...r.evidence], notes: [...r.notes] };
}

export interface Reading {
  state: Tri;
  evidence: EvidenceItem[];
  notes: string[];
}

/** JSH-LCSGJ 2014 / JSH 2021: treated tumour viable > 50 % (English) or ≥ 50 % (JSH 2021) — boundary is a setting. */
export const VIABLE_BOUNDARY_PERCENT = 50;
/** JSH 2010: lipiodol deposition ≤ 50 % is insufficient. */
export const LIPIODOL_INSUFFICIENT_MAX_PERCENT = 50;

export type Assertion = 'asserted' | 'negated' | 'hedged';

/** 'asserted' only for an unhedged positive finding of medium/high confidence. */
export function assertion(f: ImagingFinding): Assertion {
  if (f.polarity === 'uncertain' || f.confidence === 'low') return 'hedged';
  if ('presence' in f) {
    if (f.presence === 'unknown') return 'hedged';
    if (f.presence === 'absent') return 'negated';
  }
  return f.polarity === 'negative' ? 'negated' : 'asserted';
}

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

function interval(percent: number, comparator: string | undefined): Interval {
  switch (comparator) {
    case '<':
      return { lo: 0, loOpen: false, hi: percent, hiOpen: true };
    case '<=':
      return { lo: 0, loOpen: false, hi: percent, hiOpen: false };
    case '>':
      return { lo: percent, loOpen: true, hi: 100, hiOpen: false };
    case '>=':
      return { lo: percent, loOpen: false, hi: 100, hiOpen: false };
    default:
      return { lo: percent, loOpen: false, hi: percent, hiOpen: false };
  }
}

/** positive = every value of the interval is insufficient; negative = none is; unknown otherwise. */
function viableVersusBoundary(iv: Interval, boundary: EngineSettings['viableBoundary']): Tri {
  const b = VIABLE_BOUNDARY_PERCENT;
  if (boundary === '>=50') {
    if (iv.lo >= b) return 'positive';
    if (iv.hi < b || (iv.hi === b && iv.hiOpen)) return 'negative';
    return 'unknown';
  }
  if (iv.lo > b || (iv.lo === b && iv.loOpen)) return 'positive';
  if (iv.hi <= b) return 'negative';
  return 'unknown';
}

function combine(readings: Reading[]): Reading {
  const evidence = flatOf(readings, (r) => r.evidence);
  const notes = flatOf(readings, (r) => r.notes);
  const states = new Set(readings.map((r) => r.state));
  if (states.size === 1 && !states.has('unknown'))
    return { state: readings[0]?.state ?? 'unknown', evidence, notes };
  if (states.size > 1 && states.has('positive') && states.has('negative')) notes.push('conflicting findings');
  return { state: 'unknown', evidence, notes };
}

const RESPONSE_TO_INSUFFICIENT: Record<string, Tri> = {
  'mrecist:PD': 'positive',
  'mrecist:SD': 'positive',
  'mrecist:PR': 'negative',
  'mrecist:CR': 'negative',
  'easl:PD': 'positive',
  'easl:SD': 'positive',
  'easl:PR': 'negative',
  'easl:CR': 'negative',
  // "No objective response" = SD or PD: insufficient either way (clinical-reference.md §2: PD, SD → insufficient).
  'mrecist:NR': 'positive',
  'easl:NR': 'positive',
  'recicl:TE1': 'positive',
  'recicl:TE2': 'positive',
  'recicl:TE3': 'negative',
  'recicl:TE4': 'negative',
  'mcode-status:worsened': 'positive',
  'mcode-status:stable': 'positive',
  'mcode-status:improved': 'negative',
  'lirads-tr:nonviable': 'negative',
};

const DERIVED_SCALES = new Set(['mrecist', 'easl', 'mcode-status']);

function responseFindings(a: ImagingAssessment): ResponseFinding[] {
  return a.findings.filter((f): f is ResponseFinding => f.type === 'response');
}

/**
 * JSH-LCSGJ 2014 "insufficient response" for one assessment: positive = viable ≥/> 50 % (insufficient).
 * Stated viable % wins over categories; mRECIST/EASL/mCODE categories are "derived" (flagged).
 */
export function insufficientReading(a: ImagingAssessment, settings: EngineSettings): Reading {
  // JSH-LCSGJ 2014, JSH 2010 (lipiodol fallback) and the session list all ask it: read once per call and boundary.
  return readOnce(`insufficient\u0000${settings.viableBoundary}`, a, () => readInsufficient(a, settings));
}

function readInsufficient(a: ImagingAssessment, settings: EngineSettings): Reading {
  const viable: Reading[] = [];
  let hedged = false;
  for (const f of a.findings) {
    if (f.type !== 'viable-percent') continue;
    const s = assertion(f);
    if (s === 'hedged') {
      hedged = true;
      viable.push({
        state: 'unknown',
        evidence: [findingEvidence(a, f, 'viable tumour (hedged)')],
        notes: [],
      });
      continue;
    }
    const iv = s === 'negated' ? interval(0, undefined) : interval(f.percent, f.comparator);
    const label = `viable tumour ${f.comparator ?? ''}${s === 'negated' ? 0 : f.percent} %${f.basis === 'necrosis' ? ' (100 − necrosis %)' : ''}`;
    viable.push({
      state: viableVersusBoundary(iv, settings.viableBoundary),
      evidence: [findingEvidence(a, f, label)],
      notes: [thresholdLabel('viableBoundary', settings.viableBoundary)],
    });
  }
  const decided = viable.filter((r) => r.state !== 'unknown');
  if (decided.length > 0 && !hedged) return combine(decided);
  if (viable.length > 0 && decided.length === 0 && responseFindings(a).length === 0) return combine(viable);
  const cats: Reading[] = [];
  for (const f of responseFindings(a)) {
    const s = assertion(f);
    const label = responseLabel(f.scale, f.category);
    if (s !== 'asserted') {
      cats.push({
        state: 'unknown',
        evidence: [findingEvidence(a, f, `${label}, hedged wording`)],
        notes: [],
      });
      continue;
    }
    const state = RESPONSE_TO_INSUFFICIENT[`${f.scale}:${f.category}`] ?? 'unknown';
    const notes: string[] = [];
    if (DERIVED_SCALES.has(f.scale) && state === 'positive')
      notes.push(`insufficient response derived from ${scaleLabel(f.scale)}`);
    if (f.scale === 'lirads-tr' && state === 'unknown')
      notes.push('LI-RADS TR without a stated percentage: 50 % rule undecided');
    cats.push({ state, evidence: [findingEvidence(a, f, label)], notes });
  }
  const all = [...decided, ...cats];
  if (all.length === 0) return { state: 'unknown', evidence: flatOf(viable, (r) => r.evidence), notes: [] };
  return combine(hedged ? [...all, ...viable.filter((r) => r.state === 'unknown')] : all);
}

/** JSH 2010 poor lipiodol deposition (≤ 50 %); falls back to the viable reading, flagged as derived. */
export function lipiodolReading(a: ImagingAssessment, settings: EngineSettings): Reading {
  const lip: Reading[] = [];
  for (const f of a.findings) {
    if (f.type !== 'lipiodol-deposition') continue;
    const s = assertion(f);
    if (s === 'hedged') {
      lip.push({
        state: 'unknown',
        evidence: [findingEvidence(a, f, 'lipiodol deposition (hedged)')],
        notes: [],
      });
      continue;
    }
    const iv = s === 'negated' ? interval(0, undefined) : interval(f.percent, f.comparator);
    const m = LIPIODOL_INSUFFICIENT_MAX_PERCENT;
    const state: Tri =
      iv.hi <= m ? 'positive' : iv.lo > m || (iv.lo === m && iv.loOpen) ? 'negative' : 'unknown';
    lip.push({
      state,
      evidence: [findingEvidence(a, f, `lipiodol deposition ${f.comparator ?? ''}${f.percent} %`)],
      notes: [],
    });
  }
  if (lip.length > 0) return combine(lip);
  const r = insufficientReading(a, settings);
  return {
    ...r,
    notes: [...r.notes, 'no lipiodol deposition stated: derived from viable tumour / response category'],
  };
}

export interface CountReading {
  count: number;
  /** The report said "multiple"/"innumerable": `count` is a lower bound. */
  atLeast: boolean;
  previous?: number;
  evidence: EvidenceItem;
}

/**
 * Number of tumours stated in this assessment (asserted findings only), exact or as a lower bound. Two exact counts
 * that disagree within one report make it unknown (null): neither is safe to pick.
 */
export function tumorCountBoundOf(a: ImagingAssessment): CountReading | null {
  // Asked of the same assessments by the burden scores, the previous count of every session, the new-lesion
  // readings and the Hien factors: read once per evaluate call (per-call.ts); callers only read it.
  return oncePerCall(a, 'tumorCountBound', () => readTumorCountBound(a));
}

function readTumorCountBound(a: ImagingAssessment): CountReading | null {
  let exact: CountReading | null = null;
  let bound: CountReading | null = null;
  for (const f of a.findings) {
    if (f.type !== 'tumor-count' || assertion(f) !== 'asserted' || !Number.isFinite(f.count)) continue;
    if (f.atLeast) {
      bound ??= {
        count: f.count,
        atLeast: true,
        evidence: findingEvidence(a, f, `multiple (at least ${f.count}) intrahepatic tumours`),
      };
      continue;
    }
    if (exact && exact.count !== f.count) return null;
    exact ??= {
      count: f.count,
      atLeast: false,
      ...(f.previous !== undefined ? { previous: f.previous } : {}),
      evidence: findingEvidence(a, f, `${f.count} intrahepatic tumour${f.count === 1 ? '' : 's'}`),
    };
  }
  return exact ?? bound;
}

/** Exact number of tumours stated in this assessment (asserted only); "multiple" is not a number. */
export function tumorCountOf(a: ImagingAssessment): CountReading | null {
  const c = tumorCountBoundOf(a);
  return c && !c.atLeast ? c : null;
}

export interface DiameterReading {
  cm: number;
  /** Only sizes of some lesions were stated: the largest tumour is at least `cm`. */
  lowerBound: boolean;
  evidence: EvidenceItem;
}

/**
 * Largest diameter stated in this assessment: the largest of its asserted sizes (lesions may be listed one by one).
 * It is exact when some finding states the largest (or every lesion) and no partial size exceeds it.
 */
export function largestDiameterOf(a: ImagingAssessment): DiameterReading | null {
  // Asked by up-to-7, up-to-11, HAP and the considerations of the same assessments: read once per evaluate call.
  return oncePerCall(a, 'largestDiameter', () => readLargestDiameter(a));
}

function readLargestDiameter(a: ImagingAssessment): DiameterReading | null {
  let exact: DiameterReading | null = null;
  let partial: DiameterReading | null = null;
  for (const f of a.findings) {
    if (f.type !== 'largest-diameter' || assertion(f) !== 'asserted' || !Number.isFinite(f.cm)) continue;
    const lowerBound = f.lowerBound === true;
    const current = lowerBound ? partial : exact;
    if (current && current.cm >= f.cm) continue;
    const reading = {
      cm: f.cm,
      lowerBound,
      evidence: findingEvidence(a, f, lowerBound ? `a tumour of ${f.cm} cm` : `largest tumour ${f.cm} cm`),
    };
    if (lowerBound) partial = reading;
    else exact = reading;
  }
  if (exact && (!partial || partial.cm <= exact.cm)) return exact;
  return partial;
}

const NON_PD = new Set(['CR', 'PR', 'SD']);

function mrecistNonPd(a: ImagingAssessment, what: string): Reading[] {
  return responseFindings(a)
    .filter(
      (f) =>
        (f.scale === 'mrecist' || f.scale === 'easl') &&
        assertion(f) === 'asserted' &&
        NON_PD.has(f.category),
    )
    .map((f) => ({
      state: 'negative' as const,
      evidence: [findingEvidence(a, f, responseLabel(f.scale, f.category))],
      notes: [
        `no ${what} derived from ${responseLabel(f.scale, f.category)} (a new lesion would be progressive disease)`,
      ],
    }));
}

/** Positive wins; hedged blocks a negative; negatives need an explicit statement (or a non-PD mRECIST/EASL). */
function presenceCombine(pos: Reading[], hedged: Reading[], neg: Reading[]): Reading {
  if (pos.length > 0)
    return {
      state: 'positive',
      evidence: flatOf(pos, (r) => r.evidence),
      notes: flatOf(pos, (r) => r.notes),
    };
  if (hedged.length > 0) {
    return {
      state: 'unknown',
      evidence: flatOf(hedged, (r) => r.evidence),
      notes: ['hedged wording is never positive'],
    };
  }
  if (neg.length > 0)
    return {
      state: 'negative',
      evidence: flatOf(neg, (r) => r.evidence),
      notes: flatOf(neg, (r) => r.notes),
    };
  return { state: 'unknown', evidence: [], notes: [] };
}

/** Intrahepatic tumour number increased versus the count before the previous TACE (JSH-LCSGJ 2014). */
export function intrahepaticIncreaseReading(a: ImagingAssessment, preCount: number | null): Reading {
  // Both JSH criteria, the response class and the session list ask it: read once per call and previous count.
  return readOnce(`increase\u0000${String(preCount)}`, a, () => readIncrease(a, preCount));
}

function readIncrease(a: ImagingAssessment, preCount: number | null): Reading {
  const pos: Reading[] = [];
  const hedged: Reading[] = [];
  const neg: Reading[] = [];
  for (const f of a.findings) {
    if (f.type === 'new-lesions' && f.location !== 'extrahepatic') {
      const s = assertion(f);
      const r = {
        state: 'unknown' as Tri,
        evidence: [findingEvidence(a, f, 'new intrahepatic lesion(s)')],
        notes: [],
      };
      (s === 'asserted' ? pos : s === 'hedged' ? hedged : neg).push(r);
    }
  }
  const tc = tumorCountBoundOf(a);
  if (tc) {
    const ref = tc.previous ?? preCount;
    if (ref !== null && ref !== undefined) {
      const r = {
        state: 'unknown' as Tri,
        evidence: [tc.evidence],
        notes: [`count ${tc.atLeast ? `at least ${tc.count}` : tc.count} vs ${ref} before`],
      };
      // A lower bound decides only an increase ("multiple" after one); otherwise it says nothing.
      if (tc.count > ref) pos.push(r);
      else if (!tc.atLeast) neg.push(r);
    }
  }
  neg.push(...mrecistNonPd(a, 'new lesion'));
  return presenceCombine(pos, hedged, neg);
}

/** Vascular invasion or extrahepatic spread present on this assessment. */
export function presenceReading(
  a: ImagingAssessment,
  type: 'vascular-invasion' | 'extrahepatic-spread',
): Reading {
  return readOnce(type, a, () => readPresence(a, type));
}

function readPresence(a: ImagingAssessment, type: 'vascular-invasion' | 'extrahepatic-spread'): Reading {
  const pos: Reading[] = [];
  const hedged: Reading[] = [];
  const neg: Reading[] = [];
  const word = type === 'vascular-invasion' ? 'vascular invasion' : 'extrahepatic spread';
  for (const f of a.findings) {
    let label: string | null = null;
    if (f.type === 'vascular-invasion' && type === 'vascular-invasion') {
      label = `vascular invasion${f.vp ? ` ${f.vp}` : ''}${f.vessel ? ` (${f.vessel})` : ''}${f.bland ? ' — bland thrombus' : ''}`;
      if (f.bland) {
        hedged.push({ state: 'unknown', evidence: [findingEvidence(a, f, label)], notes: [] });
        continue;
      }
    } else if (f.type === 'extrahepatic-spread' && type === 'extrahepatic-spread') {
      label = `extrahepatic spread${f.site ? ` (${f.site})` : ''}`;
    } else if (f.type === 'new-lesions' && f.location === 'extrahepatic' && type === 'extrahepatic-spread') {
      label = 'new extrahepatic lesion(s)';
    }
    if (label === null) continue;
    const s = assertion(f);
    const r = { state: 'unknown' as Tri, evidence: [findingEvidence(a, f, label)], notes: [] };
    (s === 'asserted' ? pos : s === 'hedged' ? hedged : neg).push(r);
  }
  neg.push(...mrecistNonPd(a, word));
  return presenceCombine(pos, hedged, neg);
}

export type ResponseClass = 'OR' | 'SD' | 'PD' | 'unknown';

const CLASS_OF: Record<string, ResponseClass> = {
  'mrecist:CR': 'OR',
  'mrecist:PR': 'OR',
  'mrecist:SD': 'SD',
  'mrecist:PD': 'PD',
  'easl:CR': 'OR',
  'easl:PR': 'OR',
  'easl:SD': 'SD',
  'easl:PD': 'PD',
  'mcode-status:improved': 'OR',
  'mcode-status:stable': 'SD',
  'mcode-status:worsened': 'PD',
  'recicl:TE4': 'OR',
  'lirads-tr:nonviable': 'OR',
};

/** Objective-response class of an assessment (CR/PR → OR); a new lesion or new vascular invasion/spread is PD. */
export function responseClass(a: ImagingAssessment): {
  cls: ResponseClass;
  evidence: EvidenceItem[];
  notes: string[];
} {
  return readOnce('response-class', a, () => readResponseClass(a));
}

function readResponseClass(a: ImagingAssessment): {
  cls: ResponseClass;
  evidence: EvidenceItem[];
  notes: string[];
} {
  const evidence: EvidenceItem[] = [];
  const classes = new Set<ResponseClass>();
  let hedged = false;
  for (const f of responseFindings(a)) {
    evidence.push(findingEvidence(a, f, responseLabel(f.scale, f.category)));
    if (assertion(f) !== 'asserted') {
      hedged = true;
      continue;
    }
    classes.add(CLASS_OF[`${f.scale}:${f.category}`] ?? 'unknown');
  }
  const newLesion = intrahepaticIncreaseReading(a, null);
  const vi = presenceReading(a, 'vascular-invasion');
  const ehs = presenceReading(a, 'extrahepatic-spread');
  for (const r of [newLesion, vi, ehs]) {
    if (r.state === 'positive') {
      evidence.push(...r.evidence);
      return {
        cls: 'PD',
        evidence,
        notes: ['new lesion / vascular invasion / extrahepatic spread = progression (mRECIST)'],
      };
    }
  }
  if (hedged || classes.size !== 1)
    return { cls: 'unknown', evidence, notes: classes.size > 1 ? ['conflicting response categories'] : [] };
  return { cls: [...classes][0] ?? 'unknown', evidence, notes: [] };
}
