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
import type { DataIssue } from '../domain/source';
import type { Timeline } from '../domain/timeline';
import type { FhirSession } from './client';
import { FhirError } from './errors';
import { fetchReportBinaries, type BinariesResult } from './fetch-binaries';
import { queryBudgetMs } from '../config/issuers';
import { runQuery, withBudget, type QueryOutcome, type QueryResult } from './fetch-queries';
import type { FetchedBinary } from './map/imaging';
import { loadPatient, type Accounting } from './loader';
import { buildRequestPlan, labCodesFor, type QueryGroup, type QuerySpec } from './queries';

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
    if (!outcome || outcome.status !== 'ok') notLoaded.add(spec.resourceType);
    if (!outcome) {
      issues.push({
        resourceType: spec.resourceType,
        reason: `${spec.label} were not loaded`,
        kind: 'warning',
      });
      queries.push({ key: spec.key, status: 'error', resourceCount: 0, pages: 0 });
      continue;
    }
    if (outcome.status === 'loading') {
      issues.push({
        resourceType: spec.resourceType,
        reason: stillLoadingReason(spec.label),
        kind: 'warning',
      });
      queries.push({ key: spec.key, status: 'loading', resourceCount: 0, pages: 0 });
      continue;
    }
    if (outcome.status === 'error') {
      issues.push({
        resourceType: spec.resourceType,
        reason: `${spec.label} could not be loaded: ${describeFailure(outcome.error)}`,
        kind: 'warning',
      });
      queries.push({ key: spec.key, status: 'error', error: outcome.error, resourceCount: 0, pages: 0 });
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
