/**
 * Settled query outcomes → Timeline (`assembleTimeline`): the part of the load that maps, with no HTTP in its
 * imports, so the compute worker (src/ui/worker) can run it. `load-timeline.ts` re-exports it.
 */
import type { DataIssue } from '../domain/source';
import type { FhirSession } from './client';
import type { FhirError } from './errors';
import type { BinariesResult } from './fetch-binaries';
import type { QueryOutcome, QueryResult } from './fetch-queries';
import type { FetchedBinary } from './map/imaging';
import { loadPatient } from './loader';
import type { LoadTimelineResult, QueryStatus } from './load-timeline';
import { labCodesFor, type QueryGroup, type QuerySpec } from './queries';

/** Plain words for why a query failed (no PHI: status codes and the server's OperationOutcome text only). */
export function describeFailure(error: FhirError): string {
  switch (error.kind) {
    case 'forbidden':
      return 'the EHR did not grant access (403)';
    case 'session-expired':
      return 'the EHR refused the request even after a token refresh (401)';
    case 'rate-limited':
      return `the EHR was busy and asked the app to wait (${error.status ?? 429}); retries ran out`;
    case 'server':
      return `the EHR had an internal error (${error.status ?? 500})`;
    case 'network':
      return 'the EHR could not be reached or sent an incomplete response';
    case 'invalid-response':
      return 'the EHR sent a response the app could not read';
    case 'client':
      return `the EHR refused the search (${error.status ?? 400})${error.outcomeText ? `: ${error.outcomeText}` : ''}`;
    case 'not-launched':
      return 'the app was not launched from the EHR';
  }
}

const GROUP_FIELDS: readonly QueryGroup[] = [
  'observations',
  'reports',
  'imagingStudies',
  'procedures',
  'conditions',
  'medicationRequests',
  'diseaseStatus',
  'documentReferences',
];

function identity(resource: unknown): string | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined;
  const { resourceType, id } = resource as { resourceType?: unknown; id?: unknown };
  return typeof resourceType === 'string' && typeof id === 'string' ? `${resourceType}/${id}` : undefined;
}

export interface AssembleOptions {
  readonly asOf?: string;
  readonly binaries?: BinariesResult;
  /** The report narratives were asked for and have not arrived within the budget. */
  readonly binariesLoading?: boolean;
}

/** The missing reason of a query past its budget (the timeline's `notLoaded` carries the type for the engine). */
export function stillLoadingReason(label: string): string {
  return `still loading: ${label} (not loaded yet)`;
}

/**
 * "Session expired, relaunch" only when every request was refused: at least one query answered 401 after the
 * refresh, none succeeded, and every other one failed the same way (a query still running does not count).
 */
export function everyRequestRefused(outcomes: Iterable<QueryOutcome | undefined>): FhirError | undefined {
  let refused: FhirError | undefined;
  for (const o of outcomes) {
    if (o === undefined || o.status === 'loading') continue;
    if (o.status === 'ok' || o.error.kind !== 'session-expired') return undefined;
    refused ??= o.error;
  }
  return refused;
}

/**
 * Settled query outcomes → Timeline plus per-query status. A resource returned identically by two different queries
 * is kept once (it is one record); duplicates within one query stay for the mappers to report.
 */
export function assembleTimeline(
  session: Pick<FhirSession, 'issuer'>,
  plan: readonly QuerySpec[],
  outcomes: ReadonlyMap<string, QueryOutcome | undefined>,
  options: AssembleOptions = {},
): LoadTimelineResult {
  const lists = new Map<QueryGroup, unknown[]>(GROUP_FIELDS.map((g) => [g, []]));
  const firstSeen = new Map<string, { key: string; json: string }>();
  const issues: DataIssue[] = [];
  const queries: QueryStatus[] = [];
  const notLoaded = new Set<string>();
  let patient: unknown;

  for (const spec of plan) {
    const outcome = outcomes.get(spec.key);
    if (!outcome || outcome.status !== 'ok') {
      // No data from this query: said as a warning, and its status kept for the data panel.
      notLoaded.add(spec.resourceType);
      const reason = !outcome
        ? `${spec.label} were not loaded`
        : outcome.status === 'loading'
          ? stillLoadingReason(spec.label)
          : `${spec.label} could not be loaded: ${describeFailure(outcome.error)}`;
      issues.push({ resourceType: spec.resourceType, reason, kind: 'warning' });
      queries.push({
        key: spec.key,
        status: outcome?.status === 'loading' ? 'loading' : 'error',
        ...(outcome?.status === 'error' ? { error: outcome.error } : {}),
        resourceCount: 0,
        pages: 0,
      });
      continue;
    }
    const result: QueryResult = outcome.result;
    issues.push(...result.issues);
    queries.push({
      key: spec.key,
      status: 'ok',
      resourceCount: result.resources.length,
      pages: result.pages,
    });
    if (spec.group === 'patient') {
      patient = result.resources[0];
      continue;
    }
    const list = lists.get(spec.group) ?? [];
    for (const resource of result.resources) {
      const id = identity(resource);
      if (id !== undefined) {
        const json = JSON.stringify(resource);
        const prior = firstSeen.get(`${spec.group}:${id}`);
        if (prior && prior.key !== spec.key && prior.json === json) continue;
        if (!prior) firstSeen.set(`${spec.group}:${id}`, { key: spec.key, json });
      }
      list.push(resource);
    }
  }

  // The same loader as the CLI (route → map → account): every resource a query returned is used or listed.
  const resources = GROUP_FIELDS.flatMap((g) => lists.get(g) ?? []);
  // Result Observations read by id with the narratives, unless a search already returned them.
  const present = new Set(resources.flatMap((r) => identity(r) ?? []));
  for (const r of options.binaries?.results ?? []) {
    const id = identity(r);
    if (id !== undefined && !present.has(id)) {
      present.add(id);
      resources.push(r);
    }
  }
  const binaries: ReadonlyMap<string, FetchedBinary> | undefined = options.binaries?.binaries;
  const loaded = loadPatient(patient, resources, {
    labCodes: labCodesFor(session.issuer),
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
    ...(binaries ? { binaries } : {}),
    collectIssues: [
      ...issues,
      ...(options.binaries?.issues ?? []),
      ...(options.binariesLoading
        ? [
            {
              resourceType: 'Binary',
              reason: stillLoadingReason('report narratives'),
              kind: 'warning' as const,
            },
          ]
        : []),
    ],
  });
  return {
    timeline: notLoaded.size > 0 ? { ...loaded.timeline, notLoaded: [...notLoaded].sort() } : loaded.timeline,
    queries,
    accounting: loaded.accounting,
  };
}
