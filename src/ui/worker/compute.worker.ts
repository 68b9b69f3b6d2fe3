/// <reference lib="webworker" />
/**
 * The module Web Worker that maps the record and runs the engine (issue 13 item 2); the page only renders. Started
 * by `compute-client.ts` as `new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' })`.
 * Query results arrive one by one as their queries answer (`store`) and are held until the page lets them go
 * (`release`). Errors go back as their message only (no stack, no data: the page shows its usual panel error).
 */
import type { QueryResult } from '../../fhir/fetch-queries';
import { createComputeHandler } from './compute';
import type { PageMessage, ResponseMessage } from './wire';

const stored = new Map<number, QueryResult>();
const handle = createComputeHandler(stored);
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<PageMessage>) => {
  const data = event.data;
  if ('store' in data) {
    stored.set(data.store, data.result);
    return;
  }
  if ('release' in data) {
    stored.delete(data.release);
    return;
  }
  const { id, request } = data;
  let message: ResponseMessage;
  try {
    message = { id, ok: true, response: handle(request) };
  } catch (error: unknown) {
    message = { id, ok: false, message: error instanceof Error ? error.message : 'The computation failed.' };
  }
  scope.postMessage(message);
};
