import { findIssuer, type IssuerConfig, type IssuerRegistry } from '../src/config/issuers';

/**
 * Pure helpers of the launch page (no fhirclient, no redirect), unit-tested: whether this browsing context may
 * store the SMART state, what a failed `authorize` means, and what the server chooser accepts.
 */

/**
 * fhirclient keeps the PKCE verifier, the state and later the tokens in sessionStorage. Inside a cross-site
 * EHR frame Chromium (third-party storage blocked) throws a SecurityError on the first access to it.
 * An in-memory fallback is not offered: `authorize` navigates this frame to the authorization server, so the
 * document — and any memory storage — is gone before the code comes back; the exchange would always fail.
 */
export function storageAvailable(getStorage: () => Storage): boolean {
  try {
    const storage = getStorage();
    const key = '__tace_storage_probe__';
    storage.setItem(key, '1');
    const ok = storage.getItem(key) === '1';
    storage.removeItem(key);
    return ok;
  } catch {
    return false;
  }
}

export function isStorageError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = 'name' in error ? String(error.name) : '';
  const message = 'message' in error ? String(error.message) : '';
  return name === 'SecurityError' || /sessionStorage|Access is denied for this document/i.test(message);
}

export interface LaunchProblem {
  title: string;
  detail: string;
  testId: string;
}

export function storageBlockedProblem(inFrame: boolean): LaunchProblem {
  return inFrame
    ? {
        title: 'This browser blocks storage for apps inside the EHR’s frame',
        detail:
          'TACE Navigator must keep its sign-in state in the browser’s session storage, and this browser does ' +
          'not allow that for an app shown inside the EHR’s page (third-party storage is blocked). No sign-in ' +
          'was started. Open the app in a new window to continue with the same patient, or ask your IT team to ' +
          'allow storage for this app’s site in the EHR’s browser.',
        testId: 'launch-storage-blocked',
      }
    : {
        title: 'This browser blocks storage for this app',
        detail:
          'TACE Navigator must keep its sign-in state in the browser’s session storage, and this browser does ' +
          'not allow it for this site (storage or cookies are disabled). No sign-in was started. Allow site ' +
          'data for this app, then relaunch it from the EHR.',
        testId: 'launch-storage-blocked',
      };
}

/** What a rejection of fhirclient's `authorize` means, in words that name what to check. */
export function authorizeProblem(error: unknown, iss: string, inFrame: boolean): LaunchProblem {
  if (isStorageError(error)) return storageBlockedProblem(inFrame);
  const message = error instanceof Error ? error.message : '';
  if (/Failed to fetch the well-known json|Invalid wellKnownJson/i.test(message)) {
    return {
      title: 'The EHR’s authorization server could not be reached',
      detail:
        `The app could not read the SMART configuration of ${iss} (.well-known/smart-configuration). Check ` +
        'the network connection or proxy, and that this FHIR server is up, then relaunch from the EHR.',
      testId: 'launch-unreachable',
    };
  }
  if (/PKCE/i.test(message)) {
    return {
      title: 'The EHR’s authorization server does not support PKCE',
      detail:
        'TACE Navigator requires PKCE (S256), and this server’s SMART configuration does not declare it. Ask ' +
        'your EHR administrator to enable PKCE for this app.',
      testId: 'launch-no-pkce',
    };
  }
  return {
    title: 'The launch could not start',
    detail: 'The sign-in with the EHR could not be started. Relaunch the app from the EHR.',
    testId: 'launch-failed',
  };
}

/** The standalone servers: exact ones as links, pattern ones through a URL field. */
export function standaloneChoices(issuers: IssuerConfig[]): {
  exact: { issuer: IssuerConfig; iss: string }[];
  pattern: IssuerConfig[];
} {
  const exact: { issuer: IssuerConfig; iss: string }[] = [];
  const pattern: IssuerConfig[] = [];
  for (const issuer of issuers) {
    if (!issuer.standaloneLaunch) continue;
    if ('exact' in issuer.issMatch) exact.push({ issuer, iss: issuer.issMatch.exact });
    else pattern.push(issuer);
  }
  return { exact, pattern };
}

/**
 * A server URL typed for a pattern issuer: accepted only when it is an http(s) URL that this very issuer's
 * (anchored) pattern matches — a URL matching another entry, or none, is refused with a reason.
 */
export function checkTypedIss(
  registry: IssuerRegistry,
  issuer: IssuerConfig,
  typed: string,
): { ok: true; iss: string } | { ok: false; reason: string } {
  const value = typed.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'Type the FHIR server’s full URL, starting with https://.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'The FHIR server URL must start with https://.' };
  }
  if (findIssuer(registry, value)?.id !== issuer.id) {
    return { ok: false, reason: `This URL is not a ${issuer.displayName} server registered for this app.` };
  }
  return { ok: true, iss: value };
}
