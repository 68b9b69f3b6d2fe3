import { existsSync } from 'node:fs';
import { buildScenarios } from '../../../sandbox/scenarios/index';
import { startSandbox, type FaultRule } from '../../../sandbox/server';
import { startAppServer } from '../../../sandbox/app-server';

/** The sandbox EHR plus the built app, on free ports, as `npm start -- --app dist` runs them. */
export async function startStack(options: { latencyMs?: number; faultPlan?: FaultRule[] } = {}) {
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
    fhirOrigins: ['http://localhost:*'],
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
