/**
 * Tumour-marker item of JSH 2010 / JSH-LCSGJ 2014 / JSH 2021 — engine policy of clinical-reference.md §1
 * (JSH defines it qualitatively; these numbers are the engine's, shown as such in the UI).
 */
import type { AnalyteId, Measurement } from '../domain/labs';
import type { Timeline } from '../domain/timeline';
import type { EngineSettings, EvidenceItem, Status } from './result';
import { measurementEvidence } from './evidence';
import { boundsIn, reportedAs, seriesWithin, unitConversion, valueIn } from './labs';
import { CANONICAL_UNITS } from '../domain/units';
import type { SessionView } from './sessions';
import { oncePerCall, ownArrays } from './per-call';
import { flatOf } from './arrays';

/** Baseline = last value in the 30 days before the session (the session day included: pre-procedure draw). */
export const MARKER_BASELINE_DAYS = 30;
/** Post values from T+1 to T+60 days (stopping at the next treatment). */
export const MARKER_POST_FIRST_DAY = 1;
export const MARKER_POST_LAST_DAY = 60;
/** Met: ≥ 2 post values, last ≥ baseline × 1.20, none below baseline × 0.80, last above the upper normal limit. */
export const MARKER_MIN_POST_VALUES = 2;
export const MARKER_RISE_FRACTION = 0.2;
export const MARKER_TRANSIENT_DIP_FRACTION = 0.2;
/** Not met: last post value ≤ baseline × 0.50, or normalised (≤ upper normal limit). */
export const MARKER_FALL_FRACTION = 0.5;

/** Upper normal limits (clinical-reference §4; the result's own reference range is preferred). */
export const MARKER_UPPER_NORMAL: Readonly<Partial<Record<AnalyteId, number>>> = {
  afp: 10,
  afpL3: 10,
  pivka: 40,
  'pivka-ng': 7.5,
};

export const MARKER_ANALYTES: readonly AnalyteId[] = ['afp', 'afpL3', 'pivka', 'pivka-ng'];

export const MARKER_LABEL: Readonly<Partial<Record<AnalyteId, string>>> = {
  afp: 'AFP',
  afpL3: 'AFP-L3',
  pivka: 'PIVKA-II (mAU/mL)',
  'pivka-ng': 'PIVKA-II (ng/mL)',
};

export const MARKER_THRESHOLDS = {
  MARKER_BASELINE_DAYS,
  MARKER_POST_FIRST_DAY,
  MARKER_POST_LAST_DAY,
  MARKER_MIN_POST_VALUES,
  MARKER_RISE_FRACTION,
  MARKER_TRANSIENT_DIP_FRACTION,
  MARKER_FALL_FRACTION,
} as const;

/** Value in the analyte's canonical unit (domain/units.ts); null when the unit is unknown. */
export function canonicalValue(m: Measurement): number | null {
  return valueIn(m, CANONICAL_UNITS[m.analyte]);
}

/** Whether valueIn(…, canonical unit) can give a number at all: the canonical unit converts with a positive factor. */
function canonicalUnitConverts(analyte: AnalyteId): boolean {
  const t = unitConversion(analyte, CANONICAL_UNITS[analyte]);
  return t.ok && t.factor > 0;
}

/** Upper normal limit in the canonical unit: the result's own reference range when given, else the default. */
export function upperNormal(m: Measurement): number | null {
  const high = m.referenceRange?.high;
  if (high !== undefined && Number.isFinite(high) && m.referenceRange) {
    const v = valueIn({ ...m, value: high, unit: m.referenceRange.unit }, CANONICAL_UNITS[m.analyte]);
    if (v !== null) return v;
  }
  return MARKER_UPPER_NORMAL[m.analyte] ?? null;
}

/**
 * [lo, hi] bounds of a possibly censored value, in the canonical unit (labs.ts boundsIn: the open side is bounded
 * by the plausible range). Open/closed ends are not needed here: the rules compare with ratios of the baseline.
 */
function bounds(m: Measurement): [number, number] {
  const b = boundsIn(m, CANONICAL_UNITS[m.analyte]);
  return b ? [b.lo, b.hi] : [Number.NaN, Number.NaN];
}

export interface MarkerVerdict {
  status: Status;
  evidence: EvidenceItem[];
  missing: string[];
  hasData: boolean;
}

