/**
 * The app's computation, off the main thread (issue 13 item 2): mapping the query outcomes into a Timeline (the same
 * `assembleTimeline` → `loadPatient` as before) and the engine (`evaluate`, called exactly as the CLI calls it).
 * This module is the part that runs inside the worker (`compute.worker.ts`) — or in the page when there is no
 * Worker (jsdom) — behind one message interface (wire.ts: plain data only). A Timeline the worker built stays
 * there under an id so a clinician's correction sends only the inputs.
 */
import type { Timeline } from '../../domain/timeline';
import type { AssessmentResult } from '../../engine/result';
import { evaluate } from '../../engine/index';
import { assembleTimeline } from '../../fhir/assemble-timeline';
import type { QueryResult } from '../../fhir/fetch-queries';
import { fromWireOutcome, toWireError, type ComputeRequest, type ComputeResponse } from './wire';

export type * from './wire';

/** Timelines kept for `evaluate` by id: the newest few (a screen holds one; a late query replaces it). */
const KEPT = 4;

/**
 * One computation context (one per worker; one per page for the in-thread fallback). `stored`: the query results the
 * page has sent ahead (StoreMessage), which requests cite as `{ status: 'stored', ref }`.
 */
export function createComputeHandler(
  stored: ReadonlyMap<number, QueryResult> = new Map(),
): (request: ComputeRequest) => ComputeResponse {
  const kept = new Map<number, Timeline>();
  let nextId = 1;
  return (request) => {
    if (request.op === 'assemble') {
      const { binaries } = request;
      const assembled = assembleTimeline(
        { issuer: request.issuer },
        request.plan,
        new Map(request.outcomes.map(([key, o]) => [key, fromWireOutcome(o, (ref) => stored.get(ref))])),
        {
          ...(request.asOf !== undefined ? { asOf: request.asOf } : {}),
          ...(binaries
            ? {
                binaries: {
                  binaries: new Map(binaries.binaries),
                  issues: binaries.issues,
                  requested: binaries.requested,
                  ...(binaries.results ? { results: binaries.results } : {}),
                },
              }
            : {}),
          ...(request.binariesLoading ? { binariesLoading: true } : {}),
        },
      );
      let timelineId: number | undefined;
      let result: AssessmentResult | undefined;
      if (request.keep) {
        timelineId = nextId++;
        kept.set(timelineId, assembled.timeline);
        for (const id of kept.keys()) if (kept.size > KEPT) kept.delete(id);
        // The engine exactly as the CLI calls it, with no clinician inputs: the screen's first question.
        if (request.asOf !== undefined)
          result = evaluate(assembled.timeline, { asOf: request.asOf, inputs: {} });
      }
      return {
        timeline: assembled.timeline,
        queries: assembled.queries.map((q) => {
          const { error, ...rest } = q;
          return error ? { ...rest, error: toWireError(error) } : rest;
        }),
        ...(assembled.accounting ? { accounting: assembled.accounting } : {}),
        ...(timelineId !== undefined ? { timelineId } : {}),
        ...(result ? { result } : {}),
      };
    }
    const timeline = 'id' in request.timeline ? kept.get(request.timeline.id) : request.timeline;
    if (!timeline) return { unknownTimeline: true };
    // The engine exactly as the CLI calls it: pure, timeline + evaluation date + clinician inputs.
    return { result: evaluate(timeline, { asOf: request.asOf, inputs: request.inputs }) };
  };
}
