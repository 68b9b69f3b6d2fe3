/**
 * Clinical complete response and drug-off criteria (Kudo 2025, Interv Radiol 10:e2023-0035, Table 1) —
 * clinical-reference.md §4. Clinical CR: CR by mRECIST (or RECIST 1.1) on CT/MRI and AFP, AFP-L3 and PIVKA-II all
 * continuously normal for > 6 weeks. Drug-off: CR by superselective TACE/RFA/MWA, markers normal > 12–24 weeks
 * (setting, default 12) and no intranodular arterial flow on contrast ultrasound (clinician input).
 */
import type { ImagingAssessment } from '../../domain/imaging';
import type { AnalyteId, Measurement } from '../../domain/labs';
import type { EvidenceItem, Status } from '../result';
import { assertion, intrahepaticIncreaseReading, presenceReading } from '../findings';
import { dayNumber } from '../dates';
import { derivedEvidence, findingEvidence, measurementEvidence } from '../evidence';
import { seriesUpTo } from '../labs';
import { canonicalValue, MARKER_LABEL, upperNormal } from '../markers';
import { allOf, sub, type CriterionDefinition, type EngineContext } from './types';

/** Markers continuously normal for more than 6 weeks. */
export const CLINICAL_CR_MARKER_DAYS = 42;

export const CLINICAL_CR_CITATION =
  'Kudo 2025 Interv Radiol 10:e2023-0035, Table 1 (clinical CR; drug-off criteria)';

type V = { status: Status; evidence: EvidenceItem[]; missing: string[]; notes?: string[] };

/** Response categories that say viable tumour remains (clinical-reference.md §2 table). */
function contradictsCr(scale: string, category: string): boolean {
  switch (scale) {
    case 'mrecist':
    case 'easl':
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
        const ev = findingEvidence(a, f, `${f.scale} ${f.category}`);
        if (s !== 'asserted') {
          hedged.push(ev);
          continue;
        }
        if (contradictsCr(f.scale, f.category)) return { status: 'not-met', evidence: [ev], missing: [] };
        if ((f.scale === 'mrecist' || f.scale === 'easl') && f.category === 'CR') cr = ev;
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

/** A marker continuously normal for more than `days` days up to its latest value. */
export function markerNormalFor(ctx: EngineContext, analytes: AnalyteId[], days: number): V {
  const name = analytes.map((a) => MARKER_LABEL[a] ?? a).join(' / ');
  const withData = analytes.filter((a) => seriesUpTo(ctx.timeline, a, ctx.asOf).length > 0);
  if (withData.length === 0) return { status: 'indeterminate', evidence: [], missing: [`${name} results`] };
  const parts = withData.map((a): V => {
    const list = seriesUpTo(ctx.timeline, a, ctx.asOf);
    const label = MARKER_LABEL[a] ?? a;
    const normal = (m: Measurement): boolean | null => {
      const uln = upperNormal(m);
      if (uln === null) return null;
      const v = canonicalValue(m);
      if (v === null) return null;
      if (m.comparator === '>' || m.comparator === '>=') return v >= uln ? false : null;
      return v <= uln;
    };
    const last = list[list.length - 1] as Measurement;
    const lastNormal = normal(last);
    if (lastNormal === false)
      return {
        status: 'not-met',
        evidence: [measurementEvidence(last, `${label} above normal`)],
        missing: [],
      };
    if (lastNormal === null)
      return {
        status: 'indeterminate',
        evidence: [measurementEvidence(last, label)],
        missing: [`${label} upper normal limit`],
      };
    const run: Measurement[] = [last];
    let before: Measurement | null = null;
    for (let i = list.length - 2; i >= 0; i--) {
      const m = list[i] as Measurement;
      const n = normal(m);
      if (n === true) run.unshift(m);
      else {
        before = n === false ? m : null;
        if (n === null) run.unshift(m);
        break;
      }
    }
    const first = run[0] as Measurement;
    const span = dayNumber(last.date) - dayNumber(first.date);
    const evidence = run.map((m) => measurementEvidence(m, `${label} normal`));
    if (span > days)
      return { status: 'met', evidence, missing: [], notes: [`${label} normal for ${span} days`] };
    if (before) {
      return {
        status: 'not-met',
        evidence: [...evidence, measurementEvidence(before, `${label} above normal`)],
        missing: [],
        notes: [`${label} normal for only ${span} days (needs > ${days})`],
      };
    }
    return {
      status: 'indeterminate',
      evidence,
      missing: [`${label} values spanning more than ${days} days of normal results`],
    };
  });
  if (parts.some((p) => p.status === 'not-met'))
    return { status: 'not-met', evidence: parts.flatMap((p) => p.evidence), missing: [] };
  if (parts.every((p) => p.status === 'met'))
    return {
      status: 'met',
      evidence: parts.flatMap((p) => p.evidence),
      missing: [],
      notes: parts.flatMap((p) => p.notes ?? []),
    };
  return {
    status: 'indeterminate',
    evidence: parts.flatMap((p) => p.evidence),
    missing: parts.flatMap((p) => p.missing),
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
  thresholds: { CLINICAL_CR_MARKER_DAYS },
  evaluate: (ctx: EngineContext) => evaluateClinicalCr(ctx),
};

export const drugOff: CriterionDefinition = {
  id: 'drug-off',
  version: '2025',
  title: 'Drug-off criteria (Kudo 2025)',
  citation: CLINICAL_CR_CITATION,
  thresholds: { DRUG_OFF_WEEKS_MIN: 12, DRUG_OFF_WEEKS_MAX: 24 },
  evaluate: (ctx: EngineContext) => evaluateDrugOff(ctx),
};