export function markerAfterSession(
  timeline: Timeline,
  analyte: AnalyteId,
  s: SessionView,
  asOf: string,
): MarkerVerdict {
  const name = MARKER_LABEL[analyte] ?? analyte;
  // The usable values (on/before asOf, a known unit) within each window, found by binary search in the sorted
  // series: the same values in the same order as filtering the whole series (labs.ts seriesWithin).
  // A series holds only values whose unit converts for their analyte (labs.ts buildSeries), so canonicalValue is a
  // number for each of them whenever they are of this analyte and its canonical unit itself converts: then the
  // filter would keep every value.
  const everyConverts = canonicalUnitConverts(analyte);
  const within = (from: number, to: number) => {
    const values = seriesWithin(timeline, analyte, asOf, from, to);
    if (everyConverts && values.every((m) => m.analyte === analyte)) return values;
    return values.filter((m) => canonicalValue(m) !== null);
  };
  const pre = within(s.dayNum - MARKER_BASELINE_DAYS, s.dayNum);
  const base = pre[pre.length - 1];
  const postEnd = Math.min(
    s.dayNum + MARKER_POST_LAST_DAY,
    s.nextTreatmentDayNum === null ? Infinity : s.nextTreatmentDayNum - 1,
  );
  const postAll = within(s.dayNum + MARKER_POST_FIRST_DAY, postEnd);
  const hasData = base !== undefined || postAll.length > 0;
  // A censored baseline ("<2 ng/mL") is an interval [bLo, bHi]: a rise must clear its top, a fall its bottom.
  const [bLo, bHi] = base ? bounds(base) : [Number.NaN, Number.NaN];
  if (!base || !(bHi > 0)) {
    return {
      status: 'indeterminate',
      evidence: [
        ...(base ? [measurementEvidence(base, `${name} baseline`)] : []),
        ...postAll.map((m) => measurementEvidence(m, `${name} after TACE`)),
      ],
      missing: [
        base
          ? `a positive ${name} baseline before the TACE of ${s.day} (reported as ${reportedAs(base)})`
          : `${name} baseline within ${MARKER_BASELINE_DAYS} days before the TACE of ${s.day}`,
      ],
      hasData,
    };
  }
  const censoredBase = base.comparator !== undefined;
  const post = postAll;
  const evidence = [
    measurementEvidence(base, censoredBase ? `${name} baseline (censored)` : `${name} baseline`),
    ...post.map((m) => measurementEvidence(m, `${name} after TACE`)),
  ];
  const last = post[post.length - 1];
  if (!last) {
    return {
      status: 'indeterminate',
      evidence,
      missing: [
        `${name} between ${MARKER_POST_FIRST_DAY} and ${MARKER_POST_LAST_DAY} days after the TACE of ${s.day}`,
      ],
      hasData,
    };
  }
  const uln = upperNormal(last);
  const [lastLo, lastHi] = bounds(last);
  if (lastHi <= bLo * (1 - MARKER_FALL_FRACTION) || (uln !== null && lastHi <= uln)) {
    return { status: 'not-met', evidence, missing: [], hasData };
  }
  const noDip = post.every((m) => bounds(m)[0] >= bHi * (1 - MARKER_TRANSIENT_DIP_FRACTION));
  if (
    Number.isFinite(bHi) &&
    post.length >= MARKER_MIN_POST_VALUES &&
    lastLo >= bHi * (1 + MARKER_RISE_FRACTION) &&
    noDip &&
    (uln === null || lastLo > uln)
  ) {
    return { status: 'met', evidence, missing: [], hasData };
  }
  return {
    status: 'indeterminate',
    evidence,
    missing:
      post.length < MARKER_MIN_POST_VALUES
        ? [`a second ${name} value within ${MARKER_POST_LAST_DAY} days after the TACE of ${s.day}`]
        : censoredBase
          ? [
              `an exact ${name} baseline before the TACE of ${s.day}: reported as ${reportedAs(base)}, which decides neither a sustained rise nor a fall (engine policy)`,
            ]
          : [`${name}: neither a sustained rise nor a fall after the TACE of ${s.day} (engine policy)`],
    hasData,
  };
}

/** All markers for one session: met if any marker is met; not-met if every marker with data is not-met. */
export function markersAfterSession(timeline: Timeline, s: SessionView, asOf: string): MarkerVerdict {
  const verdicts = MARKER_ANALYTES.map((a) => markerAfterSession(timeline, a, s, asOf)).filter(
    (v) => v.hasData,
  );
  if (verdicts.length === 0) {
    return {
      status: 'indeterminate',
      evidence: [],
      missing: [`AFP or PIVKA-II before and after the TACE of ${s.day}`],
      hasData: false,
    };
  }
  const evidence = flatOf(verdicts, (v) => v.evidence);
  if (verdicts.some((v) => v.status === 'met')) {
    return {
      status: 'met',
      evidence: flatOf(
        verdicts.filter((v) => v.status === 'met'),
        (v) => v.evidence,
      ),
      missing: [],
      hasData: true,
    };
  }
  if (verdicts.every((v) => v.status === 'not-met'))
    return { status: 'not-met', evidence, missing: [], hasData: true };
  return { status: 'indeterminate', evidence, missing: flatOf(verdicts, (v) => v.missing), hasData: true };
}

/**
 * The JSH item: after the most recent TACE (or the last two consecutive — setting `markerSessions`). JSH 2010 and
 * JSH-LCSGJ 2014 both ask for it: read once per evaluate call (per-call.ts; the sessions array is that call's, built
 * from `timeline`), each caller with its own arrays.
 */
export function markerItem(
  timeline: Timeline,
  sessions: SessionView[],
  asOf: string,
  settings: EngineSettings,
): MarkerVerdict {
  return ownArrays(
    oncePerCall(sessions, `markerItem\u0000${asOf}\u0000${settings.markerSessions}`, () =>
      readMarkerItem(timeline, sessions, asOf, settings),
    ),
  );
}

function readMarkerItem(
  timeline: Timeline,
  sessions: SessionView[],
  asOf: string,
  settings: EngineSettings,
): MarkerVerdict {
  const lastN = sessions.slice(-settings.markerSessions);
  if (lastN.length < settings.markerSessions || lastN.length === 0) {
    return {
      status: sessions.length === 0 ? 'indeterminate' : 'not-met',
      evidence: [],
      missing: sessions.length === 0 ? ['a completed TACE session'] : [],
      hasData: false,
    };
  }
  const vs = lastN.map((s) => markersAfterSession(timeline, s, asOf));
  const evidence = flatOf(vs, (v) => v.evidence);
  if (vs.every((v) => v.status === 'met')) return { status: 'met', evidence, missing: [], hasData: true };
  if (vs.some((v) => v.status === 'not-met'))
    return { status: 'not-met', evidence, missing: [], hasData: true };
  return { status: 'indeterminate', evidence, missing: flatOf(vs, (v) => v.missing), hasData: true };
}
