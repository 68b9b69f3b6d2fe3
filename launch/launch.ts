import FHIR from 'fhirclient';
import { parseIssuerRegistry, type IssuerRegistry } from '../src/config/issuers';
import { decideLaunch } from './launch-decision';
import {
  authorizeProblem,
  checkTypedIss,
  standaloneChoices,
  storageAvailable,
  storageBlockedProblem,
  type LaunchProblem,
} from './launch-problems';

// The launch page only checks the issuer and hands over to fhirclient: nothing may follow the redirect.

function show(
  title: string,
  detail: string,
  isRefusal: boolean,
  testId = 'launch-refused',
): HTMLElement | null {
  const main = document.getElementById('launch');
  if (!main) return null;
  main.replaceChildren();
  const h1 = document.createElement('h1');
  h1.textContent = 'TACE Navigator';
  const box = document.createElement('section');
  if (isRefusal) {
    box.className = 'refusal';
    box.setAttribute('role', 'alert');
    box.dataset.testid = testId;
  }
  const h2 = document.createElement('h2');
  h2.textContent = title;
  const p = document.createElement('p');
  p.textContent = detail;
  box.append(h2, p);
  main.append(h1, box);
  return box;
}

function showProblem(problem: LaunchProblem): HTMLElement | null {
  return show(problem.title, problem.detail, true, problem.testId);
}

function inFrame(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // a cross-origin top that cannot even be compared
  }
}

/**
 * Storage is blocked in the EHR's frame: offer the same launch URL (same `iss` and `launch`) in a top-level
 * window, where the browser gives the app its own first-party storage. A link, so it works as a plain user
 * gesture and without `window.opener`.
 */
function showStorageBlocked(): void {
  const framed = inFrame();
  const box = showProblem(storageBlockedProblem(framed));
  if (!box || !framed) return;
  const a = document.createElement('a');
  a.className = 'button';
  a.href = window.location.href;
  a.target = '_blank';
  a.rel = 'noopener';
  a.dataset.testid = 'open-in-new-window';
  a.textContent = 'Open in a new window';
  const p = document.createElement('p');
  p.append(a);
  box.append(p);
}

async function loadRegistry() {
  const response = await fetch(new URL('../config/issuers.json', window.location.href), {
    cache: 'no-cache',
  });
  if (!response.ok) throw new Error(`config/issuers.json answered ${response.status}`);
  return parseIssuerRegistry(await response.json());
}

function showChooser(registry: IssuerRegistry): void {
  const main = document.getElementById('launch');
  if (!main) return;
  show('Choose a FHIR server', 'Standalone launch: pick the server to sign in to.', false);
  const { exact, pattern } = standaloneChoices(registry.issuers);
  const list = document.createElement('ul');
  list.dataset.testid = 'issuer-choices';
  for (const { issuer, iss } of exact) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `?iss=${encodeURIComponent(iss)}`;
    a.textContent = issuer.displayName;
    li.append(a);
    list.append(li);
  }
  // A pattern issuer stands for many servers (one per instance or sandbox): the user types the URL.
  for (const issuer of pattern) {
    const li = document.createElement('li');
    const form = document.createElement('form');
    form.noValidate = true;
    form.dataset.testid = `issuer-form-${issuer.id}`;
    const label = document.createElement('label');
    const inputId = `iss-${issuer.id}`;
    label.htmlFor = inputId;
    label.textContent = `${issuer.displayName} — FHIR server URL`;
    const input = document.createElement('input');
    input.id = inputId;
    input.type = 'url';
    input.required = true;
    input.setAttribute('autocomplete', 'url');
    input.placeholder = 'https://…/fhir';
    const button = document.createElement('button');
    button.type = 'submit';
    button.textContent = 'Sign in';
    const error = document.createElement('p');
    error.className = 'field-error';
    error.setAttribute('role', 'alert');
    error.id = `${inputId}-error`;
    input.setAttribute('aria-describedby', error.id);
    form.append(label, input, button, error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const checked = checkTypedIss(registry, issuer, input.value);
      if (!checked.ok) {
        error.textContent = checked.reason;
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      window.location.assign(`?iss=${encodeURIComponent(checked.iss)}`);
    });
    li.append(form);
    list.append(li);
  }
  main.append(list);
}

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = await loadRegistry();
  } catch {
    show('The app is not configured', 'The issuer registry (config/issuers.json) could not be loaded.', true);
    return;
  }
  if (!loaded.ok) {
    show('The app is not configured correctly', loaded.reason, true);
    return;
  }
  const decision = decideLaunch(new URLSearchParams(window.location.search), loaded.registry);
  if (decision.kind === 'refuse') {
    show(decision.title, decision.detail, true);
    return;
  }
  if (decision.kind === 'choose-issuer') {
    showChooser(loaded.registry);
    return;
  }
  // Before any redirect: without storage the PKCE verifier and state cannot survive it (see launch-problems.ts).
  if (!storageAvailable(() => window.sessionStorage)) {
    showStorageBlocked();
    return;
  }
  try {
    await FHIR.oauth2.authorize({
      iss: decision.iss,
      ...(decision.launch ? { launch: decision.launch } : {}),
      clientId: decision.issuer.clientId,
      scope: decision.scope,
      redirectUri: new URL('../', window.location.href).href,
      pkceMode: 'required',
      // SMART 2 wants ≥ 122 bits of state; fhirclient's default comes from Math.random.
      stateKey: crypto.randomUUID(),
      // EHRs show the app in a frame: finish the sign-in in that same frame, never in a pop-up.
      completeInTarget: true,
    });
  } catch (error) {
    const problem = authorizeProblem(error, decision.iss, inFrame());
    if (problem.testId === 'launch-storage-blocked') showStorageBlocked();
    else showProblem(problem);
  }
}

main().catch(() => {
  showProblem({
    title: 'The launch could not start',
    detail: 'The sign-in with the EHR could not be started. Relaunch the app from the EHR.',
    testId: 'launch-failed',
  });
});
