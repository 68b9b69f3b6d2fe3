import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenarios } from '../../../sandbox/scenarios/index';
import { startSandbox, type FaultRule } from '../../../sandbox/server';
import { startAppServer } from '../../../sandbox/app-server';

/**
 * A throwaway self-signed certificate for https://localhost (Debian's openssl), for the HTTP/2 sandbox of the
 * browser benchmark; the browser context must be told to accept it (`ignoreHTTPSErrors`).
 */
export function localhostCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tace-sandbox-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2']
        .concat(['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'])
        .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The sandbox EHR plus the built app, on free ports, as `npm start -- --app dist` runs them. `http2`: the sandbox
 * over HTTPS with HTTP/2 (bench only; the context needs `ignoreHTTPSErrors`).
 */
export async function startStack(
  options: { latencyMs?: number; faultPlan?: FaultRule[]; http2?: boolean } = {},
) {
  if (!existsSync('dist/index.html') || !existsSync('dist/launch/index.html')) {
    throw new Error('dist/ is missing: `npm run test:e2e` builds it first (vite build).');
  }
  // The app evaluates as of the browser's today, so the synthetic world is anchored there too: windows such as
  // "markers normal for the last 6 weeks" then mean the same in the browser as in the scenario's story.
  const scenarios = buildScenarios({ anchorDate: new Date().toISOString().slice(0, 10) });
  // The app server must know its port before the sandbox registers its redirect origin: start it first.
  // The shipped registry trusts no loopback issuer: the app server adds the sandbox's exact entry once it is up.
  const registryFor: { sandboxFhirBaseUrl?: string } = {};
  const app = await startAppServer({
    root: 'dist',
    port: 0,
    fhirOrigins: options.http2 ? ['https://localhost:*'] : ['http://localhost:*'],
    sandboxFhirBaseUrl: () => registryFor.sandboxFhirBaseUrl,
  });
  const appOrigin = app.url.replace(/\/$/, '');
  const sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${appOrigin}/launch/`,
    allowedRedirectOrigins: [appOrigin],
    latencyMs: options.latencyMs ?? 0,
    faultPlan: options.faultPlan ?? [],
    scenarios,
    ...(options.http2 ? { tls: localhostCertificate() } : {}),
  });
  registryFor.sandboxFhirBaseUrl = sandbox.fhirBaseUrl;
  return {
    app,
    appOrigin,
    sandbox,
    scenarios,
    async close() {
      await Promise.allSettled([app.close(), sandbox.close()]);
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** "Family, Given" as the app's banner shows it, read from the scenario's Patient resource. */
export function displayNameOf(stack: Stack, patientId: string): string {
  const scenario = stack.scenarios.find((s) => s.id === patientId);
  const patient = scenario?.resources.find((r) => r.resourceType === 'Patient' && r.id === patientId);
  if (!patient || patient.resourceType !== 'Patient') throw new Error(`No Patient ${patientId} in scenarios`);
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  return `${name?.family ?? ''}, ${(name?.given ?? []).join(' ')}`;
}
