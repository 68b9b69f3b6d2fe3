/**
 * Runs the request plan: every query in one parallel wave, each then following its own `next` links (bounded by
 * `maxPages`; a loop or a link to another origin stops it with a DataIssue). Searchset OperationOutcome entries
 * (Epic sends warnings such as "4101 Resource request returns no results") become DataIssue warnings.
 * Never throws for one query's failure: each outcome is `ok` or `error` with a typed FhirError.
 */
import type { DataIssue } from '../domain/source';
import type { FhirSession } from './client';
import { operationOutcomeText } from './client';
import { FhirError } from './errors';
import type { QuerySpec } from './queries';
import { bundleSchema, nextLink } from './schemas/bundle';

export interface QueryResult {
  readonly key: string;
  /** Matched and included resources, in server order (duplicates kept: the mappers report them). */
  readonly resources: readonly unknown[];
  /** Paging and server warnings for this query. */
  readonly issues: readonly DataIssue[];
  readonly pages: number;
  /** `Bundle.total` of the first page, when the server sent it. */
  readonly total: number | undefined;
}

/**
 * `loading`: the query's budget (issuer option `queryBudgetSeconds`) has passed and it has not answered yet. The
 * assembly treats it like a failed query for that moment ("still loading: <label>"), and it keeps running.
 */
export type QueryOutcome =
  | { readonly status: 'ok'; readonly result: QueryResult }
  | { readonly status: 'error'; readonly error: FhirError }
  | { readonly status: 'loading' };

export type Budgeted<T> =
  { readonly settled: true; readonly value: T } | { readonly settled: false; readonly later: Promise<T> };

/**
 * Races `work` against a deadline without cancelling it: `settled: false` after `budgetMs`, with the still-running
 * promise to wait on in the background. Never rejects by itself: `work` should not reject (map errors first).
 */
export function withBudget<T>(work: Promise<T>, budgetMs: number): Promise<Budgeted<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Budgeted<T>>((done) => {
    timer = setTimeout(() => done({ settled: false, later: work }), budgetMs);
  });
  return Promise.race([work.then((value): Budgeted<T> => ({ settled: true, value })), late]).finally(() =>
    clearTimeout(timer),
  );
}

function asFhirError(error: unknown, spec: QuerySpec): FhirError {
  if (error instanceof FhirError) return error;
  return new FhirError('invalid-response', `The ${spec.label} could not be read.`, {
    resourceType: spec.resourceType,
    cause: error,
  });
}

/** Runs one spec (a read, or a search with its pages). Rejects with a FhirError: for React Query's queryFn. */
export async function runQuery(
  session: FhirSession,
  spec: QuerySpec,
  signal?: AbortSignal,
): Promise<QueryResult> {
  const opts = signal ? { signal } : {};
  const issues: DataIssue[] = [];
  const warn = (reason: string) => issues.push({ resourceType: spec.resourceType, reason, kind: 'warning' });
  try {
    if (spec.read) {
      const body = await session.get(spec.url, opts);
      const type = (body as { resourceType?: unknown } | undefined)?.resourceType;
      if (type !== spec.resourceType) {
        throw new FhirError('invalid-response', `The EHR did not return a ${spec.resourceType}.`, {
          resourceType: spec.resourceType,
        });
      }
      return { key: spec.key, resources: [body], issues, pages: 1, total: 1 };
    }

    const resources: unknown[] = [];
    const seen = new Set<string>();
    let url: string | undefined = spec.url;
    let pages = 0;
    let total: number | undefined;
    while (url !== undefined) {
      const absolute = session.resolve(url);
      if (absolute === undefined) {
        warn(
          `${spec.label}: the next page pointed to another server and was not followed; results may be incomplete`,
        );
        break;
      }
      if (seen.has(absolute)) {
        warn(`${spec.label}: the server repeated a page link (paging loop); stopped after ${pages} pages`);
        break;
      }
      if (pages >= spec.maxPages) {
        warn(
          `${spec.label}: only the first ${spec.maxPages} pages were loaded; older results may be missing`,
        );
        break;
      }
      seen.add(absolute);
      const body = await session.getPage(absolute, opts);
      pages++;
      const parsed = bundleSchema.safeParse(body);
      if (!parsed.success) {
        throw new FhirError(
          'invalid-response',
          `The EHR answered the ${spec.resourceType} search with something other than a Bundle.`,
          {
            resourceType: spec.resourceType,
            ...(operationOutcomeText(body) ? { outcomeText: operationOutcomeText(body) } : {}),
          },
        );
      }
      const bundle = parsed.data;
      if (pages === 1) total = bundle.total;
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        if (typeof resource !== 'object' || resource === null) continue;
        const outcome = operationOutcomeText(resource);
        if (
          entry.search?.mode === 'outcome' ||
          (resource as { resourceType?: unknown }).resourceType === 'OperationOutcome'
        ) {
          if (outcome) warn(`${spec.label}: the EHR said "${outcome}"`);
          continue;
        }
        resources.push(resource);
      }
      url = nextLink(bundle);
    }
    return { key: spec.key, resources, issues, pages, total };
  } catch (error: unknown) {
    throw asFhirError(error, spec);
  }
}

/** Runs the whole plan in one parallel wave; each query's failure stays its own (no budget: waits for all). */
export async function loadAll(
  session: FhirSession,
  plan: readonly QuerySpec[],
  signal?: AbortSignal,
): Promise<Map<string, QueryOutcome>> {
  const settled = await Promise.all(
    plan.map((spec) =>
      runQuery(session, spec, signal).then(
        (result): QueryOutcome => ({ status: 'ok', result }),
        (error: unknown): QueryOutcome => ({ status: 'error', error: asFhirError(error, spec) }),
      ),
    ),
  );
  return new Map(plan.map((spec, i) => [spec.key, settled[i] as QueryOutcome]));
}
