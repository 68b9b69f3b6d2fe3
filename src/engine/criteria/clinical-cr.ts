/**
 * Clinical complete response and drug-off criteria (Kudo 2025, Interv Radiol 10:e2023-0035, Table 1) —
 * clinical-reference.md §4. Clinical CR: CR by mRECIST (or RECIST 1.1) on CT/MRI and AFP, AFP-L3 and PIVKA-II all
 * continuously normal for > 6 weeks. Drug-off: CR by superselective TACE/RFA/MWA, markers normal > 12–24 weeks
 * (setting, default 12) and no intranodular arterial flow on contrast ultrasound (clinician input).
 */
import type { ImagingAssessment } from '../../domain/imaging';
import type { AnalyteId, Measurement } from '../../domain/labs';
import type { EvidenceItem, Status } from '../result';
import { assertion, intrahepaticIncreaseReading, presenceReading, responseLabel } from '../findings';
import { dayNumber, dayToIso, isoDay } from '../dates';
import { derivedEvidence, findingEvidence, measurementEvidence } from '../evidence';
import { boundsIn, reportedAs, seriesUpTo } from '../labs';
import { isBelow } from '../bounds';
import { CANONICAL_UNITS } from '../../domain/units';
import { MARKER_LABEL, upperNormal } from '../markers';
import { allOf, sub, type CriterionDefinition, type EngineContext } from './types';
import { oncePerCall } from '../per-call';
import { flatOf } from '../arrays';

/** Markers continuously normal for more than 6 weeks (Kudo 2025 Table 1: "> 6 weeks"). */
export const CLINICAL_CR_MARKER_DAYS = 42;

/**
 * "Continuously normal for > 6 weeks" (Kudo 2025 Table 1; drug-off: > 12–24 weeks) says how long, not how often
 * to measure. Engine policy, per marker, as of the assessment date (asOf), with D = the required duration in days:
 * - met: at least CLINICAL_CR_MIN_NORMAL_VALUES normal results, the latest dated inside the window
 *   [asOf − D, asOf], the earliest more than D days before the latest, and every result between them normal
 *   (an abnormal or undecidable result breaks the run);
 * - not-met: a result above normal so recent that no run of normal results longer than D days fits between it and
 *   asOf;
 * - indeterminate otherwise, naming the test and the dates that would decide it. In particular a normal result
 *   older than the window proves nothing about the window (a pre-treatment AFP-L3 is not proof months later).
 * A censored result counts as normal only when its bound is at or below the upper normal limit ("<0.5 %"), and as
 * above normal only when its bound is above it (">20"); otherwise it is undecidable.
 */
export const CLINICAL_CR_MIN_NORMAL_VALUES = 2;
export const MARKER_NORMAL_POLICY =
  'at least 2 normal results spanning more than the required duration, the latest within that duration before the assessment date, none abnormal in between (engine policy; Kudo 2025 Table 1 gives the duration only)';

export const CLINICAL_CR_CITATION =
  'Kudo 2025 Interv Radiol 10:e2023-0035, Table 1 (clinical CR; drug-off criteria)';

type V = { status: Status; evidence: EvidenceItem[]; missing: string[]; notes?: string[] };

/** Response categories that say viable tumour remains (clinical-reference.md §2 table). */
function contradictsCr(scale: string, category: string): boolean {
  switch (scale) {
    case 'mrecist':
    case 'easl':
    case 'recist':
      return category !== 'CR';
    case 'lirads-tr':
      return category === 'viable';
    case 'recicl':
      return category !== 'TE4';
    case 'mcode-status':
      return category === 'worsened';
    default:
      return false;
  }
}

