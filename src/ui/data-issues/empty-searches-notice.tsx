import type { QueryStatus } from '../../fhir/load-timeline';
import type { QuerySpec } from '../../fhir/queries';

/** The searches the criteria depend on: when one returns nothing at all, the first screen says so. */
const LAB_KEYS = ['labs:albumin', 'labs:bilirubin', 'labs:afp'] as const;

export interface EmptySearches {
  /** Analyte names ("albumin", "AFP") whose search answered with no result at all. */
  readonly labs: readonly string[];
  readonly reports: boolean;
  readonly procedures: boolean;
}

/** Answered searches (status ok) that returned no resource; failed ones are said by the failure notice. */
export function emptySearches(plan: readonly QuerySpec[], queries: readonly QueryStatus[]): EmptySearches {
  const empty = (key: string) =>
    queries.some((q) => q.key === key && q.status === 'ok' && q.resourceCount === 0);
  const name = (key: string) =>
    (plan.find((s) => s.key === key)?.label ?? key.replace(/^labs:/, '')).replace(/\s+results$/, '');
  // Imaging may also come as documents or mCODE disease status: "no imaging reports" only when none of them did.
  const imagingKeys = plan
    .filter(
      (s) => s.group === 'reports' || s.group === 'diseaseStatus' || s.resourceType === 'DocumentReference',
    )
    .map((s) => s.key);
  const someImaging = queries.some(
    (q) => imagingKeys.includes(q.key) && q.status === 'ok' && q.resourceCount > 0,
  );
  return {
    labs: LAB_KEYS.filter(empty).map(name),
    reports: empty('reports') && !someImaging,
    procedures: empty('procedures'),
  };
}

const SEE = (
  <>
    {' — '}
    <a href="#data-status-heading">see the data panel</a>.
  </>
);

/**
 * "No lab results were returned for albumin, bilirubin: …": said near the verdicts, not only as zeros in the data
 * panel, because an empty search often means the EHR codes or files the data differently, not that there is none.
 */
export function EmptySearchesNotice(props: { plan: readonly QuerySpec[]; queries: readonly QueryStatus[] }) {
  const e = emptySearches(props.plan, props.queries);
  if (e.labs.length === 0 && !e.reports && !e.procedures) return null;
  return (
    <div className="empty-notice" data-testid="empty-notice">
      <ul>
        {e.labs.length > 0 ? (
          <li data-testid="empty-labs">
            No lab results were returned for {e.labs.join(', ')}: if the patient has them, the EHR may code
            them differently{SEE}
          </li>
        ) : null}
        {e.reports ? (
          <li data-testid="empty-reports">
            No imaging reports were returned: if the patient has them, the EHR may file them under another
            category{SEE}
          </li>
        ) : null}
        {e.procedures ? (
          <li data-testid="empty-procedures">
            No procedures were returned, so no TACE session is counted: if the patient has had them, the EHR
            may record them elsewhere{SEE}
          </li>
        ) : null}
      </ul>
    </div>
  );
}
