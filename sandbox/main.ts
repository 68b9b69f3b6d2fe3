/**
 * The sandbox EHR alone (the app served elsewhere, e.g. `npm run dev`). Development and testing tool.
 *
 *   tsx sandbox/main.ts [--port 4000] [--latency 50] [--faults faults.json] [--app-url http://localhost:5173]
 *                       [--anchor-date 2026-11-01] [--no-admin]
 *
 * Environment: SANDBOX_PORT, SANDBOX_LATENCY_MS (flags win), SANDBOX_ADMIN_TOKEN. The admin API
 * (/__sandbox/faults, /latency, /reset) is on unless --no-admin is given; it binds to localhost only and needs the
 * per-run token printed at start (or SANDBOX_ADMIN_TOKEN) as `Authorization: Bearer <token>`, JSON bodies, and no
 * cross-origin Origin header.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseFaultPlan, type FaultRule } from './faults';
import { buildScenarios } from './scenarios/index';
import { startSandbox } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '4000' },
    latency: { type: 'string', default: process.env.SANDBOX_LATENCY_MS ?? '0' },
    faults: { type: 'string' },
    'app-url': { type: 'string', default: 'http://localhost:5173' },
    'anchor-date': { type: 'string' },
    'no-admin': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be a port number, got "${values.port}"`);
  const latencyMs = Number(values.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0)
    fail(`--latency must be a number of milliseconds, got "${values.latency}"`);
  let appOrigin: string;
  try {
    appOrigin = new URL(values['app-url']).origin;
  } catch {
    fail(`--app-url must be a URL, got "${values['app-url']}"`);
  }
  let faultPlan: FaultRule[] = [];
  if (values.faults) {
    try {
      faultPlan = parseFaultPlan(JSON.parse(await readFile(values.faults, 'utf8')));
    } catch (error) {
      fail(`--faults ${values.faults}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const sandbox = await startSandbox({
    port,
    appLaunchUrl: `${appOrigin}/launch/`,
    allowedRedirectOrigins: [appOrigin],
    latencyMs,
    faultPlan,
    adminApi: !values['no-admin'],
    ...(process.env.SANDBOX_ADMIN_TOKEN ? { adminToken: process.env.SANDBOX_ADMIN_TOKEN } : {}),
    scenarios: buildScenarios(values['anchor-date'] ? { anchorDate: values['anchor-date'] } : {}),
  });
  console.log(`Sandbox EHR (synthetic data) listening on ${sandbox.baseUrl}/`);
  console.log(`  FHIR base URL: ${sandbox.fhirBaseUrl}`);
  console.log(`  App launch:    ${appOrigin}/launch/`);
  console.log(
    `  Latency ${latencyMs} ms; ${faultPlan.length} fault rule(s); admin API ${values['no-admin'] ? 'off' : 'on'}`,
  );
  if (sandbox.adminToken) {
    console.log(`  Admin token:   ${sandbox.adminToken} (send as Authorization: Bearer <token>)`);
  }

  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
