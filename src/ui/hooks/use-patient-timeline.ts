import { useEffect, useMemo, useState } from 'react';
import {
  queryOptions,
  useQueries,
  useQuery,
  type QueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { Timeline } from '../../domain/timeline';
import { queryBudgetMs } from '../../config/issuers';
import type { FhirSession } from '../../fhir/client';
import { FhirError } from '../../fhir/errors';
import { fetchReportBinaries } from '../../fhir/fetch-binaries';
import { runQuery, type QueryOutcome, type QueryResult } from '../../fhir/fetch-queries';
import { everyRequestRefused, planQueryKey, type QueryStatus } from '../../fhir/load-timeline';
import { buildRequestPlan, type QuerySpec } from '../../fhir/queries';
import { andThen, assembleOffThread, shareWithCompute } from '../worker/compute-client';
import { useComputed, useStableList } from './use-computed';

export function usePlan(session: FhirSession): QuerySpec[] {
  return useMemo(() => buildRequestPlan(session.context, session.issuer), [session]);
}

export function planQueryOptions(session: FhirSession, spec: QuerySpec) {
  return queryOptions({
    queryKey: planQueryKey(session, spec),
    queryFn: ({ signal }) => runQuery(session, spec, signal),
    // A query that failed before its screen mounted (started by startPlan) is shown as failed, not silently
    // sent again: the data layer has done its own retries; "Retry" on the screen is the clinician's choice.
    retryOnMount: false,
  });
}

/** Queries started per task by `startPlan`: each costs the page 2–3 ms to start; 20 in one go make a long task. */
const STARTED_PER_TASK = 8;

/**
 * Starts every query of the plan the moment the session exists, before React renders the patient view (issue 13:
 * no render between the token and the first request), a few per task so that starting them is no long task (a
 * browser sends only 6 at a time per HTTP/1.1 server anyway). The hooks then find the same queries in flight (same
 * keys) and start nothing new; a query the hooks reach first is simply not started twice.
 */
export function startPlan(client: QueryClient, session: FhirSession): void {
  const plan = buildRequestPlan(session.context, session.issuer);
  const startFrom = (from: number) => {
    for (const spec of plan.slice(from, from + STARTED_PER_TASK))
      void client.prefetchQuery(planQueryOptions(session, spec));
    if (from + STARTED_PER_TASK < plan.length) setTimeout(() => startFrom(from + STARTED_PER_TASK), 0);
  };
  startFrom(0);
}

export type TimelineState =
  | { status: 'loading'; done: number; total: number; labs: Timeline | undefined }
  | { status: 'session-expired'; error: FhirError }
  | {
      status: 'ready';
      timeline: Timeline;
      /** `loading` entries: past the budget, still running; the timeline is rebuilt when each lands or fails. */
      queries: readonly QueryStatus[];
      /** The report narratives were still loading at the budget. */
      narrativesLoading: boolean;
      retryFailed: () => void;
    };

/**
 * True once `ms` have passed since the first render for this session (a new session restarts it): the moment the
 * screen stops waiting for queries that have not answered.
 */
export function useDeadline(ms: number, key: unknown): boolean {
  const [passed, setPassed] = useState<{ key: unknown; passed: boolean }>({ key, passed: false });
  useEffect(() => {
    // A new key reads as "not passed" at once (the comparison below), without a reset here.
    const timer = setTimeout(() => setPassed({ key, passed: true }), ms);
    return () => clearTimeout(timer);
  }, [ms, key]);
  return passed.key === key && passed.passed;
}

interface Combined {
  outcomes: (QueryOutcome | undefined)[];
  settled: number;
  refetchFailed: () => void;
}

function toOutcome(r: UseQueryResult<QueryResult>): QueryOutcome | undefined {
  if (r.data) return { status: 'ok', result: r.data };
  if (r.error) {
    const error =
      r.error instanceof FhirError
        ? r.error
        : new FhirError('invalid-response', 'A response could not be read.');
    return { status: 'error', error };
  }
  return undefined;
}

/** Same answer (React Query keeps the data object; the outcome wrapper is new on every combine). */
function sameOutcome(a: QueryOutcome | undefined, b: QueryOutcome | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.status === 'ok' && b.status === 'ok') return a.result === b.result;
  if (a.status === 'error' && b.status === 'error') return a.error === b.error;
  return a.status === b.status;
}

function combine(results: UseQueryResult<QueryResult>[]): Combined {
  return {
    outcomes: results.map(toOutcome),
    settled: results.filter((r) => !r.isPending).length,
    refetchFailed: () => {
      for (const r of results) if (r.isError) void r.refetch();
    },
  };
}

/**
 * Every query of the plan in one parallel wave (React Query starts them together), the report narratives as soon
 * as the reports query ends, and the timeline once everything has settled — or once the budget (issuer option
 * `queryBudgetSeconds`, default 20 s) has passed: then a query that has not answered is "still loading", assembled
 * like a failed one for that moment, and keeps running; the timeline is rebuilt when it lands or fails. A failed
 * query does not fail the whole: it is listed, and only the criteria that need its data become indeterminate. A 401
 * after the token refresh is that query's failure; "session expired" only when every query was refused.
 */
