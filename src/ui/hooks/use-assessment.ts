import { useMemo } from 'react';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';
import type { QueryGroup } from '../../fhir/queries';
import { evaluateOffThread } from '../worker/compute-client';
import { useComputed } from './use-computed';

/** A query (or the report narratives) past its budget and not answered yet. */
export interface StillLoading {
  readonly group: QueryGroup | 'narratives';
  readonly label: string;
}

const IMAGING = /CT\/MRI|imaging|report|lesion|tumou?r|viable|lipiodol|RECIST|vascular|spread|response/i;

/** Which missing items a late query could supply (the words the engine uses for them). */
const NEEDED_BY: Record<StillLoading['group'], RegExp> = {
  patient: /./,
  observations: /AFP|PIVKA|DCP|albumin|bilirubin|INR|platelet|creatinine|sodium|MELD|ALBI|marker|value|lab/i,
  reports: IMAGING,
  imagingStudies: IMAGING,
  documentReferences: IMAGING,
  diseaseStatus: IMAGING,
  narratives: IMAGING,
  procedures: /TACE|session|procedure|cycle/i,
  medicationRequests: /systemic|medication|therap/i,
  // The engine itself says when the conditions are not loaded (applicability): nothing to add per criterion.
  conditions: /$^/,
};

export function stillLoadingItem(label: string): string {
  return `still loading: ${label}`;
}

function withLoading(missing: readonly string[], loading: readonly StillLoading[]): string[] {
  const items = loading
    .filter((l) => missing.some((m) => NEEDED_BY[l.group].test(m)))
    .map((l) => stillLoadingItem(l.label));
  return [...new Set([...items, ...missing])];
}

/**
 * Names the late data in the reasons of the verdicts that wait for it: an indeterminate criterion or sub-criterion
 * whose missing items a still-loading query could supply gets "still loading: <label>" first. Statuses are the
 * engine's; nothing else changes. The same result object when nothing is loading.
 */
export function markStillLoading(
  result: AssessmentResult,
  loading: readonly StillLoading[],
): AssessmentResult {
  if (loading.length === 0) return result;
  return {
    ...result,
    criteria: result.criteria.map((c) => {
      if (c.status !== 'indeterminate') return c;
      const subcriteria = c.subcriteria.map((s) =>
        s.status === 'indeterminate' ? { ...s, missing: withLoading(s.missing, loading) } : s,
      );
      const fromSubs = subcriteria.flatMap((s) => s.missing.filter((m) => m.startsWith('still loading: ')));
      return {
        ...c,
        subcriteria,
        missing: [...new Set([...fromSubs, ...withLoading(c.missing, loading)])],
      };
    }),
  };
}

/**
 * The engine, run off the main thread (src/ui/worker: the same pure `evaluate` the CLI calls) on its inputs; a
 * correction re-runs it there at once, the previous result staying on screen until the new one arrives.
 * `loading`: data past its budget, named in the reasons of the verdicts that wait for it (markStillLoading).
 */
export function useAssessment(
  timeline: Timeline | undefined,
  asOf: string,
  inputs: ClinicianInputs = EMPTY,
  loading: readonly StillLoading[] = NONE,
): AssessmentResult | undefined {
  const job = useMemo(
    () => (timeline ? () => evaluateOffThread(timeline, asOf, inputs) : undefined),
    [timeline, asOf, inputs],
  );
  const evaluated = useComputed(job);
  return useMemo(() => (evaluated ? markStillLoading(evaluated, loading) : undefined), [evaluated, loading]);
}

const EMPTY: ClinicianInputs = {};
const NONE: readonly StillLoading[] = [];
