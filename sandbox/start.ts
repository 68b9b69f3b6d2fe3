/**
 * `npm start`: the local sandbox EHR (FHIR + SMART authorization + launcher) and the app, in one process.
 * Development and demonstration only: production builds never include anything under sandbox/.
 *
 *   npm start                        sandbox on :4000, app via the Vite dev server on :5173
 *   npm start -- --app dist          serve the built app (run `npm run build` first) with production headers
 *   npm start -- --port 4100 --app-port 5180 --latency 50 --faults faults.json
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildScenarios } from './scenarios/index';
import { parseFaultPlan } from './faults';
import { startSandbox } from './server';
import { startAppServer } from './app-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '4000' },
    'app-port': { type: 'string', default: process.env.APP_PORT ?? '5173' },
    app: { type: 'string', default: 'dev' },
    latency: { type: 'string', default: process.env.SANDBOX_LATENCY_MS ?? '0' },
    faults: { type: 'string' },
    'anchor-date': { type: 'string' },
  },
});

function toPort(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${name} must be a port number, got "${text}"`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const port = toPort(values.port, 'port');
  const appPort = toPort(values['app-port'], 'app-port');
  const appOrigin = `http://localhost:${appPort}`;
  const faultPlan = values.faults ? parseFaultPlan(JSON.parse(await readFile(values.faults, 'utf8'))) : [];
  const latencyMs = Number(values.latency);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    console.error(`--latency must be a number of milliseconds, got "${values.latency}"`);
    process.exit(2);
  }

  const sandbox = await startSandbox({
    port,
    appLaunchUrl: `${appOrigin}/launch/`,
    allowedRedirectOrigins: [appOrigin],
    latencyMs,
    faultPlan,
    // Development tool: lets tests and benchmarks change faults and latency per run (bound to localhost).
    adminApi: true,
    // Fixed with SANDBOX_ADMIN_TOKEN (scripts); otherwise random per run and printed below.
    ...(process.env.SANDBOX_ADMIN_TOKEN ? { adminToken: process.env.SANDBOX_ADMIN_TOKEN } : {}),
    scenarios: buildScenarios(values['anchor-date'] ? { anchorDate: values['anchor-date'] } : {}),
  });

  let closeApp: () => Promise<void>;
  if (values.app === 'dist') {
    const app = await startAppServer({
      root: 'dist',
      port: appPort,
      fhirOrigins: [sandbox.baseUrl],
      // The built registry trusts no loopback server: the sandbox's exact entry is added when it is served.
      sandboxFhirBaseUrl: () => sandbox.fhirBaseUrl,
    });
    closeApp = app.close;
  } else {
    // Vite is a dev dependency: imported lazily so `--app dist` works from a production-only install too.
    const { createServer } = await import('vite');
    // vite.config.ts answers /config/issuers.json with the shipped registry plus this sandbox's exact entry.
    process.env.TACE_SANDBOX_FHIR_URL = sandbox.fhirBaseUrl;
    const vite = await createServer({ server: { port: appPort, strictPort: true }, clearScreen: false });
    await vite.listen();
    closeApp = () => vite.close();
  }

  console.log('');
  console.log('TACE Navigator sandbox is running.');
  console.log(`  Open the launcher:  ${sandbox.baseUrl}/`);
  console.log(`  FHIR base URL:      ${sandbox.fhirBaseUrl}`);
  console.log(
    `  App:                ${appOrigin}/ (${values.app === 'dist' ? 'built files' : 'Vite dev server'})`,
  );
  console.log(`  Admin API token:    ${sandbox.adminToken ?? '(admin API off)'}`);
  console.log(
    `    e.g. curl -H 'Authorization: Bearer ${sandbox.adminToken ?? ''}' -H 'Content-Type: application/json' ` +
      `-d '{"ms": 50}' ${sandbox.baseUrl}/__sandbox/latency`,
  );
  console.log('Press Ctrl+C to stop.');

  const stop = () => {
    void Promise.allSettled([closeApp(), sandbox.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