/** CR on the latest imaging that states a response (mRECIST/EASL CR; anything else asserted = not CR). */
export function imagingCr(imaging: readonly ImagingAssessment[]): V {
  for (let i = imaging.length - 1; i >= 0; i--) {
    const a = imaging[i] as ImagingAssessment;
    const hedged: EvidenceItem[] = [];
    // A new lesion, vascular invasion or extrahepatic spread on the latest report rules out CR.
    for (const r of [
      intrahepaticIncreaseReading(a, null),
      presenceReading(a, 'vascular-invasion'),
      presenceReading(a, 'extrahepatic-spread'),
    ]) {
      if (r.state === 'positive') return { status: 'not-met', evidence: r.evidence, missing: [] };
    }
    // All asserted response findings of this assessment are read together: a report often states several scales
    // ("mRECIST CR, LR-TR Nonviable"), and an mCODE status derived from it ("improved") neither proves nor
    // contradicts a CR. Only mRECIST/EASL CR establishes it; any scale that says tumour remains contradicts it.
    let cr: EvidenceItem | undefined;
    for (const f of a.findings) {
      const s = assertion(f);
      if (f.type === 'response') {
        const ev = findingEvidence(a, f, responseLabel(f.scale, f.category));
        if (s !== 'asserted') {
          hedged.push(ev);
          continue;
        }
        if (contradictsCr(f.scale, f.category)) return { status: 'not-met', evidence: [ev], missing: [] };
        // Kudo 2025 Table 1: CR by mRECIST or RECIST 1.1 (EASL read as mRECIST's sibling).
        if ((f.scale === 'mrecist' || f.scale === 'easl' || f.scale === 'recist') && f.category === 'CR')
          cr = ev;
        continue;
      }
      if (
        f.type === 'viable-percent' &&
        s === 'asserted' &&
        f.percent > 0 &&
        f.comparator !== '<' &&
        f.comparator !== '<='
      ) {
        return {
          status: 'not-met',
          evidence: [findingEvidence(a, f, `viable tumour ${f.percent} %`)],
          missing: [],
        };
      }
    }
    if (cr) return { status: 'met', evidence: [cr], missing: [] };
    if (hedged.length > 0)
      return {
        status: 'indeterminate',
        evidence: hedged,
        missing: ['an unhedged mRECIST response on the latest CT/MRI'],
      };
  }
  return {
    status: 'indeterminate',
    evidence: [],
    missing: ['CT/MRI with an mRECIST (or RECIST 1.1) response'],
  };
}

/**
 * Normal (≤ upper normal limit), above normal, or undecidable (no limit; a censored bound that straddles it).
 * Clinical CR and drug-off ask it of the same results: read once per evaluate call (per-call.ts).
 */
function normalState(m: Measurement): boolean | null {
  return oncePerCall(m, 'normalState', () => readNormalState(m));
}

function readNormalState(m: Measurement): boolean | null {
  const uln = upperNormal(m);
  if (uln === null) return null;
  const b = boundsIn(m, CANONICAL_UNITS[m.analyte]);
  if (!b) return null;
  return isBelow(b, uln, true) ?? null;
}

/** Why a result is undecidable, for `missing`. */
function undecidableText(m: Measurement, label: string): string {
  const uln = upperNormal(m);
  return uln === null
    ? `${label} upper normal limit (result of ${isoDay(m.date)})`
    : `an exact ${label} value for ${isoDay(m.date)} (reported as ${reportedAs(m)}; upper normal limit ${uln})`;
}

