/**
 * TACE failure/refractoriness — JSH-LCSGJ 2014 (Kudo M et al., Oncology 2014;87 Suppl 1:22–31), with the JSH 2021
 * wording where it differs (Kudo M et al., Liver Cancer 2021;10:181–223, quoted by Hien 2024: residual enhancement
 * "≥ 50 %" — setting `viableBoundary`). Sources: Zhang 2022 Table 1; Ogasawara 2020; clinical-reference.md §1.
 */
import { thresholdLabel } from '../../domain/display-labels';
import type { ImagingAssessment } from '../../domain/imaging';
import {
  insufficientReading,
  intrahepaticIncreaseReading,
  tumorCountOf,
  VIABLE_BOUNDARY_PERCENT,
} from '../findings';
import { consecutive, readSession } from '../session-readings';
import { markerItem, MARKER_THRESHOLDS } from '../markers';
import type { SessionView } from '../sessions';
import { appearanceAfterTace } from './appearance';
import { anyOf, NO_SESSION_MISSING, sub, type CriterionDefinition, type EngineContext } from './types';

/** ≥ 2 consecutive sessions for the imaging items. */
export const JSH_CONSECUTIVE_SESSIONS = 2;

export const JSH_LCSGJ_2014_CITATION =
  'Kudo M et al. Oncology 2014;87(Suppl 1):22–31 (JSH-LCSGJ 2014); JSH 2021 consensus, Kudo M et al. Liver Cancer 2021;10:181–223 (via Hien 2024); Zhang 2022 J Clin Transl Hepatol 10:740–747, Table 1';

/** Tumour count on the latest imaging before the session (the count "before the previous TACE"). */
export function preSessionCount(s: SessionView): number | null {
  for (let i = s.preImaging.length - 1; i >= 0; i--) {
    const tc = tumorCountOf(s.preImaging[i] as ImagingAssessment);
    if (tc) return tc.count;
  }
  return null;
}

export function evaluateJshLcsgj2014(ctx: EngineContext) {
  const boundary = ctx.settings.viableBoundary;
  const thresholdsImaging = {
    VIABLE_BOUNDARY_PERCENT,
    viableBoundary: boundary,
    JSH_CONSECUTIVE_SESSIONS,
    imagingWindowMinDays: ctx.settings.imagingWindowMinDays,
    imagingWindowMaxDays: ctx.settings.imagingWindowMaxDays,
  };
  const none = ctx.sessions.length === 0;
  const noSession = { status: 'indeterminate' as const, evidence: [], missing: [NO_SESSION_MISSING] };

  const insufficient = none
    ? noSession
    : consecutive(
        ctx.sessions.map((s) =>
          readSession(
            s,
            (a) => insufficientReading(a, ctx.settings),
            'viable tumour % or response category',
            {
              keyWords: { positive: 'insufficient response', negative: 'no insufficient response' },
            },
          ),
        ),
      );
  const progression = none
    ? noSession
    : consecutive(
        ctx.sessions.map((s) =>
          readSession(
            s,
            (a) => intrahepaticIncreaseReading(a, preSessionCount(s)),
            'intrahepatic tumour count or new lesions',
            {
              keyWords: {
                positive: 'more intrahepatic tumours',
                negative: 'no increase in intrahepatic tumours',
              },
            },
          ),
        ),
      );
  const markers = markerItem(ctx.timeline, ctx.sessions, ctx.asOf, ctx.settings);
  const vi = appearanceAfterTace(ctx, 'vascular-invasion');
  const ehs = appearanceAfterTace(ctx, 'extrahepatic-spread');

  return anyOf([
    sub(
      'insufficient-response',
      `Viable tumour ${boundary === '>=50' ? '≥' : '>'} 50 % on response CT/MRI after ≥ 2 consecutive TACE`,
      {
        ...insufficient,
        notes: [
          ...('notes' in insufficient ? insufficient.notes : []),
          `${thresholdLabel('viableBoundary', boundary)} (${boundary === '>=50' ? 'JSH 2021' : 'JSH-LCSGJ 2014 English text'})`,
        ],
      },
      thresholdsImaging,
    ),
    sub(
      'intrahepatic-progression',
      'More intrahepatic tumours than before the previous TACE, after ≥ 2 consecutive TACE',
      progression,
      {
        JSH_CONSECUTIVE_SESSIONS,
        imagingWindowMinDays: ctx.settings.imagingWindowMinDays,
        imagingWindowMaxDays: ctx.settings.imagingWindowMaxDays,
      },
    ),
    sub(
      'tumor-marker-elevation',
      'Tumour markers rising continuously right after TACE (engine policy: JSH gives no number)',
      { ...markers, notes: ['numeric thresholds are the engine policy of clinical-reference §1, not JSH'] },
      { ...MARKER_THRESHOLDS, markerSessions: ctx.settings.markerSessions },
    ),
    sub('vascular-invasion', 'Appearance of vascular invasion', vi),
    sub('extrahepatic-spread', 'Appearance of extrahepatic spread', ehs),
  ]);
}

export const jshLcsgj2014: CriterionDefinition = {
  id: 'jsh-lcsgj-2014',
  version: '2014+2021',
  title: 'TACE failure/refractoriness — JSH-LCSGJ 2014 (JSH 2021 wording)',
  citation: JSH_LCSGJ_2014_CITATION,
  thresholds: { VIABLE_BOUNDARY_PERCENT, JSH_CONSECUTIVE_SESSIONS },
  evaluate: (ctx: EngineContext) => evaluateJshLcsgj2014(ctx),
};
