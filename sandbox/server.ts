/**
 * The local sandbox EHR: a FHIR R4 server (Medplum's FhirRouter + an indexed MemoryRepository), a SMART App
 * Launch 2.0 authorization server, a launcher page and fault injection — a stand-in for Epic / Oracle Health on a
 * laptop and in tests. Development and testing only; synthetic data only; state lives in memory.
 *
 *   GET  /                              launcher page (EHR launch per patient, standalone launch)
 *   POST /ehr-launch                    mints a launch id and redirects to the app's launch page
 *   GET  /authorize, /authorize/pick    SMART authorization (patient picker for standalone launch)
 *   POST /token                         authorization_code (PKCE S256) and refresh_token grants
 *   GET  /.well-known/jwks.json         the token-signing public key
 *   GET  /.well-known/smart-configuration and /fhir/.well-known/smart-configuration
 *   /fhir/…                             FHIR REST (bearer token required except metadata and well-known)
 *   /__sandbox/faults|latency|reset     admin API (development tool; only with `adminApi: true`)
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import {
  evalFhirPath,
  getStatus,
  globalSchema,
  isOk,
  normalizeOperationOutcome,
  validateResource,
} from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type {
  Binary,
  Bundle,
  BundleEntry,
  BundleLink,
  CapabilityStatement,
  CapabilityStatementRestResource,
  OperationOutcome,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import {
  AuthError,
  AuthServer,
  DEFAULT_CLIENT_SCOPE,
  TokenError,
  type AccessClaims,
  type AuthorizeParams,
} from './auth';
import { FaultInjector, parseFaultPlan, type FaultRule } from './faults';
import { SUBJECT_IS_PATIENT, SandboxRepository, indexDefinitions, patientOf } from './fhir-store';
import { errorPage, launcherPage, pickerPage, type PatientSummary } from './pages';
import { CONTEXT_SCOPES, accessLevel, grantsOf, type Interaction, type Level } from './scopes';

export type { FaultRule } from './faults';

export interface ScenarioPatient {
  id: string;
  title: string;
  summary: string;
  resources: Resource[];
}

export interface SandboxOptions {
  /** 0 = a free port (tests); the CLI defaults to 4000. */
  port: number;
  /** Interface to bind; default 'localhost' (URLs always say http://localhost:PORT). */
  host?: string;
  /** The app's SMART launch page, e.g. 'http://localhost:5173/launch/'. */
  appLaunchUrl: string;
  /** Origins whose redirect_uri is accepted for the registered clients. */
  allowedRedirectOrigins: string[];
  /** Injected latency per FHIR request (default 0). */
  latencyMs?: number;
  faultPlan?: FaultRule[];
  scenarios: ScenarioPatient[];
  /**
   * Public clients registered besides 'tace-navigator', each with the most it may be granted (default
   * DEFAULT_CLIENT_SCOPE: context scopes and patient-level access). Requested scopes beyond it are dropped.
   */
  clients?: { id: string; scope?: string }[];
  /** Access-token lifetime (default 3600 s). */
  tokenLifetimeSeconds?: number;
  /** Enables /__sandbox/* (fault plan, latency, reset). A development tool; default false. */
  adminApi?: boolean;
  /**
   * The secret every admin request must carry (`Authorization: Bearer <token>` or `X-Sandbox-Admin-Token`);
   * default: a random one per run, readable as `Sandbox.adminToken`.
   */
  adminToken?: string;
  /**
   * Serve HTTPS with HTTP/2 (HTTP/1.1 still accepted), as EHRs do: every FHIR request of a browser then shares one
   * connection instead of at most 6 per host. For `npm run bench:browser -- --http2`; the certificate is the
   * caller's (a throwaway self-signed one: the browser must be told to accept it).
   */
  tls?: { key: string; cert: string };
}

export interface Sandbox {
  baseUrl: string;
  fhirBaseUrl: string;
  close(): Promise<void>;
  setFaultPlan(rules: FaultRule[]): void;
  setLatency(ms: number): void;
  /** The admin API's per-run token (undefined when the admin API is off). */
  adminToken?: string;
}

