/**
 * The page's side of the computation (issue 13 item 2): one interface, two ways to run it. In a browser the work is
 * posted to the module Web Worker; where there is no Worker (jsdom in the integration tests, or a worker that failed
 * to start) the very same handler is called directly, behind the same structured clone both ways, so the tests go
 * through the same code path and the same copying rules (a function or a class instance would not survive). The
 * direct call answers at once (not a promise): in the page the screen then behaves exactly as before the worker.
 */
import type { IssuerConfig } from '../../config/issuers';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';
import type { BinariesResult } from '../../fhir/fetch-binaries';
import type { QueryOutcome, QueryResult } from '../../fhir/fetch-queries';
import type { LoadTimelineResult } from '../../fhir/load-timeline';
import type { QuerySpec } from '../../fhir/queries';
import type * as ComputeModuleNs from './compute';
import {
  fromWireQueryStatus,
  toWireBinaries,
  toWireOutcome,
  type AssembleResponse,
  type ComputeRequest,
  type ComputeResponse,
  type EvaluateResponse,
  type PageMessage,
  type ResponseMessage,
  type WireOutcome,
} from './wire';

export interface AssembleArgs {
  readonly issuer: IssuerConfig;
  readonly plan: readonly QuerySpec[];
  readonly outcomes: ReadonlyMap<string, QueryOutcome | undefined>;
  readonly asOf?: string;
  readonly binaries?: BinariesResult;
  readonly binariesLoading?: boolean;
  /** The full record (kept in the worker for corrections), not the labs-only preview. */
  readonly keep: boolean;
}

/** A worker's answer is a promise; the direct call's is the value itself. */
export type Maybe<T> = T | Promise<T>;

type Run = (request: ComputeRequest) => Maybe<ComputeResponse>;

/** A way to run the computation, and to hand it a query result ahead of the request that will cite it. */
interface Runner {
  readonly run: Run;
  readonly share: (result: QueryResult, asOf?: string) => void;
}

