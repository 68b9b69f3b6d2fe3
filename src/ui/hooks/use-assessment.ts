import { useMemo } from 'react';
import type { Timeline } from '../../domain/timeline';
import { evaluate } from '../../engine/index';
import type { ClinicianInputs } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';

/** The engine is pure and fast (ms): run it in render, memoized on its inputs; a correction re-runs it at once. */
export function useAssessment(
  timeline: Timeline | undefined,
  asOf: string,
  inputs: ClinicianInputs = EMPTY,
): AssessmentResult | undefined {
  return useMemo(
    () => (timeline ? evaluate(timeline, { asOf, inputs }) : undefined),
    [timeline, asOf, inputs],
  );
}

const EMPTY: ClinicianInputs = {};
