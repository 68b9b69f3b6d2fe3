import FHIR from 'fhirclient';
import { parseIssuerRegistry } from '../src/config/issuers';
import { decideLaunch } from './launch-decision';

// The launch page only checks the issuer and hands over to fhirclient: nothing may follow the redirect.

function show(title: string, detail: string, isRefusal: boolean): void {
  const main = document.getElementById('launch');
  if (!main) return;
  main.replaceChildren();
  const h1 = document.createElement('h1');
  h1.textContent = 'TACE Navigator';
  const box = document.createElement('section');
  if (isRefusal) {
    box.className = 'refusal';
    box.setAttribute('role', 'alert');
    box.dataset.testid = 'launch-refused';
  }
  const h2 = document.createElement('h2');
  h2.textContent = title;
  const p = document.createElement('p');
  p.textContent = detail;
  box.append(h2, p);
  main.append(h1, box);
}

async function loadRegistry() {
  const response = await fetch(new URL('../config/issuers.json', window.location.href), {
    cache: 'no-cache',
  });
  if (!response.ok) throw new Error(`config/issuers.json answered ${response.status}`);
  return parseIssuerRegistry(await response.json());
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
    const main = document.getElementById('launch');
    if (!main) return;
    show('Choose a FHIR server', 'Standalone launch: pick the server to sign in to.', false);
    const list = document.createElement('ul');
    for (const issuer of decision.issuers) {
      if (!('exact' in issuer.issMatch)) continue;
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `?iss=${encodeURIComponent(issuer.issMatch.exact)}`;
      a.textContent = issuer.displayName;
      li.append(a);
      list.append(li);
    }
    main.append(list);
    return;
  }
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
}

main().catch(() => {
  show(
    'The launch could not start',
    'The EHR’s authorization server could not be reached. Relaunch from the EHR.',
    true,
  );
});
