/**
 * TACE failure — EPOIHCC / Asia-Pacific expert panel (Park JW et al., Liver Int 2013), as a definition in
 * Zhang 2022 Table 1: "no response after three or more TACE procedures within a 6-month period, to the same area".
 * Response = objective response (CR/PR) of the treated area. The engine cannot verify "the same area" (noted).
 */
import type { ImagingAssessment } from '../../domain/imaging';
import { responseClass, type Reading } from '../findings';
import { readSession, type SessionReading } from '../session-readings';
import type { EvidenceItem } from '../result';
import { anyOf, NO_SESSION_MISSING, sub, type CriterionDefinition, type EngineContext } from './types';
import { flatOf } from '../arrays';

export const EPOIHCC_MIN_SESSIONS = 3;
/** "Within a 6-month period": first to last session of the run ≤ 183 days. */
export const EPOIHCC_PERIOD_DAYS = 183;

export const EPOIHCC_CITATION =
  'Park JW et al. Liver Int 2013 (EPOIHCC / Asia-Pacific panel); Zhang 2022 Table 1';

/** positive = no objective response (SD/PD); negative = CR/PR. */
export function noObjectiveResponse(a: ImagingAssessment): Reading {
  const r = responseClass(a);
  if (r.cls === 'unknown') return { state: 'unknown', evidence: r.evidence, notes: r.notes };
  return { state: r.cls === 'OR' ? 'negative' : 'positive', evidence: r.evidence, notes: r.notes };
}

export function evaluateEpoihcc(ctx: EngineContext) {
  const thresholds = { EPOIHCC_MIN_SESSIONS, EPOIHCC_PERIOD_DAYS };
  if (ctx.sessions.length === 0) {
    return anyOf([
      sub(
        'no-response',
        'No objective response after ≥ 3 TACE within 6 months',
        { status: 'indeterminate', evidence: [], missing: [NO_SESSION_MISSING] },
        thresholds,
      ),
    ]);
  }
  const readings = ctx.sessions.map((s) =>
    readSession(s, noObjectiveResponse, 'objective response (mRECIST/EASL) of the treated area', {
      keyWords: { positive: 'no objective response', negative: 'objective response' },
    }),
  );
  const runs: SessionReading[][] = [];
  for (let i = 0; i + EPOIHCC_MIN_SESSIONS <= readings.length; i++) {
    const run = readings.slice(i, i + EPOIHCC_MIN_SESSIONS);
    const first = run[0] as SessionReading;
    const last = run[run.length - 1] as SessionReading;
    if (last.session.dayNum - first.session.dayNum <= EPOIHCC_PERIOD_DAYS) runs.push(run);
  }
  const notes = ['"to the same area" is not verified by the engine'];
  let v: {
    status: 'met' | 'not-met' | 'indeterminate';
    evidence: EvidenceItem[];
    missing: string[];
    notes: string[];
  };
  const metRun = runs.find((run) => run.every((r) => r.state === 'positive'));
  if (runs.length === 0) {
    v = {
      status: 'not-met',
      evidence: [],
      missing: [],
      notes: [...notes, 'no three TACE sessions within 6 months'],
    };
  } else if (metRun) {
    v = { status: 'met', evidence: flatOf(metRun, (r) => r.evidence), missing: [], notes };
  } else {
    const open = runs.filter((run) => !run.some((r) => r.state === 'negative'));
    v =
      open.length === 0
        ? { status: 'not-met', evidence: flatOf(readings, (r) => r.evidence), missing: [], notes }
        : {
            status: 'indeterminate',
            evidence: flatOf(open.flat(), (r) => r.evidence),
            missing: flatOf(open.flat(), (r) => r.missing),
            notes,
          };
  }
  return anyOf([sub('no-response', 'No objective response after ≥ 3 TACE within 6 months', v, thresholds)]);
}

export const epoihcc: CriterionDefinition = {
  id: 'epoihcc',
  version: '2013',
  title: 'TACE failure — EPOIHCC / Asia-Pacific panel',
  citation: EPOIHCC_CITATION,
  thresholds: { EPOIHCC_MIN_SESSIONS, EPOIHCC_PERIOD_DAYS },
  evaluate: (ctx: EngineContext) => evaluateEpoihcc(ctx),
};