export function usePatientTimeline(session: FhirSession, asOf: string): TimelineState {
  const plan = usePlan(session);
  const combined = useQueries({
    queries: plan.map((spec) => planQueryOptions(session, spec)),
    combine,
  });
  // Each answer goes to the worker as it arrives (a small copy each), not all at once when the record is in.
  useEffect(() => {
    for (const outcome of combined.outcomes) shareWithCompute(outcome, asOf);
  }, [combined.outcomes, asOf]);
  const reportsIndex = plan.findIndex((spec) => spec.group === 'reports');
  const reportsOutcome = combined.outcomes[reportsIndex];
  const docsIndex = plan.findIndex((spec) => spec.group === 'documentReferences');
  const docsOutcome = docsIndex === -1 ? undefined : combined.outcomes[docsIndex];
  const deadlinePassed = useDeadline(queryBudgetMs(session.issuer), session);
  // Narratives behind URLs: the reports' presentedForm and the imaging notes' attachments, fetched once both
  // searches have answered (a failed notes search does not hold the reports' narratives back), or with the reports
  // alone once the budget has passed (then again with the notes when they land).
  const docsSettled = docsIndex === -1 || docsOutcome !== undefined;
  const reportResources =
    reportsOutcome?.status === 'ok' && (docsSettled || deadlinePassed)
      ? [
          ...reportsOutcome.result.resources,
          ...(docsOutcome?.status === 'ok' ? docsOutcome.result.resources : []),
        ]
      : undefined;
  const reportsSpec = plan[reportsIndex];
  const binaries = useQuery({
    queryKey: [
      ...(reportsSpec ? planQueryKey(session, reportsSpec) : ['no-reports']),
      'binaries',
      docsSettled ? 'with-notes' : 'reports-only',
    ],
    queryFn: ({ signal }) => fetchReportBinaries(session, reportResources ?? [], signal),
    enabled: reportResources !== undefined,
    // The narratives already in stay on screen while those of late notes are fetched.
    placeholderData: (previous) => previous,
  });
  // Pending while the reports are in and their narratives have not arrived (a placeholder is the older set).
  const binariesPending = reportResources !== undefined && (binaries.isPending || binaries.isPlaceholderData);
  const binariesSettled = !binariesPending;
  const allSettled = combined.settled === plan.length && binariesSettled;
  const ready = allSettled || deadlinePassed;
  // Mapping runs off the main thread (src/ui/worker): a job per set of settled outcomes; until it answers, the
  // previous timeline stays on screen (or the loading state, the first time).
  const assembleJob = useMemo(() => {
    if (!ready) return undefined;
    const outcomes = new Map(
      plan.map((spec, i): [string, QueryOutcome] => [
        spec.key,
        combined.outcomes[i] ?? { status: 'loading' },
      ]),
    );
    return () =>
      assembleOffThread({
        issuer: session.issuer,
        plan,
        outcomes,
        asOf,
        ...(binaries.data ? { binaries: binaries.data } : {}),
        binariesLoading: binariesPending,
        keep: true,
      });
  }, [ready, session, plan, combined.outcomes, asOf, binaries.data, binariesPending]);
  const assembled = useComputed(assembleJob);

  // Progressive rendering: once every lab search has answered, a labs-only timeline lets the chart draw before
  // the reports, procedures and narratives are in (the verdicts still wait for everything).
  const labIndexes = useMemo(
    () => plan.flatMap((spec, i) => (spec.group === 'observations' ? [i] : [])),
    [plan],
  );
  const labsSettled = labIndexes.length > 0 && labIndexes.every((i) => combined.outcomes[i] !== undefined);
  // Computed once, when the labs are in before the rest; shown until the full timeline arrives.
  const labOutcomes = useStableList(
    labIndexes.map((i) => combined.outcomes[i]),
    sameOutcome,
  );
  const labsJob = useMemo(() => {
    if (!labsSettled || allSettled) return undefined;
    const specs = labIndexes.flatMap((i) => (plan[i] ? [plan[i]] : []));
    const outcomes = new Map(labIndexes.map((i, n) => [plan[i]?.key ?? '', labOutcomes[n]]));
    return () =>
      andThen(
        assembleOffThread({ issuer: session.issuer, plan: specs, outcomes, asOf, keep: false }),
        (r) => r.timeline,
      );
  }, [labsSettled, allSettled, labIndexes, plan, labOutcomes, session, asOf]);
  const labsOnly = useComputed(labsJob, { keepWhenIdle: true });

  // Relaunch only when every request was refused; one refused query is shown as that query's failure.
  const refused = everyRequestRefused(combined.outcomes);
  if (refused && (combined.settled === plan.length || deadlinePassed))
    return { status: 'session-expired', error: refused };
  if (!assembled) return { status: 'loading', done: combined.settled, total: plan.length, labs: labsOnly };
  return {
    status: 'ready',
    timeline: assembled.timeline,
    queries: assembled.queries,
    narrativesLoading: binariesPending,
    retryFailed: combined.refetchFailed,
  };
}
