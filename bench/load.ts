/**
 * Load benchmark: our request plan vs a naive loader, against the in-process sandbox EHR (long-history patient,
 * ~6,000 Observations) with injected latency per request. Prints figures; never asserts on time.
 *
 *   npm run bench:load [-- --latency 50] [--runs 3]
 */
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseIssuerRegistry, findIssuer, type IssuerConfig } from '../src/config/issuers';
import { createSession, type ExchangeInfo, type FetchLike, type FhirSession } from '../src/fhir/client';
import { loadTimeline } from '../src/fhir/load-timeline';
import { buildTimeline } from '../src/fhir/map/timeline';
import { labCodesFor } from '../src/fhir/queries';
import { bundleSchema, nextLink } from '../src/fhir/schemas/bundle';
import { startSandbox } from '../sandbox/server';
import { buildScenarios } from '../sandbox/scenarios';
import { withSandboxIssuer } from '../sandbox/issuer';
import registryJson from '../public/config/issuers.json' with { type: 'json' };

const PATIENT = 'long-history';
const CLIENT_ID = 'tace-navigator';
const APP_ORIGIN = 'http://localhost:5999';
const REDIRECT_URI = `${APP_ORIGIN}/`;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
  return value;
}

/** EHR launch → /authorize (PKCE S256, redirect followed by hand) → /token. */
async function launchToken(baseUrl: string, fhirBaseUrl: string): Promise<string> {
  const launchRes = await fetch(`${baseUrl}/ehr-launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ patient: PATIENT }),
    redirect: 'manual',
  });
  const launch = new URL(launchRes.headers.get('location') ?? '').searchParams.get('launch') ?? '';
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'launch openid fhirUser patient/*.rs',
    state: randomBytes(16).toString('hex'),
    aud: fhirBaseUrl,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    launch,
  });
  const auth = await fetch(`${baseUrl}/authorize?${q.toString()}`, { redirect: 'manual' });
  const code = new URL(auth.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${auth.status}`);
  const tokenRes = await fetch(`${baseUrl}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: verifier,
    }),
  });
  if (tokenRes.status !== 200) throw new Error(`token answered ${tokenRes.status}`);
  const token = (await tokenRes.json()) as { access_token: string; patient?: string };
  if (token.patient !== PATIENT) throw new Error('token has no patient context');
  return token.access_token;
}

/** Longest chain of requests where each starts after the previous one ended: the sequential round trips. */
function sequentialWaves(exchanges: readonly ExchangeInfo[]): number {
  const sorted = [...exchanges].sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  sorted.forEach((x, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) {
      const prior = sorted[j];
      if (prior && prior.endedAt <= x.startedAt) best = Math.max(best, depth[j] ?? 0);
    }
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}

interface Figures {
  ms: number;
  waves: number;
  requests: number;
  bytes: number;
  observations: number;
  labValues: number;
  issues: number;
}

interface Recorded {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Two transports: `live` (the sandbox: Medplum's in-memory search is single-threaded and scans, so parallel requests
 * queue on its CPU — shared/stack.md) and `replay` (the same recorded responses served after the same latency, with
 * no server CPU: what an EHR that serves requests in parallel looks like — it measures the request plan).
 */
const recordings = new Map<string, Recorded>();
let transport: 'live' | 'replay' = 'live';
let replayLatencyMs = 50;

const recordingFetch: FetchLike = async (url, init) => {
  if (transport === 'replay') {
    const hit = recordings.get(url);
    await new Promise((done) => setTimeout(done, replayLatencyMs));
    if (!hit) return new Response('{}', { status: 404 });
    return new Response(hit.body, { status: hit.status, headers: { 'Content-Type': hit.contentType } });
  }
  const res = await fetch(url, init);
  const body = await res.text();
  const contentType = res.headers.get('content-type') ?? 'application/fhir+json';
  recordings.set(url, { status: res.status, contentType, body });
  return new Response(body, { status: res.status, headers: { 'Content-Type': contentType } });
};

function measuredSession(
  fhirBaseUrl: string,
  token: string,
  issuer: IssuerConfig,
): { session: FhirSession; log: ExchangeInfo[] } {
  const log: ExchangeInfo[] = [];
  const session = createSession({
    fetch: recordingFetch,
    context: {
      serverUrl: fhirBaseUrl,
      patientId: PATIENT,
      encounterId: undefined,
      fhirUser: undefined,
      needPatientBanner: true,
    },
    issuer,
    authorization: () => `Bearer ${token}`,
    now: () => performance.now(),
    onExchange: (x) => log.push(x),
  });
  return { session, log };
}

function labCount(labs: object): number {
  return Object.values(labs).reduce<number>((n, s) => n + (Array.isArray(s) ? s.length : 0), 0);
}

async function ours(
  fhirBaseUrl: string,
  token: string,
  issuer: IssuerConfig,
  asOf: string,
): Promise<Figures> {
  const { session, log } = measuredSession(fhirBaseUrl, token, issuer);
  const t0 = performance.now();
  const { timeline, queries } = await loadTimeline(session, { asOf });
  const ms = performance.now() - t0;
  const observations = queries
    .filter((q) => q.key.startsWith('labs:'))
    .reduce((n, q) => n + q.resourceCount, 0);
  return {
    ms,
    waves: sequentialWaves(log),
    requests: log.length,
    bytes: log.reduce((n, x) => n + x.bytes, 0),
    observations,
    labValues: labCount(timeline.labs),
    issues: timeline.dataIssues.length,
  };
}

/** One query per type, one after another; Observation?patient= paged sequentially. */
async function naive(
  fhirBaseUrl: string,
  token: string,
  issuer: IssuerConfig,
  asOf: string,
): Promise<Figures> {
  const { session, log } = measuredSession(fhirBaseUrl, token, issuer);
  const t0 = performance.now();
  const all = async (url: string): Promise<unknown[]> => {
    const out: unknown[] = [];
    let next: string | undefined = url;
    while (next) {
      const bundle = bundleSchema.parse(await session.getPage(next));
      for (const e of bundle.entry ?? []) if (e.resource) out.push(e.resource);
      next = nextLink(bundle);
    }
    return out;
  };
  const p = `patient=${PATIENT}&_count=200`;
  const patient = await session.get(`Patient/${PATIENT}`);
  const observations = await all(`Observation?${p}`);
  const reports = await all(`DiagnosticReport?${p}`);
  const imagingStudies = await all(`ImagingStudy?${p}`);
  const procedures = await all(`Procedure?${p}`);
  const conditions = await all(`Condition?${p}`);
  const medicationRequests = await all(`MedicationRequest?${p}&_include=MedicationRequest:medication`);
  const diseaseStatus = observations.filter((o) => JSON.stringify(o).includes('"97509-4"'));
  const timeline = buildTimeline(
    {
      patient,
      observations: observations.filter((o) => !diseaseStatus.includes(o)),
      reports,
      imagingStudies,
      procedures,
      conditions,
      medicationRequests,
      diseaseStatus,
    },
    { asOf, labCodes: labCodesFor(issuer) },
  );
  const ms = performance.now() - t0;
  return {
    ms,
    waves: sequentialWaves(log),
    requests: log.length,
    bytes: log.reduce((n, x) => n + x.bytes, 0),
    observations: observations.length,
    labValues: labCount(timeline.labs),
    issues: timeline.dataIssues.length,
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const latencyMs = flag('latency', 50);
  const runs = Math.max(1, Math.floor(flag('runs', 3)));
  const sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    latencyMs,
    scenarios: buildScenarios(),
  });
  try {
    // The shipped registry plus the sandbox's exact entry, as `npm start` serves it.
    const registry = parseIssuerRegistry(withSandboxIssuer(registryJson, sandbox.fhirBaseUrl));
    if (!registry.ok) throw new Error(registry.reason);
    const found = findIssuer(registry.registry, sandbox.fhirBaseUrl);
    if (!found) throw new Error('the sandbox entry does not match the sandbox');
    // The sandbox serves up to 200 per page (its documented maximum), as its registry entry declares.
    const maxCount = { Observation: 200, DiagnosticReport: 200, Procedure: 200 };
    const issuer: IssuerConfig = { ...found, options: { maxCount, ...found.options } };
    const token = await launchToken(sandbox.baseUrl, sandbox.fhirBaseUrl);
    const asOf = '2026-11-01';
    replayLatencyMs = latencyMs;
    const tables: { title: string; a: Figures[]; b: Figures[] }[] = [];
    for (const mode of ['live', 'replay'] as const) {
      transport = mode;
      if (mode === 'live') {
        // Warm-up (JIT, sandbox caches); also records every response for the replay pass.
        await ours(sandbox.fhirBaseUrl, token, issuer, asOf);
        await naive(sandbox.fhirBaseUrl, token, issuer, asOf);
      }
      const a: Figures[] = [];
      const b: Figures[] = [];
      for (let i = 0; i < runs; i++) {
        a.push(await ours(sandbox.fhirBaseUrl, token, issuer, asOf));
        b.push(await naive(sandbox.fhirBaseUrl, token, issuer, asOf));
      }
      tables.push({
        title:
          mode === 'live'
            ? 'live sandbox (single-threaded in-memory search: parallel requests queue on its CPU)'
            : 'recorded sandbox responses replayed with the same latency (an EHR serving requests in parallel)',
        a,
        b,
      });
    }
    const row = (name: string, f: Figures[]) => {
      const last = f[f.length - 1] as Figures;
      return {
        loader: name,
        'median ms': Math.round(median(f.map((x) => x.ms))),
        'sequential waves': last.waves,
        requests: last.requests,
        'KiB read': Math.round(last.bytes / 1024),
        'lab Observations': last.observations,
        'lab values mapped': last.labValues,
        'data issues': last.issues,
      };
    };
    console.log(
      `\nload benchmark — patient ${PATIENT}, latency ${latencyMs} ms/request, ${runs} runs (median)`,
    );
    for (const { title, a, b } of tables) {
      console.log(`\n${title}`);
      console.table([row('request plan (loadTimeline)', a), row('naive sequential', b)]);
      const speedUp = median(b.map((x) => x.ms)) / Math.max(1, median(a.map((x) => x.ms)));
      console.log(
        `speed-up: ${speedUp.toFixed(1)}× (target ≥ 3×); plan waves: ${a[0]?.waves ?? 0} (target ≤ 3)`,
      );
    }
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
