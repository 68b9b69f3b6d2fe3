/** The sandbox's HTML pages: launcher, standalone patient picker, error page. No framework; all output escaped. */
import type { Patient } from '@medplum/fhirtypes';
import type { AuthorizeParams } from './auth';
import type { FaultRule } from './faults';

export interface PatientSummary {
  id: string;
  title: string;
  summary: string;
  patient?: Patient;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function displayName(patient: Patient | undefined): string {
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  if (!name) return '(no name)';
  return `${name.family ?? ''}, ${(name.given ?? []).join(' ')}`.trim();
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.4; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
  button, .button { font: inherit; padding: .3rem .8rem; border: 1px solid #245; border-radius: 4px;
    background: #eef3f8; color: #123; text-decoration: none; display: inline-block; cursor: pointer; }
  .note { background: #fff8e0; border: 1px solid #d9b400; padding: .5rem 1rem; }
  code { background: #f3f3f3; padding: 0 .2rem; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

export function launcherPage(opts: {
  patients: PatientSummary[];
  fhirBaseUrl: string;
  appLaunchUrl: string;
  latencyMs: number;
  faultPlan: FaultRule[];
}): string {
  const standaloneUrl = `${opts.appLaunchUrl}?iss=${encodeURIComponent(opts.fhirBaseUrl)}`;
  const rows = opts.patients
    .map(
      (p) => `<tr>
  <td>${escapeHtml(displayName(p.patient))}</td>
  <td><code>${escapeHtml(p.id)}</code><br>${escapeHtml(p.title)}</td>
  <td>${escapeHtml(p.summary)}</td>
  <td>
    <form method="post" action="/ehr-launch">
      <input type="hidden" name="patient" value="${escapeHtml(p.id)}">
      <button type="submit" data-testid="launch-${escapeHtml(p.id)}"
        aria-label="EHR launch for ${escapeHtml(displayName(p.patient))}">EHR launch</button>
    </form>
  </td>
</tr>`,
    )
    .join('\n');
  const faults = opts.faultPlan.length
    ? `<p>Fault plan in force (${opts.faultPlan.length} rule${opts.faultPlan.length === 1 ? '' : 's'}):</p>
<pre>${escapeHtml(JSON.stringify(opts.faultPlan, null, 2))}</pre>`
    : '<p>No faults injected.</p>';
  return layout(
    'Sandbox EHR — TACE Navigator',
    `<header><h1>Sandbox EHR</h1>
<p>A local stand-in for Epic / Oracle Health with <strong>synthetic patients only</strong>. Development and testing tool.</p></header>
<main>
<section aria-labelledby="patients-heading">
<h2 id="patients-heading">Synthetic patients</h2>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">Scenario</th><th scope="col">Summary</th><th scope="col">Launch</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>
<section aria-labelledby="standalone-heading">
<h2 id="standalone-heading">Standalone launch</h2>
<p>Open the app without EHR context; the sandbox will ask which patient to open.</p>
<p><a class="button" data-testid="standalone-launch" href="${escapeHtml(standaloneUrl)}">Standalone launch</a></p>
</section>
<section aria-labelledby="state-heading">
<h2 id="state-heading">Server state</h2>
<p>FHIR base URL: <code>${escapeHtml(opts.fhirBaseUrl)}</code></p>
<p data-testid="latency">Injected latency per FHIR request: ${opts.latencyMs} ms</p>
<div data-testid="faults">${faults}</div>
</section>
</main>`,
  );
}

export function pickerPage(params: AuthorizeParams, patients: PatientSummary[]): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') query.set(key, value);
  const items = patients
    .map((p) => {
      const q = new URLSearchParams(query);
      q.set('patient', p.id);
      return `<li><a class="button" data-testid="pick-${escapeHtml(p.id)}" href="/authorize/pick?${escapeHtml(q.toString())}">${escapeHtml(displayName(p.patient))}</a>
  — <code>${escapeHtml(p.id)}</code>, ${escapeHtml(p.title)}</li>`;
    })
    .join('\n');
  return layout(
    'Choose a patient — Sandbox EHR',
    `<main><h1>Choose a patient</h1>
<p>The application <code>${escapeHtml(params.client_id ?? '')}</code> asks to open a patient record
(scopes: <code>${escapeHtml(params.scope ?? '')}</code>).</p>
<ul>
${items}
</ul></main>`,
  );
}

export function errorPage(message: string): string {
  return layout(
    'Authorization error — Sandbox EHR',
    `<main><h1>Authorization error</h1><p role="alert" data-testid="auth-error">${escapeHtml(message)}</p></main>`,
  );
}
