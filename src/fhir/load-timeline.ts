/**
 * One patient's timeline from the EHR: runs the request plan (one parallel wave; each query pages on its own; the
 * report narratives are fetched as soon as the reports query ends), then feeds `buildTimeline`. A failed query
 * becomes a DataIssue naming what could not be loaded, so only the criteria that need that data become
 * indeterminate. Each query has a budget (issuer option `queryBudgetSeconds`, retries and paging included): a query
 * past it is "still loading" — assembled like a failed one for that moment — and keeps running. A 401 that a refresh
 * could not cure is that query's failure; only when every query is refused does the load reject with
 * `session-expired` (the UI then offers a relaunch).
 *
 * React Query: run `runQuery` per plan entry with `useQueries` (keys from `planQueryKey`), then
 * `fetchReportBinaries` on the reports, then `assembleTimeline` with the settled outcomes.
 */
import type { Timeline } from '../domain/timeline';
import type { FhirSession } from './client';
import { FhirError } from './errors';
import { fetchReportBinaries, type BinariesResult } from './fetch-binaries';
import { queryBudgetMs } from '../config/issuers';
import { runQuery, withBudget, type QueryOutcome } from './fetch-queries';
import type { Accounting } from './loader';
import { buildRequestPlan, type QuerySpec } from './queries';

export interface QueryStatus {
  readonly key: string;
  /** `loading`: past its budget and not answered yet (still running; the screen updates when it lands). */
  readonly status: 'ok' | 'error' | 'loading';
  readonly error?: FhirError;
  readonly resourceCount: number;
  readonly pages: number;
}

export interface LoadTimelineResult {
  readonly timeline: Timeline;
  readonly queries: readonly QueryStatus[];
  /** Per resource type: read, used, listed (src/fhir/loader.ts). */
  readonly accounting?: Accounting;
  /** When a query (or the narratives) was still loading at the budget: the full result once everything settled. */
  readonly complete?: Promise<LoadTimelineResult>;
}

export interface LoadTimelineOptions {
  /** Evaluation date (ISO); later-dated records are excluded by the mappers. */
  readonly asOf?: string;
  readonly signal?: AbortSignal;
  /** Per-query budget; default from the issuer (`queryBudgetSeconds`, 20 s). */
  readonly budgetMs?: number;
}

/** React Query key of one plan entry: server and patient first, so one launch never sees another's cache. */
export function planQueryKey(session: FhirSession, spec: QuerySpec): readonly string[] {
  return ['fhir', session.context.serverUrl, session.context.patientId, 'query', spec.key];
}

export {
  assembleTimeline,
  describeFailure,
  everyRequestRefused,
  stillLoadingReason,
  type AssembleOptions,
} from './assemble-timeline';
import { assembleTimeline, everyRequestRefused } from './assemble-timeline';

/**
 * Runs the plan and builds the timeline from what arrived within the budget; a query past it is "still loading" and
 * `complete` resolves with the full result once it settles. Rejects only with a FhirError: `session-expired` when
 * every query was refused (401 after the refresh).
 */
export async function loadTimeline(
  session: FhirSession,
  options: LoadTimelineOptions = {},
): Promise<LoadTimelineResult> {
  const plan = buildRequestPlan(session.context, session.issuer);
  const signal = options.signal;
  const budget = options.budgetMs ?? queryBudgetMs(session.issuer);
  const startedAt = Date.now();
  const asOf = options.asOf !== undefined ? { asOf: options.asOf } : {};
  const toOutcome = (spec: QuerySpec, error: unknown): QueryOutcome => ({
    status: 'error',
    error:
      error instanceof FhirError
        ? error
        : new FhirError('invalid-response', `The ${spec.label} could not be read.`, { cause: error }),
  });
  const work = plan.map((spec) =>
    runQuery(session, spec, signal).then(
      (result): QueryOutcome => ({ status: 'ok', result }),
      (error: unknown) => toOutcome(spec, error),
    ),
  );
  // Narratives: once the reports and the imaging notes have answered (a failed notes search does not hold them).
  const narratives = (outcomes: readonly QueryOutcome[]): Promise<BinariesResult | undefined> => {
    const sources = plan.flatMap((spec, i) => {
      const o = outcomes[i];
      return (spec.group === 'reports' || spec.group === 'documentReferences') && o?.status === 'ok'
        ? o.result.resources
        : [];
    });
    return sources.length > 0
      ? fetchReportBinaries(session, sources, signal).catch(() => undefined)
      : Promise.resolve(undefined);
  };
  const assemble = (
    outcomes: readonly (QueryOutcome | undefined)[],
    binaries: BinariesResult | undefined,
    binariesLoading = false,
  ) => {
    const refused = everyRequestRefused(outcomes);
    if (refused) throw refused;
    return assembleTimeline(session, plan, new Map(plan.map((spec, i) => [spec.key, outcomes[i]])), {
      ...asOf,
      ...(binaries ? { binaries } : {}),
      binariesLoading,
    });
  };
  const firstWave = await Promise.all(work.map((w) => withBudget(w, budget)));
  const outcomes = firstWave.map((b): QueryOutcome => (b.settled ? b.value : { status: 'loading' }));
  const remaining = Math.max(0, budget - (Date.now() - startedAt));
  const binaries = await withBudget(narratives(outcomes), remaining);
  const late = firstWave.some((b) => !b.settled);
  if (!late && binaries.settled) return assemble(outcomes, binaries.value);
  const partial = assemble(outcomes, binaries.settled ? binaries.value : undefined, !binaries.settled);
  const complete = late
    ? Promise.all(work).then(async (all) => assemble(all, await narratives(all)))
    : (binaries.settled ? Promise.resolve(binaries.value) : binaries.later).then((b) =>
        assemble(outcomes, b),
      );
  // The caller may ignore `complete`: its rejection (every request refused, later) must not go unhandled.
  complete.catch(() => undefined);
  return { ...partial, complete };
}
