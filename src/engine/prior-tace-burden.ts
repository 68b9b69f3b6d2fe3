/**
 * Prior-TACE burden flags (Hien 2024, J Gastrointest Oncol 15:721–729): > 4 TACE sessions before HAIC → shorter
 * survival (HR 1.52); other adverse factors albumin ≤ 3 g/dL, AST > 40 U/L, CRP > 3 mg/L, tumour number > 4.
 */
import type { ImagingAssessment } from '../domain/imaging';
import type { PriorTaceBurden, Status } from './result';
import type { EngineContext } from './criteria/types';
import { measurementEvidence } from './evidence';
import { tumorCountOf } from './findings';
import { pick } from './scores/from-timeline';
import { isAbove, isBelow, type Bounds } from './bounds';
import { reportedAs } from './labs';

export const HIEN_SESSIONS_ABOVE = 4;
export const HIEN_ALBUMIN_MAX_G_DL = 3;
export const HIEN_AST_ABOVE_U_L = 40;
export const HIEN_CRP_ABOVE_MG_L = 3;
export const HIEN_TUMOR_NUMBER_ABOVE = 4;
export const HIEN_2024_CITATION = 'Hien 2024 J Gastrointest Oncol 2024;15:721–729';

export function priorTaceBurden(ctx: EngineContext): PriorTaceBurden {
  const lab = (
    id: string,
    title: string,
    analyte: 'albumin' | 'ast' | 'crp',
    unit: string,
    test: (b: Bounds) => boolean | undefined,
  ) => {
    const p = pick(ctx.timeline, analyte, unit, ctx.asOf);
    // A censored result (">40", "<3") decides the flag when its bound does; otherwise it stays indeterminate.
    const answer = p ? test(p.bounds) : undefined;
    const status: Status = answer === undefined ? 'indeterminate' : answer ? 'met' : 'not-met';
    return {
      id,
      title,
      status,
      evidence: p ? [measurementEvidence(p.m, title)] : [],
      missing:
        answer !== undefined
          ? []
          : p
            ? [`an exact ${analyte} value (reported as ${reportedAs(p.m)})`]
            : [`latest ${analyte} (${unit})`],
    };
  };
  let count: ReturnType<typeof tumorCountOf> = null;
  for (let i = ctx.imaging.length - 1; i >= 0 && !count; i--)
    count = tumorCountOf(ctx.imaging[i] as ImagingAssessment);
  return {
    count: ctx.sessions.length,
    overFourSessions: ctx.sessions.length > HIEN_SESSIONS_ABOVE,
    factors: [
      lab('albumin-low', 'Albumin ≤ 3 g/dL', 'albumin', 'g/dL', (b) =>
        isBelow(b, HIEN_ALBUMIN_MAX_G_DL, true),
      ),
      lab('ast-high', 'AST > 40 U/L', 'ast', 'U/L', (b) => isAbove(b, HIEN_AST_ABOVE_U_L)),
      lab('crp-high', 'CRP > 3 mg/L', 'crp', 'mg/L', (b) => isAbove(b, HIEN_CRP_ABOVE_MG_L)),
      {
        id: 'tumor-number-high',
        title: 'Tumour number > 4',
        status: count ? (count.count > HIEN_TUMOR_NUMBER_ABOVE ? 'met' : 'not-met') : 'indeterminate',
        evidence: count ? [count.evidence] : [],
        missing: count ? [] : ['number of tumours on imaging'],
      },
    ],
    citation: HIEN_2024_CITATION,
    thresholds: {
      HIEN_SESSIONS_ABOVE,
      HIEN_ALBUMIN_MAX_G_DL,
      HIEN_AST_ABOVE_U_L,
      HIEN_CRP_ABOVE_MG_L,
      HIEN_TUMOR_NUMBER_ABOVE,
    },
  };
}
