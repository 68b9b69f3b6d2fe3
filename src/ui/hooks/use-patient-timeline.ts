import { useMemo } from 'react';
import { queryOptions, useQueries, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Timeline } from '../../domain/timeline';
import type { FhirSession } from '../../fhir/client';
import { FhirError } from '../../fhir/errors';
import { fetchReportBinaries } from '../../fhir/fetch-binaries';
import { runQuery, type QueryOutcome, type QueryResult } from '../../fhir/fetch-queries';
import { assembleTimeline, planQueryKey, type QueryStatus } from '../../fhir/load-timeline';
import { buildRequestPlan, type QuerySpec } from '../../fhir/queries';

export function usePlan(session: FhirSession): QuerySpec[] {
  return useMemo(() => buildRequestPlan(session.context, session.issuer), [session]);
}

export function planQueryOptions(session: FhirSession, spec: QuerySpec) {
  return queryOptions({
    queryKey: planQueryKey(session, spec),
    queryFn: ({ signal }) => runQuery(session, spec, signal),
  });
}

export type TimelineState =
  | { status: 'loading'; done: number; total: number; labs: Timeline | undefined }
  | { status: 'session-expired'; error: FhirError }
  | { status: 'ready'; timeline: Timeline; queries: readonly QueryStatus[]; retryFailed: () => void };

interface Combined {
  outcomes: (QueryOutcome | undefined)[];
  settled: number;
  expired: FhirError | undefined;
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

function combine(results: UseQueryResult<QueryResult>[]): Combined {
  return {
    outcomes: results.map(toOutcome),
    settled: results.filter((r) => !r.isPending).length,
    expired: results
      .map((r) => r.error)
      .find((e): e is FhirError => e instanceof FhirError && e.kind === 'session-expired'),
    refetchFailed: () => {
      for (const r of results) if (r.isError) void r.refetch();
    },
  };
}

/**
 * Every query of the plan in one parallel wave (React Query starts them together), the report narratives as soon
 * as the reports query ends, and the timeline once everything has settled. A failed query does not fail the
 * whole: it is listed, and only the criteria that need its data become indeterminate.
 */
export function usePatientTimeline(session: FhirSession, asOf: string): TimelineState {
  const plan = usePlan(session);
  const combined = useQueries({
    queries: plan.map((spec) => planQueryOptions(session, spec)),
    combine,
  });
  const reportsIndex = plan.findIndex((spec) => spec.group === 'reports');
  const reportsOutcome = combined.outcomes[reportsIndex];
  const docsIndex = plan.findIndex((spec) => spec.group === 'documentReferences');
  const docsOutcome = docsIndex === -1 ? undefined : combined.outcomes[docsIndex];
  // Narratives behind URLs: the reports' presentedForm and the imaging notes' attachments, fetched once both
  // searches have answered (a failed notes search does not hold the reports' narratives back).
  const docsSettled = docsIndex === -1 || docsOutcome !== undefined;
  const reportResources =
    reportsOutcome?.status === 'ok' && docsSettled
      ? [
          ...reportsOutcome.result.resources,
          ...(docsOutcome?.status === 'ok' ? docsOutcome.result.resources : []),
        ]
      : undefined;
  const reportsSpec = plan[reportsIndex];
  const binaries = useQuery({
    queryKey: [...(reportsSpec ? planQueryKey(session, reportsSpec) : ['no-reports']), 'binaries'],
    queryFn: ({ signal }) => fetchReportBinaries(session, reportResources ?? [], signal),
    enabled: reportResources !== undefined,
  });

  const binariesSettled = reportResources === undefined || !binaries.isPending;
  const allSettled = combined.settled === plan.length && binariesSettled;
  const assembled = useMemo(() => {
    if (!allSettled) return undefined;
    const outcomes = new Map(plan.map((spec, i) => [spec.key, combined.outcomes[i]]));
    return assembleTimeline(session, plan, outcomes, {
      asOf,
      ...(binaries.data ? { binaries: binaries.data } : {}),
    });
  }, [allSettled, session, plan, combined.outcomes, asOf, binaries.data]);

  // Progressive rendering: once every lab search has answered, a labs-only timeline lets the chart draw before
  // the reports, procedures and narratives are in (the verdicts still wait for everything).
  const labIndexes = useMemo(
    () => plan.flatMap((spec, i) => (spec.group === 'observations' ? [i] : [])),
    [plan],
  );
  const labsSettled = labIndexes.length > 0 && labIndexes.every((i) => combined.outcomes[i] !== undefined);
  const labsOnly = useMemo(() => {
    if (!labsSettled || allSettled) return undefined;
    const specs = labIndexes.flatMap((i) => (plan[i] ? [plan[i]] : []));
    const outcomes = new Map(labIndexes.map((i) => [plan[i]?.key ?? '', combined.outcomes[i]]));
    return assembleTimeline(session, specs, outcomes, { asOf }).timeline;
  }, [labsSettled, allSettled, labIndexes, plan, combined.outcomes, session, asOf]);

  if (combined.expired) return { status: 'session-expired', error: combined.expired };
  if (!assembled) return { status: 'loading', done: combined.settled, total: plan.length, labs: labsOnly };
  return {
    status: 'ready',
    timeline: assembled.timeline,
    queries: assembled.queries,
    retryFailed: combined.refetchFailed,
  };
}
