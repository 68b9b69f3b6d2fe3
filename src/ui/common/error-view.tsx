import { FhirError } from '../../fhir/errors';
import { LaunchError } from './launch-error';
import { LaunchErrorView } from './launch-error-view';
import { StatePanel } from './state-panel';

/** Turns a data-layer error into words a clinician can act on. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof LaunchError) return <LaunchErrorView error={error} />;
  const kind = error instanceof FhirError ? error.kind : 'unknown';
  switch (kind) {
    case 'not-launched':
      return (
        <StatePanel title="Open TACE Navigator from the EHR" tone="info" testId="state-not-launched">
          <p>
            This page needs a SMART launch: open the app from the patient’s chart in the EHR (or from the
            sandbox launcher).
          </p>
        </StatePanel>
      );
    case 'session-expired':
      return (
        <StatePanel title="Your session has expired" tone="error" testId="state-session-expired">
          <p>Relaunch TACE Navigator from the EHR to continue.</p>
        </StatePanel>
      );
    case 'forbidden':
      return (
        <StatePanel title="The EHR did not grant access to this data" tone="error" testId="state-forbidden">
          <p>
            {error instanceof FhirError && error.outcomeText
              ? error.outcomeText
              : 'Ask your EHR administrator about the app’s permissions.'}
          </p>
        </StatePanel>
      );
    default:
      return (
        <StatePanel title="The data could not be loaded" tone="error" testId="state-error">
          <p>{error instanceof FhirError ? error.message : 'An unexpected error occurred.'}</p>
          {onRetry ? (
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          ) : null}
        </StatePanel>
      );
  }
}
