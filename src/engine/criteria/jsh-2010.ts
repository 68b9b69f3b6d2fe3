/**
 * TACE failure/refractoriness — JSH 2010 (Japan Society of Hepatology; JSH manual 2nd ed.), as tabulated in
 * Zhang 2022 Table 1 and clinical-reference.md §1: poor lipiodol deposition (≤ 50 %) or new intrahepatic lesions
 * on response CT two or more consecutive times; appearance of vascular invasion or extrahepatic spread (once);
 * tumour markers rising right after TACE.
 */
import { intrahepaticIncreaseReading, lipiodolReading, LIPIODOL_INSUFFICIENT_MAX_PERCENT } from '../findings';
import { consecutive, readSession } from '../session-readings';
import { markerItem, MARKER_THRESHOLDS } from '../markers';
import { appearanceAfterTace } from './appearance';
import { JSH_CONSECUTIVE_SESSIONS } from './jsh-lcsgj-2014';
import { anyOf, NO_SESSION_MISSING, sub, type CriterionDefinition, type EngineContext } from './types';

export const JSH_2010_CITATION =
  'Japan Society of Hepatology 2010 (Clinical Practice Manual for HCC, 2nd ed.); Zhang 2022 J Clin Transl Hepatol 10:740–747, Table 1';

export function evaluateJsh2010(ctx: EngineContext) {
  const none = ctx.sessions.length === 0;
  const noSession = { status: 'indeterminate' as const, evidence: [], missing: [NO_SESSION_MISSING] };
  const lip = none
    ? noSession
    : consecutive(
        ctx.sessions.map((s) =>
          readSession(s, (a) => lipiodolReading(a, ctx.settings), 'lipiodol deposition %', {
            keyWords: { positive: 'insufficient deposition', negative: 'sufficient deposition' },
          }),
        ),
      );
  const fresh = none
    ? noSession
    : consecutive(
        ctx.sessions.map((s) =>
          readSession(s, (a) => intrahepaticIncreaseReading(a, null), 'new intrahepatic lesions', {
            keyWords: { positive: 'new intrahepatic lesion(s)', negative: 'no new intrahepatic lesion' },
          }),
        ),
      );
  const markers = markerItem(ctx.timeline, ctx.sessions, ctx.asOf, ctx.settings);
  const window = {
    imagingWindowMinDays: ctx.settings.imagingWindowMinDays,
    imagingWindowMaxDays: ctx.settings.imagingWindowMaxDays,
  };
  return anyOf([
    sub('insufficient-response', 'Lipiodol deposition ≤ 50 % on response CT, ≥ 2 consecutive times', lip, {
      LIPIODOL_INSUFFICIENT_MAX_PERCENT,
      JSH_CONSECUTIVE_SESSIONS,
      ...window,
    }),
    sub('intrahepatic-progression', 'New intrahepatic lesions on response CT, ≥ 2 consecutive times', fresh, {
      JSH_CONSECUTIVE_SESSIONS,
      ...window,
    }),
    sub('tumor-marker-elevation', 'Tumour markers keep rising right after TACE (engine policy)', markers, {
      ...MARKER_THRESHOLDS,
      markerSessions: ctx.settings.markerSessions,
    }),
    sub(
      'vascular-invasion',
      'Appearance of vascular invasion',
      appearanceAfterTace(ctx, 'vascular-invasion'),
    ),
    sub(
      'extrahepatic-spread',
      'Appearance of extrahepatic spread',
      appearanceAfterTace(ctx, 'extrahepatic-spread'),
    ),
  ]);
}

export const jsh2010: CriterionDefinition = {
  id: 'jsh-2010',
  version: '2010',
  title: 'TACE failure/refractoriness — JSH 2010',
  citation: JSH_2010_CITATION,
  thresholds: { LIPIODOL_INSUFFICIENT_MAX_PERCENT, JSH_CONSECUTIVE_SESSIONS },
  evaluate: (ctx: EngineContext) => evaluateJsh2010(ctx),
};
