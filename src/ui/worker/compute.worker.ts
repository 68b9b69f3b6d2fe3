/// <reference lib="webworker" />
/**
 * The module Web Worker that maps the record and runs the engine (issue 13 item 2); the page only renders. Started
 * by `compute-client.ts` as `new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' })`.
 * Errors go back as their message only (no stack, no data: the page shows its usual panel error).
 */
import { createComputeHandler } from './compute';
import type { RequestMessage, ResponseMessage } from './wire';

const handle = createComputeHandler();
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<RequestMessage>) => {
  const { id, request } = event.data;
  let message: ResponseMessage;
  try {
    message = { id, ok: true, response: handle(request) };
  } catch (error: unknown) {
    message = { id, ok: false, message: error instanceof Error ? error.message : 'The computation failed.' };
  }
  scope.postMessage(message);
};