/** One marker series against the policy of MARKER_NORMAL_POLICY. */
function markerRun(ctx: EngineContext, a: AnalyteId, days: number, list: readonly Measurement[]): V {
  const label = MARKER_LABEL[a] ?? a;
  const asOfDay = dayNumber(ctx.asOf);
  const windowStart = dayToIso(asOfDay - days);
  const inWindow = `${label} measured between ${windowStart} and ${ctx.asOf}`;
  const weeks = `${Math.round((days / 7) * 10) / 10} weeks`;
  const last = list[list.length - 1];
  if (!last) {
    return {
      status: 'indeterminate',
      evidence: [],
      missing: [`${inWindow}, with normal results spanning more than ${weeks}`],
    };
  }
  const lastDay = dayNumber(last.date);
  const lastState = normalState(last);
  if (lastState === false) {
    // A normal run longer than `days` must start after this result and end by asOf.
    if (asOfDay - (lastDay + 1) <= days)
      return {
        status: 'not-met',
        evidence: [measurementEvidence(last, `${label} above normal`)],
        missing: [],
        notes: [`${label} above normal on ${isoDay(last.date)}: not normal for > ${weeks} by ${ctx.asOf}`],
      };
    return {
      status: 'indeterminate',
      evidence: [measurementEvidence(last, `${label} above normal`)],
      missing: [
        `${inWindow} (the latest ${label}, on ${isoDay(last.date)}, was above normal; normal results since then must span more than ${weeks})`,
      ],
    };
  }
  if (lastState === null)
    return {
      status: 'indeterminate',
      evidence: [measurementEvidence(last, label)],
      missing: [undecidableText(last, label)],
    };
  if (lastDay < asOfDay - days)
    return {
      status: 'indeterminate',
      evidence: [measurementEvidence(last, `${label} normal (before the ${weeks} window)`)],
      missing: [`${inWindow} (the latest, on ${isoDay(last.date)}, is older than ${weeks})`],
    };
  const run: Measurement[] = [last];
  let barrier: Measurement | null = null;
  for (let i = list.length - 2; i >= 0; i--) {
    const m = list[i] as Measurement;
    if (normalState(m) === true) run.unshift(m);
    else {
      barrier = m;
      break;
    }
  }
  const first = run[0] as Measurement;
  const firstDay = dayNumber(first.date);
  const span = lastDay - firstDay;
  const evidence = run.map((m) => measurementEvidence(m, `${label} normal`));
  if (run.length >= CLINICAL_CR_MIN_NORMAL_VALUES && span > days)
    return { status: 'met', evidence, missing: [], notes: [`${label} normal for ${span} days`] };
  const barrierAbnormal = barrier !== null && normalState(barrier) === false;
  const barrierDay = barrier ? dayNumber(barrier.date) : -Infinity;
  // Results that would decide it: an earlier normal one (after the barrier), or a later one up to asOf.
  const earlierTo = lastDay - days - 1;
  const laterFrom = firstDay + days + 1;
  const earlier = barrier === null || barrierAbnormal ? earlierTo >= barrierDay + 1 : false;
  const later = laterFrom <= asOfDay;
  if (barrierAbnormal && !earlier && !later) {
    return {
      status: 'not-met',
      evidence: [...evidence, measurementEvidence(barrier as Measurement, `${label} above normal`)],
      missing: [],
      notes: [
        `${label} normal for only ${span} days since ${isoDay((barrier as Measurement).date)} (needs > ${days})`,
      ],
    };
  }
  const options: string[] = [];
  if (barrier && !barrierAbnormal) options.push(undecidableText(barrier, label));
  if (earlier)
    options.push(
      barrierAbnormal
        ? `${label} normal between ${dayToIso(barrierDay + 1)} and ${dayToIso(earlierTo)}`
        : `${label} normal on or before ${dayToIso(earlierTo)}`,
    );
  if (later) options.push(`${label} normal between ${dayToIso(laterFrom)} and ${ctx.asOf}`);
  return {
    status: 'indeterminate',
    evidence: barrier ? [...evidence, measurementEvidence(barrier, label)] : evidence,
    missing: [`${options.join(', or ')} (normal results must span more than ${weeks}; so far ${span} days)`],
  };
}

/**
 * A marker continuously normal for more than `days` days as of asOf (policy: MARKER_NORMAL_POLICY). Several
 * analytes (PIVKA-II in mAU/mL and in ng/mL) are one marker: each series with data must meet the policy.
 */
export function markerNormalFor(ctx: EngineContext, analytes: AnalyteId[], days: number): V {
  // Each series read once here (seriesUpTo builds a new array at every call; these only read it).
  const series = new Map(analytes.map((a) => [a, seriesUpTo(ctx.timeline, a, ctx.asOf)] as const));
  const seriesOf = (a: AnalyteId): Measurement[] => series.get(a) ?? [];
  const withData = analytes.filter((a) => seriesOf(a).length > 0);
  if (withData.length === 0)
    return markerRun(ctx, analytes[0] as AnalyteId, days, seriesOf(analytes[0] as AnalyteId));
  let parts = withData.map((a): V => markerRun(ctx, a, days, seriesOf(a)));
  // A unit family with no result inside the window (an assay the lab no longer uses) is superseded when another
  // family meets the policy; a recent abnormal result in any family still counts (not-met above).
  const windowStartDay = dayNumber(ctx.asOf) - days;
  if (parts.some((p) => p.status === 'met'))
    parts = parts.filter(
      (_p, i) =>
        seriesOf(withData[i] as AnalyteId).some((m) => dayNumber(m.date) >= windowStartDay) ||
        parts[i]?.status === 'not-met',
    );
  if (parts.some((p) => p.status === 'not-met'))
    return { status: 'not-met', evidence: flatOf(parts, (p) => p.evidence), missing: [] };
  if (parts.every((p) => p.status === 'met'))
    return {
      status: 'met',
      evidence: flatOf(parts, (p) => p.evidence),
      missing: [],
      notes: flatOf(parts, (p) => p.notes ?? []),
    };
  return {
    status: 'indeterminate',
    evidence: flatOf(parts, (p) => p.evidence),
    missing: flatOf(parts, (p) => p.missing),
  };
}

