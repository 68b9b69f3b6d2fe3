import type { ReactNode } from 'react';
import type { LaunchError } from './launch-error';
import { StatePanel } from './state-panel';

interface Wording {
  title: string;
  body: ReactNode;
}

function wording(error: LaunchError): Wording {
  switch (error.problem) {
    case 'access_denied':
      return {
        title: 'Access to the EHR was not granted',
        body: (
          <p>
            The sign-in was cancelled, or the EHR refused this app for your account or this patient. Check
            with your EHR administrator that you may use TACE Navigator and that the app is enabled for your
            role, then relaunch it from the patient’s chart.
          </p>
        ),
      };
    case 'invalid_client':
      return {
        title: 'The EHR does not recognise this app',
        body: (
          <p>
            The authorization server rejected the app’s client ID. IT: check the <code>clientId</code> of this
            EHR in <code>config/issuers.json</code> against the app’s registration (Epic: non-production and
            production client IDs differ; Oracle Health: the code console), and that the app is enabled for
            this site.
          </p>
        ),
      };
    case 'invalid_scope':
      return {
        title: 'The EHR refused the permissions the app asks for',
        body: (
          <p>
            IT: check that the app’s registration allows the requested scopes (read access to the listed
            resource types, <code>launch</code>, <code>openid fhirUser</code>, refresh), and that this EHR’s{' '}
            <code>scopeVersion</code> (v1 <code>.read</code> or v2 <code>.rs</code>) and{' '}
            <code>refreshScope</code> in <code>config/issuers.json</code> match what it accepts.
          </p>
        ),
      };
    case 'invalid_grant':
      return {
        title: 'The EHR refused the sign-in code',
        body: (
          <p>
            The one-time authorization code expired, was already used, or did not match this app’s redirect
            address or PKCE verifier. Relaunch from the EHR; if it happens again, IT should check the redirect
            URI registered for the app and the clocks of the servers.
          </p>
        ),
      };
    case 'oauth-other':
      return {
        title: 'The EHR’s authorization server refused the sign-in',
        body: (
          <p>
            {error.oauthError ? (
              <>
                It answered with the error <code>{error.oauthError}</code>.
              </>
            ) : error.httpStatus ? (
              <>The token request was answered with HTTP status {error.httpStatus}.</>
            ) : null}{' '}
            Relaunch from the EHR; if it happens again, give this message to your IT team.
          </p>
        ),
      };
    case 'unreachable':
      return {
        title: 'The EHR’s authorization server could not be reached',
        body: (
          <p>
            The app could not exchange the sign-in code for access (no answer from the token endpoint). Check
            the network connection or proxy, then relaunch from the EHR.
          </p>
        ),
      };
    case 'state-mismatch':
      return {
        title: 'This sign-in does not match one started in this window',
        body: (
          <p>
            The EHR sent back a sign-in whose <code>state</code> matches no sign-in this browser tab started:
            it was begun in another tab or window, or the browser cleared the app’s session storage. Nothing
            was loaded. Relaunch the app from the EHR.
          </p>
        ),
      };
    case 'storage-blocked':
      return {
        title: 'This browser blocks storage for this app',
        body: (
          <p>
            TACE Navigator keeps its sign-in in the browser’s session storage, and the browser refuses it here
            (inside the EHR’s frame, third-party storage is often blocked). Relaunch from the EHR and choose
            “Open in a new window”, or ask IT to allow storage for this app’s site.
          </p>
        ),
      };
    case 'not-launched':
      return {
        title: 'Open TACE Navigator from the EHR',
        body: (
          <p>
            This page needs a SMART launch: open the app from the patient’s chart in the EHR (or from the
            sandbox launcher).
          </p>
        ),
      };
    case 'unknown':
      return {
        title: 'The sign-in with the EHR could not be completed',
        body: <p>Relaunch TACE Navigator from the EHR. If it happens again, tell your IT team.</p>,
      };
  }
}

/** One message per launch failure, naming what to check; the server's own words are shown as text. */
export function LaunchErrorView({ error }: { error: LaunchError }) {
  const { title, body } = wording(error);
  return (
    <StatePanel
      title={title}
      tone={error.problem === 'not-launched' ? 'info' : 'error'}
      testId={error.problem === 'not-launched' ? 'state-not-launched' : `state-launch-${error.problem}`}
    >
      {body}
      {error.serverDescription ? (
        <p data-testid="server-description">
          The server said: <q>{error.serverDescription}</q>
        </p>
      ) : null}
    </StatePanel>
  );
}