/** Sent on every response of the sandbox (pages, FHIR, errors, 404s). Framing stays allowed: EHRs frame apps. */
export const SANDBOX_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
};

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const DEFAULT_COUNT = 50;
const MAX_COUNT = 200;
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Resource types the CapabilityStatement advertises (the scenarios' types plus the note write-back). */
const ADVERTISED_TYPES = [
  'Patient',
  'Encounter',
  'Practitioner',
  'Organization',
  'Observation',
  'DiagnosticReport',
  'ImagingStudy',
  'Procedure',
  'Condition',
  'MedicationRequest',
  'Medication',
  'DocumentReference',
  'Binary',
];

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'processing',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function operationOutcome(
  code: string,
  text: string,
  severity: 'error' | 'fatal' = 'error',
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code: code as 'processing', details: { text } }],
  };
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large.', 'too-costly');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON.', 'invalid');
  }
}

function isResourceType(type: string): boolean {
  return /^[A-Z][A-Za-z]+$/.test(type) && globalSchema.types[type]?.searchParams !== undefined;
}

/** Types with a `patient` search parameter: their resources belong to a patient compartment. */
function inPatientCompartment(type: string): boolean {
  return type === 'Patient' || globalSchema.types[type]?.searchParams?.patient !== undefined;
}