export function evaluateClinicalCr(ctx: EngineContext) {
  const d = CLINICAL_CR_MARKER_DAYS;
  return allOf([
    sub('imaging-cr', 'Complete response (mRECIST/RECIST 1.1) on the latest CT/MRI', imagingCr(ctx.imaging)),
    sub('afp-normal', `AFP normal for > 6 weeks`, markerNormalFor(ctx, ['afp'], d), {
      CLINICAL_CR_MARKER_DAYS,
    }),
    sub('afp-l3-normal', `AFP-L3 normal for > 6 weeks`, markerNormalFor(ctx, ['afpL3'], d), {
      CLINICAL_CR_MARKER_DAYS,
    }),
    sub('pivka-normal', `PIVKA-II normal for > 6 weeks`, markerNormalFor(ctx, ['pivka', 'pivka-ng'], d), {
      CLINICAL_CR_MARKER_DAYS,
    }),
  ]);
}

export function evaluateDrugOff(ctx: EngineContext) {
  const days = ctx.settings.drugOffWeeks * 7;
  const flow = ctx.inputs.noIntranodularFlowOnCeus;
  return allOf([
    sub('imaging-cr', 'Complete response after superselective TACE/RFA/MWA (CT/MRI)', imagingCr(ctx.imaging)),
    sub(
      'afp-normal',
      `AFP normal for > ${ctx.settings.drugOffWeeks} weeks`,
      markerNormalFor(ctx, ['afp'], days),
      { drugOffWeeks: ctx.settings.drugOffWeeks },
    ),
    sub(
      'afp-l3-normal',
      `AFP-L3 normal for > ${ctx.settings.drugOffWeeks} weeks`,
      markerNormalFor(ctx, ['afpL3'], days),
      { drugOffWeeks: ctx.settings.drugOffWeeks },
    ),
    sub(
      'pivka-normal',
      `PIVKA-II normal for > ${ctx.settings.drugOffWeeks} weeks`,
      markerNormalFor(ctx, ['pivka', 'pivka-ng'], days),
      { drugOffWeeks: ctx.settings.drugOffWeeks },
    ),
    sub(
      'no-arterial-flow-ceus',
      'No intranodular arterial flow on contrast-enhanced ultrasound',
      flow === undefined
        ? { status: 'indeterminate', evidence: [], missing: ['contrast ultrasound result (clinician input)'] }
        : {
            status: flow ? 'met' : 'not-met',
            evidence: [
              {
                ...derivedEvidence(
                  'clinician-input/ceus',
                  ctx.asOf,
                  'no intranodular arterial flow on CEUS',
                  flow,
                ),
                origin: 'clinician',
              },
            ],
            missing: [],
          },
    ),
  ]);
}

export const clinicalCr: CriterionDefinition = {
  id: 'clinical-cr',
  version: '2025',
  title: 'Clinical complete response (Kudo 2025)',
  citation: CLINICAL_CR_CITATION,
  thresholds: { CLINICAL_CR_MARKER_DAYS, CLINICAL_CR_MIN_NORMAL_VALUES, MARKER_NORMAL_POLICY },
  evaluate: (ctx: EngineContext) => evaluateClinicalCr(ctx),
};

export const drugOff: CriterionDefinition = {
  id: 'drug-off',
  version: '2025',
  title: 'Drug-off criteria (Kudo 2025)',
  citation: CLINICAL_CR_CITATION,
  thresholds: {
    DRUG_OFF_WEEKS_MIN: 12,
    DRUG_OFF_WEEKS_MAX: 24,
    CLINICAL_CR_MIN_NORMAL_VALUES,
    MARKER_NORMAL_POLICY,
  },
  evaluate: (ctx: EngineContext) => evaluateDrugOff(ctx),
};
