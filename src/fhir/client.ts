import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { findIssuer, parseIssuerRegistry, type IssuerConfig } from '../config/issuers';
import { FhirError, kindForStatus } from './errors';

/** What the launch gave us, in plain terms: the rest of the app never sees the fhirclient object. */
export interface LaunchContext {
  serverUrl: string;
  patientId: string;
  encounterId: string | undefined;
  /** e.g. `Practitioner/123`, from the id_token's fhirUser claim. */
  fhirUser: string | undefined;
  /** SMART `need_patient_banner`: false when the EHR already shows whose chart this is. */
  needPatientBanner: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface TextResponse {
  text: string;
  contentType: string | undefined;
}

export interface FhirSession {
  context: LaunchContext;
  /** The registry entry of the server we are connected to: request plan and write-back options. */
  issuer: IssuerConfig;
  /** GET a FHIR URL (relative to the server base, or absolute on the same server); returns parsed JSON. */
  get(url: string, options?: RequestOptions): Promise<unknown>;
  /** GET one search page (same rules as `get`); a name of its own so paging code reads clearly. */
  getPage(url: string, options?: RequestOptions): Promise<unknown>;
  /** GET a non-JSON document (a Binary's narrative) with the given `Accept`. */
  getText(url: string, options?: RequestOptions & { accept?: string }): Promise<TextResponse>;
  /** The absolute URL for `url`, or undefined when it points outside this server's origin. */
  resolve(url: string): string | undefined;
  /**
   * POST a new resource (one attempt; a 401 is retried once after a token refresh). With `ifNoneExist` the create
   * is conditional, so the caller may retry a 5xx or a dropped connection without creating a duplicate.
   * Non-2xx answers throw FhirError (with the OperationOutcome text when the server sent one).
   */
  create(resourceType: string, body: unknown, options?: CreateOptions): Promise<CreateResponse>;
}

export interface CreateOptions extends RequestOptions {
  /** The `If-None-Exist` search (e.g. `identifier=urn:x|123`), without the leading `?`. */
  ifNoneExist?: string;
}

export interface CreateResponse {
  /** 201 created; 200 when a conditional create matched an existing resource. */
  status: number;
  /** The parsed response body (the resource, an OperationOutcome, or undefined when empty). */
  body: unknown;
  /** The `Location` header (`…/Type/id/_history/v`), when sent. */
  location: string | undefined;
}

/** The part of `fetch` the session uses: tests pass msw-intercepted `fetch` or any stand-in. */
export type FetchLike = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<Response>;

/** One HTTP exchange, for measurements (bench) — never carries bodies or URLs' query values to logs by itself. */
export interface ExchangeInfo {
  url: string;
  status: number;
  bytes: number;
  startedAt: number;
  endedAt: number;
}

export interface RetryPolicy {
  /** Total attempts for 429/503 (default 3). */
  maxAttempts: number;
  /** Longest wait honoured from `Retry-After` (default 10 000 ms). */
  maxDelayMs: number;
  /** Wait when 429/503 carries no usable `Retry-After` (default 1 000 ms, doubled per attempt). */
  defaultDelayMs: number;
}

export interface CreateSessionOptions {
  context: LaunchContext;
  issuer: IssuerConfig;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** The `Authorization` header value (e.g. `Bearer …`), read before every request (it changes on refresh). */
  authorization?: () => string | null | undefined;
  /** Obtains a new access token; resolves true when one was obtained. Absent: a 401 ends the session. */
  refresh?: () => Promise<boolean>;
  /**
   * Called before every write (fhirclient: `refreshIfNeeded()`, since only `client.request` refreshes by itself);
   * a rejection is ignored: the write then meets the server's 401 and the refresh path.
   */
  beforeWrite?: () => Promise<void>;
  /** Injectable so tests do not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  onExchange?: (info: ExchangeInfo) => void;
  /** One attempt longer than this is abandoned as a network failure: no spinner forever (default 30 000 ms). */
  requestTimeoutMs?: number;
}

let readyOnce: Promise<FhirSession> | undefined;

/**
 * Completes the SMART launch once per page load. fhirclient's ready() exchanges the authorization code;
 * calling it twice (React StrictMode double effects) fails the second exchange with invalid_grant.
 */
export function connectSmart(): Promise<FhirSession> {
  // A public client identifies itself on refresh (RFC 6749 §3.2.1, §6); servers that require it — the sandbox
  // does, since issue 11 — refuse a refresh without client_id, which would end the session after an hour.
  (FHIR.oauth2.settings as { refreshTokenWithClientId?: boolean }).refreshTokenWithClientId = true;
  readyOnce ??= Promise.all([
    FHIR.oauth2.ready().catch((error: unknown) => {
      throw toLaunchError(error);
    }),
    loadRegistryFile(),
  ]).then(([client, registryJson]) => sessionFromClient(client, registryJson));
  return readyOnce;
}

async function loadRegistryFile(): Promise<unknown> {
  const response = await fetch(new URL('config/issuers.json', document.baseURI), { cache: 'no-cache' });
  if (!response.ok)
    throw new FhirError('client', 'The app configuration (config/issuers.json) could not be loaded.');
  return response.json();
}

function toLaunchError(error: unknown): FhirError {
  const message = error instanceof Error ? error.message : '';
  if (/state/i.test(message)) {
    return new FhirError('not-launched', 'The app was opened without a SMART launch.', { cause: error });
  }
  return new FhirError('session-expired', 'The sign-in with the EHR could not be completed.', {
    cause: error,
  });
}

function sessionFromClient(client: Client, registryJson: unknown): FhirSession {
  const registry = parseIssuerRegistry(registryJson);
  if (!registry.ok) throw new FhirError('client', registry.reason);
  const serverUrl = String(client.getState('serverUrl'));
  // The launch page checked the issuer already; checking again keeps a tampered session from being used.
  const issuer = findIssuer(registry.registry, serverUrl);
  if (!issuer)
    throw new FhirError('not-launched', 'The connected FHIR server is not in the issuer registry.');
  const patientId = client.getPatientId();
  if (!patientId) {
    throw new FhirError('not-launched', 'The EHR did not provide a patient for this launch.');
  }
  const tokenResponse: unknown = client.getState('tokenResponse');
  const needBanner =
    typeof tokenResponse === 'object' &&
    tokenResponse !== null &&
    'need_patient_banner' in tokenResponse &&
    tokenResponse.need_patient_banner === false
      ? false
      : true;
  return createSession({
    issuer,
    context: {
      serverUrl,
      patientId,
      encounterId: client.getEncounterId() ?? undefined,
      fhirUser: client.getFhirUser() ?? undefined,
      needPatientBanner: needBanner,
    },
    // Our own HTTP (retries, paging rules, typed errors) with fhirclient's token; fhirclient refreshes it.
    authorization: () => client.getAuthorizationHeader(),
    // Only client.request refreshes by itself: refresh an expiring token before a write (fhirclient ≥ 2.6.3).
    beforeWrite: async () => {
      await client.refreshIfNeeded();
    },
    refresh: async () => {
      if (!client.getState('tokenResponse.refresh_token')) return false;
      try {
        await client.refresh();
        return true;
      } catch {
        return false;
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Session-level HTTP: bounded retries, typed errors, same-origin only.
// ---------------------------------------------------------------------------------------------------------------

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((done, fail) => {
    if (signal?.aborted) {
      fail(signal.reason);
      return;
    }
    const timer = setTimeout(done, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        fail(signal.reason);
      },
      { once: true },
    );
  });

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The resource type a request URL addresses (`Observation?…`, `…/fhir/Binary/1`), for error messages. */
function resourceTypeOf(absoluteUrl: string, base: string): string | undefined {
  const rel = absoluteUrl.startsWith(base) ? absoluteUrl.slice(base.length) : new URL(absoluteUrl).pathname;
  const first = rel.replace(/^\/+/, '').split(/[/?#]/)[0] ?? '';
  return /^[A-Z][A-Za-z]+$/.test(first) ? first : undefined;
}

/** The readable text of an OperationOutcome body, if the body is one (details.text, coding display, diagnostics). */
export function operationOutcomeText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  const texts: string[] = [];
  for (const issue of outcome.issue as unknown[]) {
    if (typeof issue !== 'object' || issue === null) continue;
    const i = issue as {
      details?: { text?: unknown; coding?: { display?: unknown }[] };
      diagnostics?: unknown;
    };
    const text =
      (typeof i.details?.text === 'string' && i.details.text) ||
      (Array.isArray(i.details?.coding) &&
        i.details.coding.map((c) => c.display).find((d): d is string => typeof d === 'string')) ||
      (typeof i.diagnostics === 'string' && i.diagnostics) ||
      undefined;
    if (text) texts.push(text.slice(0, 300));
  }
  const joined = texts.join('; ');
  return joined.length > 0 ? joined : undefined;
}

function parseJsonBody(text: string): unknown {
  return text.trim().length === 0 ? undefined : (JSON.parse(text) as unknown);
}

const MESSAGES: Record<number, string> = {
  401: 'The session with the EHR has expired.',
  403: 'The EHR did not grant access',
  404: 'The FHIR server did not find the requested resource.',
};

/**
 * A session from a plain fetch function: the real HTTP rules with no fhirclient, so integration tests run this code
 * against msw and the benchmark against the sandbox. Relative URLs resolve against `context.serverUrl`; absolute
 * URLs must share its origin (the bearer token never leaves the server it was issued for).
 */
/** The caller's signal (if any) combined with a per-attempt deadline. */
function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const deadline = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

export function createSession(options: CreateSessionOptions): FhirSession {
  const base = options.context.serverUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => Date.now());
  const policy: RetryPolicy = { maxAttempts: 3, maxDelayMs: 10_000, defaultDelayMs: 1_000, ...options.retry };
  let refreshing: Promise<boolean> | undefined;
  let refreshFailed = false;

  function resolve(url: string): string | undefined {
    let absolute: URL;
    try {
      absolute = /^[a-z][a-z0-9+.-]*:/i.test(url)
        ? new URL(url)
        : new URL(`${base}/${url.replace(/^\/+/, '')}`);
    } catch {
      return undefined;
    }
    return absolute.origin === origin ? absolute.toString() : undefined;
  }

  async function refreshOnce(): Promise<boolean> {
    if (!options.refresh || refreshFailed) return false;
    refreshing ??= options.refresh().then(
      (ok) => {
        refreshing = undefined;
        if (!ok) refreshFailed = true;
        return ok;
      },
      () => {
        refreshing = undefined;
        refreshFailed = true;
        return false;
      },
    );
    return refreshing;
  }

  /** One GET with the retry rules; returns the status-2xx body text and content type. */
  async function exchange(url: string, accept: string, signal: AbortSignal | undefined, json: boolean) {
    const absolute = resolve(url);
    const resourceType = absolute ? resourceTypeOf(absolute, base) : undefined;
    if (!absolute) {
      throw new FhirError('invalid-response', 'Refused a URL outside the connected FHIR server.', {
        ...(resourceType ? { resourceType } : {}),
      });
    }
    const typeOpt = resourceType ? { resourceType } : {};
    let throttled = 0;
    let transient = 0;
    let refreshed = false;
    for (;;) {
      if (signal?.aborted)
        throw new FhirError('network', 'The request was cancelled.', { ...typeOpt, cause: signal.reason });
      const headers: Record<string, string> = { Accept: accept };
      const auth = options.authorization?.();
      if (auth) headers.Authorization = auth;
      const startedAt = now();
      let response: Response;
      let text: string;
      const attemptSignal = withTimeout(signal, options.requestTimeoutMs ?? 30_000);
      try {
        response = await doFetch(absolute, { method: 'GET', headers, signal: attemptSignal });
        text = await response.text();
      } catch (error: unknown) {
        if (signal?.aborted)
          throw new FhirError('network', 'The request was cancelled.', { ...typeOpt, cause: error });
        if (transient++ < 1) continue; // one retry for a dropped connection or a body cut short
        throw new FhirError('network', 'The FHIR server could not be reached.', { ...typeOpt, cause: error });
      }
      const status = response.status;
      options.onExchange?.({
        url: absolute,
        status,
        bytes: new TextEncoder().encode(text).length,
        startedAt,
        endedAt: now(),
      });
      if (status >= 200 && status < 300) {
        const contentType = response.headers.get('content-type') ?? undefined;
        if (!json) return { body: text as unknown, contentType };
        try {
          return { body: parseJsonBody(text), contentType };
        } catch (error: unknown) {
          if (transient++ < 1) continue; // a truncated body: ask once more
          throw new FhirError('network', 'The FHIR server sent an incomplete response.', {
            ...typeOpt,
            status,
            cause: error,
          });
        }
      }
      if ((status === 429 || status === 503) && ++throttled < policy.maxAttempts) {
        const hinted = parseRetryAfter(response.headers.get('retry-after'), now());
        const wait = Math.min(policy.maxDelayMs, hinted ?? policy.defaultDelayMs * 2 ** (throttled - 1));
        try {
          await sleep(wait, signal);
        } catch (error: unknown) {
          throw new FhirError('network', 'The request was cancelled.', { ...typeOpt, cause: error });
        }
        continue;
      }
      if (status === 401 && !refreshed) {
        refreshed = true;
        if (await refreshOnce()) continue;
      }
      if ((status === 500 || status === 502 || status === 504) && transient++ < 1) continue; // GET is idempotent
      let outcomeText: string | undefined;
      try {
        outcomeText = operationOutcomeText(parseJsonBody(text));
      } catch {
        outcomeText = undefined;
      }
      const kind = kindForStatus(status);
      // A 401 after the refresh is this request's refusal (named, like a 403); the screen says "session expired,
      // relaunch" only when every query of the plan was refused (load-timeline.ts: everyRequestRefused).
      const message =
        status === 403
          ? `${MESSAGES[403]}${resourceType ? ` to ${resourceType}` : ''} (403).`
          : status === 401 && resourceType
            ? `The EHR refused the ${resourceType} request (401), even after a token refresh.`
            : (MESSAGES[status] ?? `The FHIR server answered ${status}.`);
      throw new FhirError(kind, message, {
        status,
        ...typeOpt,
        ...(outcomeText ? { outcomeText } : {}),
      });
    }
  }

  /** One POST: no retry except one after a successful token refresh (the request was refused, not processed). */
  async function create(
    resourceType: string,
    resource: unknown,
    opts?: CreateOptions,
  ): Promise<CreateResponse> {
    const typeOpt = { resourceType };
    const absolute = resolve(resourceType);
    if (!/^[A-Z][A-Za-z]+$/.test(resourceType) || !absolute) {
      throw new FhirError('client', 'Refused to write an unknown resource type.', typeOpt);
    }
    const signal = opts?.signal;
    const payload = JSON.stringify(resource);
    let refreshed = false;
    for (;;) {
      if (options.beforeWrite) {
        try {
          await options.beforeWrite();
        } catch {
          // The server's 401 (and the refresh path below) decides.
        }
      }
      const headers: Record<string, string> = {
        Accept: 'application/fhir+json',
        'Content-Type': 'application/fhir+json; charset=utf-8',
      };
      if (opts?.ifNoneExist) headers['If-None-Exist'] = opts.ifNoneExist;
      const auth = options.authorization?.();
      if (auth) headers.Authorization = auth;
      const startedAt = now();
      let response: Response;
      let text: string;
      try {
        response = await doFetch(absolute, {
          method: 'POST',
          headers,
          body: payload,
          ...(signal ? { signal } : {}),
        });
        text = await response.text();
      } catch (error: unknown) {
        const message = signal?.aborted
          ? 'The request was cancelled.'
          : 'The FHIR server could not be reached.';
        throw new FhirError('network', message, { ...typeOpt, cause: error });
      }
      const status = response.status;
      options.onExchange?.({
        url: absolute,
        status,
        bytes: new TextEncoder().encode(text).length,
        startedAt,
        endedAt: now(),
      });
      let body: unknown;
      try {
        body = parseJsonBody(text);
      } catch {
        body = undefined;
      }
      if (status >= 200 && status < 300) {
        return { status, body, location: response.headers.get('location') ?? undefined };
      }
      if (status === 401 && !refreshed) {
        refreshed = true;
        if (await refreshOnce()) continue;
      }
      const outcomeText = operationOutcomeText(body);
      const message =
        status === 403
          ? `${MESSAGES[403]} to write ${resourceType} (403).`
          : (MESSAGES[status] ?? `The FHIR server answered ${status}.`);
      throw new FhirError(kindForStatus(status), message, {
        status,
        ...typeOpt,
        ...(outcomeText ? { outcomeText } : {}),
      });
    }
  }

  const getJson = async (url: string, opts?: RequestOptions): Promise<unknown> =>
    (await exchange(url, 'application/fhir+json', opts?.signal, true)).body;

  return {
    context: options.context,
    issuer: options.issuer,
    resolve,
    create,
    get: getJson,
    getPage: getJson,
    async getText(url, opts) {
      const { body, contentType } = await exchange(url, opts?.accept ?? 'text/plain', opts?.signal, false);
      return { text: String(body), contentType };
    },
  };
}