function validationError(resource: Resource): OperationOutcome | undefined {
  try {
    const issues = validateResource(resource);
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    return errors.length ? { resourceType: 'OperationOutcome', issue: errors } : undefined;
  } catch (error) {
    return normalizeOperationOutcome(error);
  }
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  indexDefinitions();
  const repo = new SandboxRepository();
  const router = new FhirRouter();
  const faults = new FaultInjector(opts.faultPlan ?? []);
  const adminToken = opts.adminApi ? (opts.adminToken ?? randomBytes(24).toString('base64url')) : undefined;
  let latencyMs = opts.latencyMs ?? 0;

  const summaries: PatientSummary[] = opts.scenarios.map((s) => ({
    id: s.id,
    title: s.title,
    summary: s.summary,
    patient: s.resources.find((r): r is Patient => r.resourceType === 'Patient' && r.id === s.id),
  }));
  const practitioner = opts.scenarios
    .flatMap((s) => s.resources)
    .find((r) => r.resourceType === 'Practitioner')?.id;

  async function loadData(): Promise<void> {
    repo.clear();
    for (const scenario of opts.scenarios) {
      for (const resource of scenario.resources) await repo.createResource(resource);
    }
  }
  await loadData();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SANDBOX_SECURITY_HEADERS)) res.setHeader(name, value);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        const status = error instanceof HttpError ? error.status : 500;
        send(res, {
          status,
          body: operationOutcome('exception', error instanceof Error ? error.message : 'Error'),
        });
      } else res.destroy();
    });
  };
  const sessions = new Set<Http2Session>();
  // Node's HTTP/2 compatibility API gives the handler request and response objects with the same methods it uses
  // (headers, url, method, body stream, setHeader, writeHead, write, end, destroy).
  const server = opts.tls
    ? createSecureServer({ ...opts.tls, allowHTTP1: true }, (req, res) =>
        onRequest(req as unknown as IncomingMessage, res as unknown as ServerResponse),
      ).on('session', (session) => {
        sessions.add(session);
        session.once('close', () => sessions.delete(session));
      })
    : createServer(onRequest);
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host ?? 'localhost', () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `${opts.tls ? 'https' : 'http'}://localhost:${port}`;
  const fhirBaseUrl = `${baseUrl}/fhir`;

  const auth = await AuthServer.create({
    issuer: baseUrl,
    fhirBaseUrl,
    clients: [{ id: 'tace-navigator' }, ...(opts.clients ?? [])].map((c) => ({
      id: c.id,
      scope: c.scope ?? DEFAULT_CLIENT_SCOPE,
    })),
    allowedRedirectOrigins: opts.allowedRedirectOrigins.map((o) => new URL(o).origin),
    tokenLifetimeSeconds: opts.tokenLifetimeSeconds ?? 3600,
    defaultPractitioner: practitioner,
    isPatient: (id) => summaries.some((s) => s.id === id),
  });

  const smartConfiguration = {
    issuer: baseUrl,
    jwks_uri: `${baseUrl}/.well-known/jwks.json`,
    authorization_endpoint: `${baseUrl}/authorize`,
    token_endpoint: `${baseUrl}/token`,
    token_endpoint_auth_methods_supported: ['none'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [
      ...CONTEXT_SCOPES,
      'patient/*.read',
      'patient/*.rs',
      'patient/*.cruds',
      'user/*.read',
      'user/*.rs',
      'user/*.cruds',
    ],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'context-ehr-patient',
      'context-ehr-encounter',
      'context-standalone-patient',
      'context-banner',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
      'permission-offline',
      'permission-online',
      'sso-openid-connect',
    ],
  };
  const capabilityStatement = buildCapabilityStatement(baseUrl);

  // ---------------------------------------------------------------- HTTP

  function send(res: ServerResponse, reply: Reply, truncate = false): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['Content-Type'] ??= FHIR_JSON;
    if (truncate) {
      // Half the JSON, then the end of a chunked response: a "successful" reply the client cannot parse.
      res.writeHead(reply.status, headers);
      res.write(text.slice(0, Math.floor(text.length / 2)));
      res.end();
      return;
    }
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers).end(text);
  }

  const html = (status: number, body: string): Reply => ({
    status,
    body,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
    status,
    body,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });

  function setCors(res: ServerResponse): void {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, Accept, If-None-Exist, If-Match, If-None-Match, Prefer',
    );
    res.setHeader(
      'Access-Control-Expose-Headers',
      'Location, ETag, Content-Location, Last-Modified, Retry-After, WWW-Authenticate',
    );
    res.setHeader('Access-Control-Max-Age', '600');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', baseUrl);
      decodeURIComponent(url.pathname); // malformed percent-encoding (e.g. /%E0%A4%A) is a client error
    } catch {
      send(res, { status: 400, body: operationOutcome('invalid', 'Malformed request URL.') });
      return;
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const cors =
      path === '/fhir' || path.startsWith('/fhir/') || path === '/token' || path.startsWith('/.well-known/');
    if (cors) setCors(res);
    if (method === 'OPTIONS' && cors) {
      res.writeHead(204).end();
      return;
    }
    if (path === '/fhir' || path.startsWith('/fhir/')) {
      await handleFhir(req, res, url);
      return;
    }
    send(res, await handleOther(req, url, method, path));
  }

  async function handleOther(req: IncomingMessage, url: URL, method: string, path: string): Promise<Reply> {
    const query = Object.fromEntries(url.searchParams) as AuthorizeParams & { patient?: string };
    if (method === 'GET' && path === '/') {
      return html(
        200,
        launcherPage({
          patients: summaries,
          fhirBaseUrl,
          appLaunchUrl: opts.appLaunchUrl,
          latencyMs,
          faultPlan: faults.plan,
        }),
      );
    }
    if (method === 'POST' && path === '/ehr-launch') {
      const patient = new URLSearchParams(await readBody(req)).get('patient') ?? '';
      const scenario = opts.scenarios.find((s) => s.id === patient);
      if (!scenario) return html(400, errorPage(`Unknown patient "${patient}".`));
      const encounter = scenario.resources.find(
        (r) => r.resourceType === 'Encounter' && r.subject?.reference === `Patient/${patient}`,
      )?.id;
      const launch = auth.mintLaunch({ patient, encounter, practitioner, needPatientBanner: true });
      const location = `${opts.appLaunchUrl}?iss=${encodeURIComponent(fhirBaseUrl)}&launch=${encodeURIComponent(launch)}`;
      return { status: 303, headers: { Location: location } };
    }
    if (method === 'GET' && (path === '/authorize' || path === '/authorize/pick')) {
      const { patient, ...params } = query;
      const outcome = auth.authorize(params, path === '/authorize/pick' ? (patient ?? '') : undefined);
      if (outcome.kind === 'error-page') return html(outcome.status, errorPage(outcome.message));
      if (outcome.kind === 'pick-patient') return html(200, pickerPage(outcome.params, summaries));
      return { status: 302, headers: { Location: outcome.location, 'Cache-Control': 'no-store' } };
    }
    if (method === 'POST' && path === '/token') {
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/x-www-form-urlencoded')) {
        await readBody(req);
        return json(400, {
          error: 'invalid_request',
          error_description: 'Use application/x-www-form-urlencoded.',
        });
      }
      try {
        const body = await auth.token(new URLSearchParams(await readBody(req)));
        return json(200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      } catch (error) {
        if (error instanceof TokenError) {
          return json(400, {
            error: error.error,
            error_description: error.message,
          });
        }
        throw error;
      }
    }
    if (path === '/favicon.ico') return { status: 204 };
    if (method === 'GET' && path === '/.well-known/smart-configuration') return json(200, smartConfiguration);
    if (method === 'GET' && path === '/.well-known/jwks.json') return json(200, auth.jwks);
    if (adminToken && path.startsWith('/__sandbox/')) return handleAdmin(req, method, path, adminToken);
    return html(404, errorPage(`Not found: ${path}`));
  }

  /** Who may use the admin API: same-origin or non-browser callers that know the run's token (no CSRF). */
  function adminRefusal(req: IncomingMessage, method: string, secret: string): Reply | undefined {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== baseUrl) {
      return json(403, { error: 'Cross-origin requests to the admin API are refused.' });
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return json(403, { error: 'Cross-site requests to the admin API are refused.' });
    }
    if (method === 'POST' && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return json(415, { error: 'The admin API takes Content-Type: application/json.' });
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const header = req.headers['x-sandbox-admin-token'];
    const given = Buffer.from(bearer ?? (typeof header === 'string' ? header : ''));
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return json(
        401,
        { error: 'The admin API needs the token printed at start (Authorization: Bearer <token>).' },
        { 'WWW-Authenticate': 'Bearer realm="sandbox-admin"' },
      );
    }
    return undefined;
  }

  async function handleAdmin(
    req: IncomingMessage,
    method: string,
    path: string,
    secret: string,
  ): Promise<Reply> {
    const refusal = adminRefusal(req, method, secret);
    if (refusal) return refusal;
    try {
      if (path === '/__sandbox/faults' && method === 'GET') return json(200, faults.plan);
      if (path === '/__sandbox/faults' && method === 'POST') {
        faults.setPlan(parseFaultPlan(JSON.parse(await readBody(req))));
        return json(200, faults.plan);
      }
      if (path === '/__sandbox/latency' && method === 'POST') {
        const ms = (JSON.parse(await readBody(req)) as { ms?: unknown }).ms;
        if (typeof ms !== 'number' || ms < 0)
          return json(400, { error: 'Body must be {"ms": <non-negative number>}.' });
        latencyMs = ms;
        return json(200, { ms });
      }
      if (path === '/__sandbox/reset' && method === 'POST') {
        faults.setPlan([]);
        latencyMs = 0;
        await loadData();
        return json(200, { reset: true });
      }
    } catch (error) {
      return json(400, { error: error instanceof Error ? error.message : String(error) });
    }
    return json(404, { error: 'Unknown admin endpoint.' });
  }

  // ---------------------------------------------------------------- FHIR

  async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rel = url.pathname.replace(/^\/fhir\/?/, '');
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults.next({ method, path: rel, url: url.pathname + url.search });
    if (fault?.kind === '500') {
      send(res, {
        status: 500,
        body: operationOutcome('exception', 'Injected fault: internal server error.'),
      });
      return;
    }
    if (fault?.kind === '429') {
      const retryAfter = String(fault.retryAfterSeconds ?? 1);
      send(res, {
        status: 429,
        body: operationOutcome('throttled', 'Injected fault: too many requests.'),
        headers: { 'Retry-After': retryAfter },
      });
      return;
    }
    if (fault?.kind === 'expired-token') {
      send(res, {
        status: 401,
        body: operationOutcome('login', 'token expired'),
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="token expired"' },
      });
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
    const truncate = fault?.kind === 'truncate';
    let reply: Reply;
    try {
      reply = await fhirRequest(req, method, rel, url.searchParams);
    } catch (error) {
      reply = errorReply(error);
    }
    send(res, reply, truncate);
  }

  function errorReply(error: unknown): Reply {
    if (error instanceof HttpError) {
      return {
        status: error.status,
        body: operationOutcome(error.code, error.message),
        headers: error.headers,
      };
    }
    if (error instanceof AuthError) {
      return {
        status: 401,
        body: operationOutcome('login', error.expired ? 'token expired' : error.message),
        headers: {
          'WWW-Authenticate': `Bearer realm="${fhirBaseUrl}", error="invalid_token", error_description="${error.message}"`,
        },
      };
    }
    const outcome = normalizeOperationOutcome(error);
    return { status: getStatus(outcome), body: outcome };
  }

  async function fhirRequest(
    req: IncomingMessage,
    method: string,
    rel: string,
    params: URLSearchParams,
  ): Promise<Reply> {
    if (method === 'GET' && rel === 'metadata') return { status: 200, body: capabilityStatement };
    if (method === 'GET' && rel === '.well-known/smart-configuration') {
      return {
        status: 200,
        body: smartConfiguration,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      };
    }
    const claims = await auth.verify(req.headers.authorization);
    const grants = grantsOf(claims.scope);
    const segments = rel.split('/').filter(Boolean);
    const [type, id, ...rest] = segments;

    /** The level at which the token may do this, or a 403. */
    const permit = (resourceType: string, interaction: Interaction): Level => {
      const level = accessLevel(grants, resourceType, interaction);
      const verb = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' }[interaction];
      if (!level)
        throw new HttpError(403, `The token's scopes do not allow ${verb} on ${resourceType}.`, 'forbidden');
      if (level === 'patient' && !claims.patient) {
        throw new HttpError(403, 'Patient-level scopes without a patient in context.', 'forbidden');
      }
      return level;
    };
    /** 403 unless the resource is outside any patient compartment or in the token's patient's. */
    const checkCompartment = (resource: Resource, level: Level) => {
      if (level !== 'patient') return;
      const owner = patientOf(resource);
      if (owner !== claims.patient && (owner !== undefined || inPatientCompartment(resource.resourceType))) {
        throw new HttpError(
          403,
          `${resource.resourceType}/${resource.id ?? ''} belongs to another patient.`,
          'forbidden',
        );
      }
    };

    if (segments.length === 0) {
      if (method !== 'POST')
        throw new HttpError(405, 'Only POST of a batch or transaction Bundle is supported here.');
      const bundle = parseJson(await readBody(req)) as Bundle;
      return batch(bundle, claims, permit, checkCompartment);
    }
    if (!type || !isResourceType(type))
      throw new HttpError(404, `Unknown resource type "${type ?? ''}".`, 'not-supported');

    // Search: GET [type] or POST [type]/_search (form body).
    if (
      (method === 'GET' && segments.length === 1) ||
      (method === 'POST' && id === '_search' && rest.length === 0)
    ) {
      const all = new URLSearchParams(params);
      if (method === 'POST') for (const [k, v] of new URLSearchParams(await readBody(req))) all.append(k, v);
      const level = permit(type, 's');
      return search(type, all, level, claims, permit, checkCompartment);
    }
    if (method === 'POST' && segments.length === 1) {
      permit(type, 'c');
      const resource = parseJson(await readBody(req)) as Resource;
      if (resource?.resourceType !== type) {
        throw new HttpError(
          400,
          `Expected a ${type} resource, got ${String(resource?.resourceType)}.`,
          'invalid',
        );
      }
      checkCompartment(resource, accessLevel(grants, type, 'c') ?? 'patient');
      const { id: _ignored, ...body } = resource; // the server assigns ids on create
      const invalid = validationError(body as Resource);
      if (invalid) return { status: 400, body: invalid };
      const headers: Record<string, string> = {};
      const ifNoneExist = req.headers['if-none-exist'];
      if (typeof ifNoneExist === 'string' && ifNoneExist) {
        headers['if-none-exist'] = rewriteQueryString(type, ifNoneExist);
      }
      return writeReply(await route({ method: 'POST', url: type, body, headers }));
    }
    if (!id) throw new HttpError(405, `${method} ${type} is not supported.`, 'not-supported');
    if (method === 'GET' && (rest.length === 0 || rest[0] === '_history')) {
      const level = permit(type, 'r');
      const current = await repo.readResource(type, id);
      checkCompartment(current, level);
      if (rest.length === 0) return readReply(current, req.headers.accept);
      const [outcome, result] = await route({ method: 'GET', url: rel });
      return { status: getStatus(outcome), body: result ?? outcome };
    }
    if (method === 'PUT' && rest.length === 0) {
      const level = permit(type, 'u');
      const resource = parseJson(await readBody(req)) as Resource;
      if (resource?.resourceType !== type)
        throw new HttpError(400, `Expected a ${type} resource.`, 'invalid');
      if (resource.id !== id) throw new HttpError(400, 'The resource id must match the URL.', 'invalid');
      checkCompartment(resource, level);
      const existing = await repo.readResource(type, id).catch(() => undefined);
      if (existing) checkCompartment(existing, level);
      const invalid = validationError(resource);
      if (invalid) return { status: 400, body: invalid };
      const ifMatch = req.headers['if-match'];
      return writeReply(
        await route({
          method: 'PUT',
          url: rel,
          body: resource,
          headers: typeof ifMatch === 'string' ? { 'if-match': ifMatch } : {},
        }),
      );
    }
    if (method === 'DELETE' && rest.length === 0) {
      const level = permit(type, 'd');
      checkCompartment(await repo.readResource(type, id), level);
      const [outcome] = await route({ method: 'DELETE', url: rel });
      return isOk(outcome) ? { status: 204 } : { status: getStatus(outcome), body: outcome };
    }
    throw new HttpError(405, `${method} ${rel} is not supported by the sandbox.`, 'not-supported');
  }

  async function route(r: {
    method: HttpMethod;
    url: string;
    body?: unknown;
    headers?: Record<string, string>;
    query?: Record<string, string[]>;
  }) {
    const request: FhirRequest = {
      method: r.method,
      url: r.url,
      pathname: '',
      params: {},
      query: r.query ?? {},
      body: r.body,
      headers: r.headers ?? {},
      config: { transactions: true },
    };
    return router.handleRequest(request, repo);
  }

  function versionHeaders(resource: Resource): Record<string, string> {
    const headers: Record<string, string> = {};
    if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
    if (resource.meta?.lastUpdated)
      headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    return headers;
  }

  function writeReply([outcome, resource]: Awaited<ReturnType<typeof route>>): Reply {
    const status = getStatus(outcome);
    if (!resource || !isOk(outcome)) return { status, body: resource ?? outcome };
    const headers = versionHeaders(resource);
    if (status === 201) {
      headers.Location = `${fhirBaseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? '1'}`;
    }
    return { status, body: resource, headers };
  }

  function readReply(resource: Resource, accept: string | undefined): Reply {
    // Binary: raw content unless the client asks for FHIR JSON (how EHRs serve presentedForm URLs).
    if (resource.resourceType === 'Binary' && accept && !/json/.test(accept)) {
      const binary = resource as Binary;
      return {
        status: 200,
        body: Buffer.from(binary.data ?? '', 'base64').toString('utf8'),
        headers: { 'Content-Type': binary.contentType ?? 'application/octet-stream' },
      };
    }
    return { status: 200, body: resource, headers: versionHeaders(resource) };
  }

  /** `patient=123` → `subject=Patient/123` (or `patient=Patient/123`); bare `subject=123` → `subject=Patient/123`. */
  function rewritePatientParams(type: string, query: Record<string, string[]>): void {
    const toRef = (value: string) =>
      value
        .split(',')
        .map((v) => v.replace(`${fhirBaseUrl}/`, ''))
        .map((v) => (v.includes('/') ? v : `Patient/${v}`))
        .join(',');
    const patients = query.patient;
    if (patients) {
      delete query.patient;
      const target = SUBJECT_IS_PATIENT.has(type) ? 'subject' : 'patient';
      (query[target] ??= []).push(...patients.map(toRef));
    }
    if (query.subject) query.subject = query.subject.map(toRef);
  }

  function rewriteQueryString(type: string, text: string): string {
    const query: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) (query[k] ??= []).push(v);
    rewritePatientParams(type, query);
    const out = new URLSearchParams();
    for (const [k, vs] of Object.entries(query)) for (const v of vs) out.append(k, v);
    return out.toString();
  }

  /** Restricts a patient-level search to the token's patient: 403 for another patient, else adds the filter. */
  function restrictToPatient(type: string, query: Record<string, string[]>, patient: string): void {
    if (type === 'Patient') {
      const ids = (query._id ?? []).flatMap((v) => v.split(','));
      if (ids.some((v) => v !== patient)) throw new HttpError(403, 'Search of another patient.', 'forbidden');
      query._id = [patient];
      return;
    }
    if (!inPatientCompartment(type)) return;
    const refs = [...(query.patient ?? []), ...(query.subject ?? [])].flatMap((v) => v.split(','));
    const own = (v: string) => v.replace(`${fhirBaseUrl}/`, '').replace(/^Patient\//, '') === patient;
    if (refs.some((v) => !own(v))) throw new HttpError(403, 'Search of another patient’s data.', 'forbidden');
    if (refs.length === 0) query.patient = [patient];
  }

  async function search(
    type: string,
    params: URLSearchParams,
    level: Level,
    claims: AccessClaims,
    permit: (t: string, i: Interaction) => Level,
    checkCompartment: (r: Resource, l: Level) => void,
  ): Promise<Reply> {
    const query: Record<string, string[]> = {};
    for (const [k, v] of params) (query[k] ??= []).push(v);
    const count = Math.min(
      MAX_COUNT,
      Math.max(0, Number.parseInt(query._count?.at(-1) ?? '', 10) || DEFAULT_COUNT),
    );
    const offset = Math.max(0, Number.parseInt(query._offset?.at(-1) ?? '', 10) || 0);
    const includes = query._include ?? [];
    for (const key of ['_count', '_offset', '_include', '_revinclude', '_format']) delete query[key];
    if (level === 'patient' && claims.patient) restrictToPatient(type, query, claims.patient);
    rewritePatientParams(type, query);

    const [outcome, result] = await route({
      method: 'GET',
      url: type,
      query: { ...query, _count: [String(count)], _offset: [String(offset)] },
    });
    if (!isOk(outcome) || result?.resourceType !== 'Bundle')
      return { status: getStatus(outcome), body: outcome };
    const bundle = result as Bundle;
    const matches = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r);
    const total = bundle.total ?? matches.length;

    const included: Resource[] = [];
    const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id}`));
    for (const include of includes) {
      const [sourceType, param, targetType] = include.split(':');
      const expression = globalSchema.types[sourceType ?? '']?.searchParams?.[param ?? '']?.expression;
      if (!expression) throw new HttpError(400, `Unsupported _include "${include}".`, 'not-supported');
      for (const resource of matches) {
        if (resource.resourceType !== sourceType) continue;
        for (const value of evalFhirPath(expression, resource)) {
          const ref = (value as { reference?: unknown } | undefined)?.reference;
          if (typeof ref !== 'string') continue;
          const key = ref.replace(`${fhirBaseUrl}/`, '');
          const [refType, refId] = key.split('/');
          if (!refType || !refId || (targetType && refType !== targetType) || seen.has(key)) continue;
          seen.add(key);
          try {
            const target = await repo.readResource(refType, refId);
            const targetLevel = permit(refType, 'r');
            checkCompartment(target, targetLevel);
            included.push(target);
          } catch {
            // Missing or not allowed for this token: left out, as servers do.
          }
        }
      }
    }

    const linkFor = (at: number) => {
      const q = new URLSearchParams(params);
      q.delete('_count');
      q.delete('_offset');
      q.set('_count', String(count));
      q.set('_offset', String(at));
      return `${fhirBaseUrl}/${type}?${q.toString()}`;
    };
    const link: BundleLink[] = [{ relation: 'self', url: linkFor(offset) }];
    if (count > 0 && offset + count < total) link.push({ relation: 'next', url: linkFor(offset + count) });
    if (offset > 0) link.push({ relation: 'previous', url: linkFor(Math.max(0, offset - count)) });
    const entry: BundleEntry[] = [
      ...matches.map((resource) => ({
        fullUrl: `${fhirBaseUrl}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' as const },
      })),
      ...included.map((resource) => ({
        fullUrl: `${fhirBaseUrl}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'include' as const },
      })),
    ];
    return {
      status: 200,
      body: {
        resourceType: 'Bundle',
        type: 'searchset',
        total,
        link,
        ...(entry.length ? { entry } : {}),
      } satisfies Bundle,
    };
  }

  async function batch(
    bundle: Bundle,
    claims: AccessClaims,
    permit: (t: string, i: Interaction) => Level,
    checkCompartment: (r: Resource, l: Level) => void,
  ): Promise<Reply> {
    if (bundle?.resourceType !== 'Bundle' || (bundle.type !== 'batch' && bundle.type !== 'transaction')) {
      throw new HttpError(400, 'POST to the base URL takes a batch or transaction Bundle.', 'invalid');
    }
    const readLevels: (Level | undefined)[] = [];
    for (const [i, entry] of (bundle.entry ?? []).entries()) {
      const method = entry.request?.method;
      const [path = '', search = ''] = (entry.request?.url ?? '').replace(`${fhirBaseUrl}/`, '').split('?');
      const [type = '', id, ...rest] = path.split('/');
      if (!method || !isResourceType(type))
        throw new HttpError(400, `Bundle.entry[${i}]: missing method or unknown type.`, 'invalid');
      // The same interactions as at the top level, no more: read, vread/history of one resource, search,
      // create, update and delete by id. Conditional update/delete, PATCH, type/system history, compartment
      // searches and operations could reach other patients' data without a compartment check.
      const unsupported = () =>
        new HttpError(
          400,
          `Bundle.entry[${i}]: ${method} ${entry.request?.url ?? ''} is not supported by the sandbox.`,
          'not-supported',
        );
      if (id !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw unsupported();
      if (method === 'GET') {
        const history = rest[0] === '_history' && rest.length <= 2 && search === '';
        if (rest.length > 0 && !history) throw unsupported();
      } else if (method === 'POST') {
        if (id !== undefined || search) throw unsupported();
      } else if (method === 'PUT' || method === 'DELETE') {
        if (id === undefined || rest.length > 0 || search) throw unsupported();
      } else throw unsupported();
      const interaction: Interaction =
        method === 'GET' ? (id ? 'r' : 's') : method === 'POST' ? 'c' : method === 'DELETE' ? 'd' : 'u';
      const level = permit(type, interaction);
      readLevels[i] = level;
      if (id !== undefined) {
        // The target as stored now must be the token's patient's too (a PUT cannot take over, nor a DELETE
        // remove, nor a history read show, another patient's resource).
        const existing = await repo.readResource(type, id).catch(() => undefined);
        if (existing) checkCompartment(existing, level);
      }
      if (method === 'PUT' && (entry.resource?.resourceType !== type || entry.resource.id !== id)) {
        throw new HttpError(400, `Bundle.entry[${i}]: the resource must be ${type}/${id ?? ''}.`, 'invalid');
      }
      if (entry.resource) {
        checkCompartment(entry.resource, level);
        const invalid = validationError(entry.resource);
        if (invalid) return { status: 400, body: invalid };
      }
      if (method === 'GET' && !id) {
        const query: Record<string, string[]> = {};
        for (const [k, v] of new URLSearchParams(search)) (query[k] ??= []).push(v);
        if (level === 'patient' && claims.patient) restrictToPatient(type, query, claims.patient);
        rewritePatientParams(type, query);
        const q = new URLSearchParams();
        for (const [k, vs] of Object.entries(query)) for (const v of vs) q.append(k, v);
        entry.request = { ...entry.request!, url: `${type}?${q.toString()}` };
      }
      if (entry.request?.ifNoneExist)
        entry.request.ifNoneExist = rewriteQueryString(type, entry.request.ifNoneExist);
    }
    const [outcome, result] = await route({ method: 'POST', url: '', body: bundle });
    if (!isOk(outcome) || !result) return { status: getStatus(outcome), body: result ?? outcome };
    const response = result as Bundle;
    const allowed = (resource: Resource, level: Level) => {
      try {
        checkCompartment(resource, level);
        return true;
      } catch {
        return false;
      }
    };
    response.entry = (response.entry ?? []).map((entry, i) => {
      const resource = entry.resource;
      if (resource?.resourceType === 'Bundle') {
        // A history: only versions in the token's compartment (a resource may have moved between patients).
        const inner = resource as Bundle;
        inner.entry = inner.entry?.filter(
          (e) => !e.resource || allowed(e.resource, readLevels[i] ?? 'patient'),
        );
        return entry;
      }
      if (resource && resource.resourceType !== 'OperationOutcome') {
        try {
          checkCompartment(resource, readLevels[i] ?? 'patient');
        } catch {
          return {
            response: {
              status: '403',
              outcome: operationOutcome('forbidden', 'Belongs to another patient.'),
            },
          };
        }
        return { fullUrl: `${fhirBaseUrl}/${resource.resourceType}/${resource.id}`, ...entry };
      }
      return entry;
    });
    return { status: 200, body: response };
  }

  return {
    baseUrl,
    fhirBaseUrl,
    ...(adminToken ? { adminToken } : {}),
    setFaultPlan: (rules) => faults.setPlan(rules),
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const session of sessions) session.destroy();
      }),
  };
}

function buildCapabilityStatement(baseUrl: string): CapabilityStatement {
  const usable = new Set(['token', 'reference', 'date', 'string', 'uri']);
  const resource: CapabilityStatementRestResource[] = ADVERTISED_TYPES.map((type) => {
    const params = Object.entries(globalSchema.types[type]?.searchParams ?? {})
      .filter(([code, p]) => usable.has(p.type ?? '') && !code.startsWith('_'))
      .map(([code, p]) => ({ name: code, type: p.type as 'token', definition: p.url }));
    return {
      type: type as CapabilityStatementRestResource['type'],
      interaction: [
        { code: 'read' },
        { code: 'search-type' },
        { code: 'create' },
        { code: 'update' },
        { code: 'delete' },
      ],
      versioning: 'versioned',
      conditionalCreate: true,
      searchInclude: Object.entries(globalSchema.types[type]?.searchParams ?? {})
        .filter(([, p]) => p.type === 'reference')
        .map(([code]) => `${type}:${code}`),
      searchParam: [{ name: '_id', type: 'token' }, { name: '_lastUpdated', type: 'date' }, ...params],
    };
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    publisher: 'TACE Navigator sandbox (synthetic data)',
    software: { name: 'TACE Navigator sandbox EHR' },
    implementation: { description: 'Local SMART on FHIR sandbox', url: `${baseUrl}/fhir` },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: `${baseUrl}/authorize` },
                { url: 'token', valueUri: `${baseUrl}/token` },
              ],
            },
          ],
        },
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
