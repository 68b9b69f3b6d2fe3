import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import BrowserAdapter from 'fhirclient/lib/adapters/BrowserAdapter';
import { ready } from 'fhirclient/lib/smart';
import { App } from '../../src/ui/app';
import { FhirError } from '../../src/fhir/errors';
import type { FhirSession } from '../../src/fhir/client';
import { bootParams, explainLaunchError } from '../../src/ui/common/launch-error';

/**
 * The app page after the authorization server sent the user back: fhirclient's real `ready()` (browser adapter,
 * jsdom's sessionStorage and URL) fails as it does in the browser, wrapped as connectSmart wraps it, explained
 * as main.tsx explains it, and rendered by the App.
 */
const TOKEN_URL = 'https://auth.example.test/token';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  sessionStorage.clear();
});
afterAll(() => server.close());

/** As connectSmart (src/fhir/client.ts) wraps a ready() failure. */
function wrapLikeConnectSmart(error: unknown): FhirError {
  const message = error instanceof Error ? error.message : '';
  return /state/i.test(message)
    ? new FhirError('not-launched', 'The app was opened without a SMART launch.', { cause: error })
    : new FhirError('session-expired', 'The sign-in with the EHR could not be completed.', { cause: error });
}

async function landOnApp(search: string, storedState?: Record<string, unknown>): Promise<HTMLElement> {
  window.history.replaceState({}, '', `/${search}`);
  if (storedState) {
    sessionStorage.setItem('k1', JSON.stringify(storedState));
    sessionStorage.setItem('SMART_KEY', JSON.stringify('k1'));
  }
  const boot = bootParams(window.location.search);
  const adapter = new BrowserAdapter();
  const connect = (): Promise<FhirSession> =>
    ready(adapter)
      .catch((error: unknown) => {
        throw wrapLikeConnectSmart(error);
      })
      .then(
        () => {
          throw new Error('ready() should have failed');
        },
        (error: unknown) => {
          throw explainLaunchError(error, boot);
        },
      );
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <App connect={connect} />
    </QueryClientProvider>,
  );
  return screen.findByRole('alert');
}

const pendingExchange = {
  serverUrl: 'https://fhir.example.test/r4',
  clientId: 'tace-navigator',
  redirectUri: 'http://localhost:3000/',
  tokenUri: TOKEN_URL,
  codeVerifier: 'v'.repeat(43),
  completeInTarget: true,
};

function tokenAnswers(status: number, body: Record<string, string>) {
  server.use(http.post(TOKEN_URL, () => HttpResponse.json(body, { status })));
}

describe('launch failures on the app page name their cause', () => {
  it('access_denied in the redirect: not granted, with the server’s description as text (never HTML)', async () => {
    const alert = await landOnApp(
      '?error=access_denied&error_description=' +
        encodeURIComponent('<img src=x onerror=alert(1)>User <b>declined</b>') +
        '&state=k1',
    );
    expect(alert.textContent).toContain('Access to the EHR was not granted');
    expect(alert.textContent).not.toContain('session has expired');
    const said = screen.getByTestId('server-description');
    expect(said.textContent).toContain('<img src=x onerror=alert(1)>User <b>declined</b>');
    expect(said.querySelector('img, b')).toBeNull();
  });

  it('invalid_scope in the redirect: names scopeVersion / the registration', async () => {
    const alert = await landOnApp(
      '?error=invalid_scope&error_description=patient%2FBinary.r%20unknown&state=k1',
    );
    expect(screen.getByTestId('state-launch-invalid_scope')).toBeTruthy();
    expect(alert.textContent).toContain('scopeVersion');
    expect(screen.getByTestId('server-description').textContent).toContain('patient/Binary.r unknown');
  });

  it('invalid_client from the token endpoint: names the clientId in config/issuers.json', async () => {
    tokenAnswers(401, { error: 'invalid_client', error_description: 'Unknown client tace-navigator' });
    const alert = await landOnApp('?code=abc&state=k1', pendingExchange);
    expect(screen.getByTestId('state-launch-invalid_client')).toBeTruthy();
    expect(alert.textContent).toContain('clientId');
    expect(alert.textContent).toContain('Unknown client tace-navigator');
  });

  it('invalid_grant from the token endpoint: code expired or used, redirect URI / PKCE', async () => {
    tokenAnswers(400, { error: 'invalid_grant', error_description: 'Code already used' });
    const alert = await landOnApp('?code=abc&state=k1', pendingExchange);
    expect(screen.getByTestId('state-launch-invalid_grant')).toBeTruthy();
    expect(alert.textContent).toContain('redirect');
    expect(alert.textContent).toContain('Code already used');
    // The token endpoint's URL in fhirclient's message is not shown.
    expect(alert.textContent).not.toContain(TOKEN_URL);
  });

  it('a token endpoint failing without an OAuth error: names the HTTP status, not “session expired”', async () => {
    tokenAnswers(500, { message: 'internal' });
    const alert = await landOnApp('?code=abc&state=k1', pendingExchange);
    expect(screen.getByTestId('state-launch-oauth-other')).toBeTruthy();
    expect(alert.textContent).toContain('HTTP status 500');
    expect(alert.textContent).not.toContain('session has expired');
  });

  it('an unreachable token endpoint: says so, not “session expired”', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    const alert = await landOnApp('?code=abc&state=k1', pendingExchange);
    expect(screen.getByTestId('state-launch-unreachable')).toBeTruthy();
    expect(alert.textContent).toContain('could not be reached');
  });

  it('a state this tab never stored: state mismatch, not “open from the EHR”', async () => {
    const alert = await landOnApp('?code=abc&state=someone-elses');
    expect(screen.getByTestId('state-launch-state-mismatch')).toBeTruthy();
    expect(alert.textContent).toContain('state');
  });

  it('no launch at all (page opened directly) still says how to launch', async () => {
    window.history.replaceState({}, '', '/');
    const boot = bootParams('');
    const connect = (): Promise<FhirSession> =>
      ready(new BrowserAdapter()).then(
        () => {
          throw new Error('unexpected');
        },
        (error: unknown) => {
          throw explainLaunchError(wrapLikeConnectSmart(error), boot);
        },
      );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <App connect={connect} />
      </QueryClientProvider>,
    );
    await screen.findByTestId('state-not-launched');
  });
});
