import { useMemo } from 'react';
import type { Timeline } from '../../domain/timeline';
import { evaluate } from '../../engine/index';
import type { AssessmentResult } from '../../engine/result';

/** The engine is pure and fast (ms): run it in render, memoized on its inputs. */
export function useAssessment(timeline: Timeline | undefined, asOf: string): AssessmentResult | undefined {
  return useMemo(() => (timeline ? evaluate(timeline, { asOf }) : undefined), [timeline, asOf]);
}
