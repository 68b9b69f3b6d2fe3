import type { DataIssue } from '../../domain/source';

const KIND_LABEL: Record<DataIssue['kind'], string> = {
  excluded: 'Excluded',
  malformed: 'Could not be read',
  unsupported: 'Not used',
  warning: 'Note',
  superseded: 'Superseded',
  conflict: 'Reports disagree',
};

/** Excluded and malformed records with the reason: nothing disappears silently. */
export function DataIssuesPanel({ issues }: { issues: readonly DataIssue[] }) {
  return (
    <section aria-labelledby="data-issues-heading" data-testid="data-issues">
      <h2 id="data-issues-heading">Data issues ({issues.length})</h2>
      {issues.length === 0 ? (
        <p>No record was excluded or unreadable.</p>
      ) : (
        <details>
          <summary>Show the {issues.length} records that were excluded, unreadable or not used</summary>
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Record</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue, i) => (
                <tr key={`${issue.resourceType}-${issue.id ?? ''}-${i}`}>
                  <td>{KIND_LABEL[issue.kind]}</td>
                  <td>
                    {issue.resourceType}
                    {issue.id ? `/${issue.id}` : ''}
                  </td>
                  <td>{issue.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
