/// <reference lib="webworker" />
/**
 * The module Web Worker that maps the record and runs the engine (issue 13 item 2); the page only renders. Started
 * by `compute-client.ts` as `new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' })`.
 * Query results arrive one by one as their queries answer (`store`) and are held until the page lets them go
 * (`release`). Errors go back as their message only (no stack, no data: the page shows its usual panel error).
 */
import { evaluate } from '../../engine/index';
import type { QueryResult } from '../../fhir/fetch-queries';
import { loadPatient } from '../../fhir/loader';
import { createComputeHandler } from './compute';
import type { PageMessage, ResponseMessage } from './wire';

const stored = new Map<number, QueryResult>();
const handle = createComputeHandler(stored);
const scope = self as unknown as DedicatedWorkerGlobalScope;

/**
 * Warm-up while the rest of the record is on its way: the worker is idle then, and the record's one real run would
 * otherwise be the first run of the mapping and engine code (regexes compiled, functions optimised on the spot —
 * long-history's first mapping takes several times a warm one). Each answer that arrives before the first request
 * is mapped and evaluated once on its own, a task each, and the output dropped: nothing is kept, nothing sent. Stops
 * at the first request, so it never runs in front of one for long (at most one answer's mapping).
 */
const WARM_UP_ANSWERS = 8;
let warmUps = 0;
let requested = false;
function warmUp(result: QueryResult, asOf: string | undefined): void {
  if (requested || asOf === undefined || warmUps >= WARM_UP_ANSWERS || result.resources.length === 0) return;
  warmUps += 1;
  setTimeout(() => {
    if (requested) return;
    try {
      evaluate(loadPatient(undefined, result.resources, { asOf }).timeline, { asOf });
    } catch {
      // A warm-up that fails changes nothing: the real run reports its own errors.
    }
  }, 0);
}

scope.onmessage = (event: MessageEvent<PageMessage>) => {
  const data = event.data;
  if ('store' in data) {
    stored.set(data.store, data.result);
    warmUp(data.result, data.asOf);
    return;
  }
  if ('release' in data) {
    stored.delete(data.release);
    return;
  }
  requested = true;
  const { id, request } = data;
  let message: ResponseMessage;
  try {
    message = { id, ok: true, response: handle(request) };
  } catch (error: unknown) {
    message = { id, ok: false, message: error instanceof Error ? error.message : 'The computation failed.' };
  }
  scope.postMessage(message);
};