export function andThen<T, U>(value: Maybe<T>, f: (v: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * Under the test runner (jsdom: no Worker) the handler is in the module graph at once, to be called directly; the
 * production build folds this to `undefined`, so mapping and the engine stay out of the initial chunk (they are
 * in the worker's).
 */
type ComputeModule = typeof ComputeModuleNs;
const direct: ComputeModule | undefined =
  import.meta.env.MODE === 'test' ? await import('./compute') : undefined;

/** In the page: the same handler, the same copies (the handler's module given, or loaded when first needed). */
function inThread(compute: ComputeModule | undefined = direct): Run {
  if (compute) {
    const handle = compute.createComputeHandler();
    return (request) => structuredClone(handle(structuredClone(request)));
  }
  const loaded = import('./compute').then((m) => inThread(m));
  return (request) => loaded.then((run) => run(request));
}

function workerAllowed(): boolean {
  return typeof Worker !== 'undefined' && direct === undefined;
}

/**
 * The worker, or the in-page handler once the worker could not start (its pending work is redone in the page, from
 * the requests themselves: they hold every result, the refs are made only when a request is posted).
 */
function viaWorker(): Runner {
  let fallback: Run | undefined;
  const pending = new Map<
    number,
    { request: ComputeRequest; done: (r: ComputeResponse) => void; fail: (e: Error) => void }
  >();
  let nextId = 1;
  let worker: Worker | undefined;
  /** Results the worker holds, by ref (a WeakMap: the page's cache decides how long a result lives). */
  const sent = new WeakMap<QueryResult, number>();
  let nextRef = 1;
  const waiting: { result: QueryResult; asOf?: string }[] = [];
  // A result the page has dropped (React Query's cache let it go) is dropped by the worker too.
  const released =
    typeof FinalizationRegistry === 'undefined'
      ? undefined
      : new FinalizationRegistry<number>((ref) =>
          worker?.postMessage({ release: ref } satisfies PageMessage),
        );
  const store = (w: Worker, result: QueryResult, asOf?: string): number => {
    let ref = sent.get(result);
    if (ref === undefined) {
      ref = nextRef++;
      w.postMessage({ store: ref, result, ...(asOf !== undefined ? { asOf } : {}) } satisfies PageMessage);
      sent.set(result, ref);
      released?.register(result, ref);
    }
    return ref;
  };
  const cite = (w: Worker, outcome: WireOutcome | undefined): WireOutcome | undefined =>
    outcome?.status === 'ok' ? { status: 'stored', ref: store(w, outcome.result) } : outcome;
  const giveUp = () => {
    worker?.terminate();
    worker = undefined;
    fallback ??= inThread();
    const run = fallback;
    for (const [id, p] of pending) {
      pending.delete(id);
      Promise.resolve()
        .then(() => run(p.request))
        .then(p.done, (error: unknown) =>
          p.fail(error instanceof Error ? error : new Error('The computation failed.')),
        );
    }
  };
  const post = (id: number) => {
    const p = pending.get(id);
    const w = worker;
    if (!p || !w) return;
    const request: ComputeRequest =
      p.request.op === 'assemble'
        ? { ...p.request, outcomes: p.request.outcomes.map(([key, o]) => [key, cite(w, o)] as const) }
        : p.request;
    try {
      w.postMessage({ id, request } satisfies PageMessage);
    } catch (error: unknown) {
      // Not cloneable: a bug to see, not to hide.
      pending.delete(id);
      p.fail(error instanceof Error ? error : new Error('The computation could not be started.'));
    }
  };
  const started = import('./start-worker')
    .then(({ startComputeWorker }) => {
      const w = startComputeWorker();
      w.onmessage = (event: MessageEvent<ResponseMessage>) => {
        const message = event.data;
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        if (message.ok) p.done(message.response);
        else p.fail(new Error(message.message));
      };
      w.onerror = (event) => {
        event.preventDefault();
        giveUp();
      };
      w.onmessageerror = () => giveUp();
      worker = w;
      for (const { result, asOf } of waiting.splice(0)) store(w, result, asOf);
      for (const id of pending.keys()) post(id);
    })
    .catch(() => giveUp());
  void started;
  return {
    run: (request) => {
      if (fallback) return fallback(request);
      const id = nextId++;
      return new Promise<ComputeResponse>((done, fail) => {
        pending.set(id, { request, done, fail });
        // Before the worker's module has loaded, `started` posts it.
        if (worker) post(id);
      });
    },
    share: (result, asOf) => {
      if (fallback) return;
      if (worker) store(worker, result, asOf);
      else waiting.push({ result, ...(asOf !== undefined ? { asOf } : {}) });
    },
  };
}

let current: Runner | undefined;
function runner(): Run {
  current ??= workerAllowed() ? viaWorker() : { run: inThread(), share: () => undefined };
  return current.run;
}

/**
 * Hands one query's result to the worker as soon as it has answered, so the copy into the worker is made a piece
 * at a time while the rest of the record loads (no long task when everything is in). A no-op without a worker.
 */
export function shareWithCompute(outcome: QueryOutcome | undefined, asOf?: string): void {
  if (outcome?.status !== 'ok') return;
  runner();
  current?.share(outcome.result, asOf);
}

/** Starts the worker (its module loads while the record is fetched); no-op where there is none. */
export function warmUpCompute(): void {
  runner();
}

/** Timelines the worker keeps, by the object the page received: a correction then sends only the inputs. */
const keptIds = new WeakMap<Timeline, number>();
/** The result the worker computed with the timeline (no clinician inputs), by the timeline the page received. */
const firstResults = new WeakMap<Timeline, { readonly asOf: string; readonly result: AssessmentResult }>();

/** No clinician entries at all (JSON drops the entries set back to undefined). */
function noInputs(inputs: ClinicianInputs): boolean {
  return JSON.stringify(inputs) === '{}';
}

/** Query outcomes → Timeline and per-query status (`assembleTimeline`), off the main thread. */
export function assembleOffThread(args: AssembleArgs): Maybe<LoadTimelineResult> {
  const answer = runner()({
    op: 'assemble',
    issuer: args.issuer,
    plan: args.plan,
    outcomes: [...args.outcomes].map(([key, o]) => [key, toWireOutcome(o)] as const),
    ...(args.asOf !== undefined ? { asOf: args.asOf } : {}),
    ...(args.binaries ? { binaries: toWireBinaries(args.binaries) } : {}),
    ...(args.binariesLoading ? { binariesLoading: true } : {}),
    keep: args.keep,
  });
  return andThen(answer, (r) => {
    const response = r as AssembleResponse;
    if (response.timelineId !== undefined) keptIds.set(response.timeline, response.timelineId);
    if (response.result && args.asOf !== undefined)
      firstResults.set(response.timeline, { asOf: args.asOf, result: response.result });
    return {
      timeline: response.timeline,
      queries: response.queries.map(fromWireQueryStatus),
      ...(response.accounting ? { accounting: response.accounting } : {}),
    };
  });
}

/** The engine (`evaluate`), off the main thread; by reference when the worker holds the timeline. */
export function evaluateOffThread(
  timeline: Timeline,
  asOf: string,
  inputs: ClinicianInputs,
): Maybe<AssessmentResult> {
  const first = firstResults.get(timeline);
  if (first && first.asOf === asOf && noInputs(inputs)) return first.result;
  const full = (): Maybe<AssessmentResult> =>
    andThen(runner()({ op: 'evaluate', timeline, asOf, inputs }), (r) => {
      const response = r as EvaluateResponse;
      if ('result' in response) return response.result;
      throw new Error('The assessment could not be computed.');
    });
  const id = keptIds.get(timeline);
  if (id === undefined) return full();
  return andThen(runner()({ op: 'evaluate', timeline: { id }, asOf, inputs }), (r) => {
    const response = r as EvaluateResponse;
    if ('result' in response) return response.result;
    keptIds.delete(timeline);
    return full();
  });
}
