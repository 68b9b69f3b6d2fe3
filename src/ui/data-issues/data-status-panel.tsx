import { codingLabel } from '../../domain/display-labels';
import type { QueryStatus } from '../../fhir/load-timeline';
import type { QuerySpec } from '../../fhir/queries';
import { describeFailure } from '../../fhir/load-timeline';

/** The `system|code` values a search asked for (decoded from its URL), so an empty search shows what it missed. */
export function searchedCodes(spec: QuerySpec | undefined): string[] {
  const query = spec?.url.split('?')[1];
  if (!query) return [];
  const codes = new URLSearchParams(query).get('code');
  return codes ? codes.split(',') : [];
}

/** What was asked of the EHR and what came back, so a clinician can tell "none on file" from "not loaded". */
export function DataStatusPanel(props: {
  plan: readonly QuerySpec[];
  queries: readonly QueryStatus[];
  onRetry: () => void;
}) {
  const failed = props.queries.filter((q) => q.status === 'error');
  const loading = props.queries.filter((q) => q.status === 'loading');
  const labelOf = (key: string) => props.plan.find((s) => s.key === key)?.label ?? key;
  return (
    <section aria-labelledby="data-status-heading" data-testid="data-status">
      <h2 id="data-status-heading">Data loaded from the EHR</h2>
      {failed.length > 0 ? (
        <div role="alert" className="data-failed" data-testid="data-failed">
          <p>
            {failed.length === 1 ? 'One data set' : `${failed.length} data sets`} could not be loaded;
            criteria that need them are shown as indeterminate.
          </p>
          <ul>
            {failed.map((q) => (
              <li key={q.key}>
                {labelOf(q.key)}: {q.error ? describeFailure(q.error) : 'not loaded'}
              </li>
            ))}
          </ul>
          <button type="button" onClick={props.onRetry}>
            Retry the failed data sets
          </button>
        </div>
      ) : null}
      {loading.length > 0 ? (
        <p className="data-loading" data-testid="data-loading">
          Still loading: {loading.map((q) => labelOf(q.key)).join(', ')}. The screen updates when{' '}
          {loading.length === 1 ? 'it arrives' : 'they arrive'}.
        </p>
      ) : null}
      <table className="compact">
        <caption className="visually-hidden">Searches made and records returned</caption>
        <thead>
          <tr>
            <th scope="col">Data</th>
            <th scope="col">Status</th>
            <th scope="col">Records</th>
          </tr>
        </thead>
        <tbody>
          {props.queries.map((q) => {
            const codes =
              q.status === 'ok' && q.resourceCount === 0
                ? searchedCodes(props.plan.find((s) => s.key === q.key))
                : [];
            return (
              <tr key={q.key} data-testid={`query-${q.key}`}>
                <th scope="row">{labelOf(q.key)}</th>
                <td data-status={q.status}>
                  {q.status === 'ok' ? 'loaded' : q.status === 'loading' ? 'still loading' : 'failed'}
                </td>
                <td>
                  {q.status === 'ok' ? q.resourceCount : '—'}
                  {codes.length > 0 ? (
                    <details className="codes-searched" data-testid={`codes-searched-${q.key}`}>
                      <summary>codes searched</summary>
                      <ul>
                        {codes.map((c) => (
                          <li key={c}>
                            {/* Words first; the exact system|code too, for whoever maps the site's codes. */}
                            {codingLabel(c)} <code>{c}</code>
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
