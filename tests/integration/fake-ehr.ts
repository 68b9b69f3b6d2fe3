/**
 * A tiny FHIR server for msw: search by patient / code / category tokens, `_count` paging with absolute `next`
 * links, `_include=MedicationRequest:medication`, reads of Patient and Binary. Epic flavour answers 400 to an
 * Observation search without category and adds the 4101 "no results" outcome; every request is logged.
 */
import { cleanup } from '@testing-library/react';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { issuerSchema, type IssuerConfig } from '../../src/config/issuers';
import { createSession, type FhirSession } from '../../src/fhir/client';
import { epicNoResultsOutcome, epicSearchset } from '../fixtures/epic/resources';

type Json = Record<string, unknown>;

export interface FakeEhrOptions {
  base: string;
  patientId: string;
  patient: Json;
  resources: readonly Json[];
  flavor: 'epic' | 'oracle' | 'plain';
  defaultCount?: number;
  maxCount?: number;
  binaries?: Record<string, { contentType: string; body: string }>;
}

export interface FakeEhr {
  handlers: HttpHandler[];
  /** Every request URL, in arrival order. */
  requests: string[];
  /** Requests whose path is `/type` (searches) or `/type/…` (reads). */
  count(type: string): number;
}

const FHIR_JSON = { 'Content-Type': 'application/fhir+json' };

export function outcome(status: number, text: string, severity = 'error'): Response {
  return HttpResponse.json(
    { resourceType: 'OperationOutcome', issue: [{ severity, code: 'processing', details: { text } }] },
    { status, headers: FHIR_JSON },
  );
}

function codings(resource: Json, field: string): { system?: string; code?: string }[] {
  const value = resource[field];
  const concepts = (Array.isArray(value) ? value : value ? [value] : []) as {
    coding?: { system?: string; code?: string }[];
  }[];
  return concepts.flatMap((c) => c.coding ?? []);
}

function matchesTokens(resource: Json, field: string, param: string | null): boolean {
  if (param === null) return true;
  const tokens = param.split(',');
  return codings(resource, field).some((c) =>
    tokens.some((t) => (t.includes('|') ? t === `${c.system ?? ''}|${c.code ?? ''}` : t === c.code)),
  );
}

export function fakeEhr(opts: FakeEhrOptions): FakeEhr {
  const requests: string[] = [];
  const handler = http.get(`${opts.base}/*`, ({ request }) => {
    requests.push(request.url);
    const url = new URL(request.url);
    const rel = url.pathname.slice(new URL(opts.base).pathname.length).replace(/^\/+/, '');
    const [type = '', id] = rel.split('/');
    if (id !== undefined) {
      if (type === 'Patient' && id === opts.patientId)
        return HttpResponse.json(opts.patient, { headers: FHIR_JSON });
      if (type === 'Binary' && opts.binaries?.[id]) {
        const b = opts.binaries[id];
        return new HttpResponse(b.body, { headers: { 'Content-Type': b.contentType } });
      }
      // A read by id of any resource of the chart (report result Observations are read this way).
      const found = opts.resources.find((r) => r.resourceType === type && r.id === id);
      if (found) return HttpResponse.json(found, { headers: FHIR_JSON });
      return outcome(404, `${type}/${id} not found`);
    }
    const q = url.searchParams;
    if (q.get('patient') !== opts.patientId) return outcome(403, 'Search of another patient');
    if (opts.flavor === 'epic' && type === 'Observation' && !q.get('category')) {
      return outcome(400, 'Must provide a category or code'); // Epic's Observation.Search needs category
    }
    const all = opts.resources.filter(
      (r) =>
        r.resourceType === type &&
        matchesTokens(r, 'code', q.get('code')) &&
        matchesTokens(r, 'category', q.get('category')),
    );
    const count = Math.min(opts.maxCount ?? 200, Number(q.get('_count') ?? opts.defaultCount ?? 50));
    const offset = Number(q.get('_offset') ?? 0);
    const page = all.slice(offset, offset + count);
    const linkAt = (at: number) => {
      const p = new URLSearchParams(q);
      p.set('_offset', String(at));
      return `${opts.base}/${type}?${p.toString()}`;
    };
    const nextUrl = offset + count < all.length ? linkAt(offset + count) : undefined;
    const included: Json[] = [];
    if (q.get('_include') === 'MedicationRequest:medication') {
      for (const r of page) {
        const ref = (r.medicationReference as { reference?: string } | undefined)?.reference;
        const target = opts.resources.find((x) => `${String(x.resourceType)}/${String(x.id)}` === ref);
        if (target && !included.includes(target)) included.push(target);
      }
    }
    const body = epicSearchset(opts.base, page, {
      selfUrl: linkAt(offset),
      ...(nextUrl ? { nextUrl } : {}),
      total: all.length,
      included,
      outcomes: opts.flavor === 'epic' && all.length === 0 ? [epicNoResultsOutcome()] : [],
    });
    return HttpResponse.json(body, { headers: FHIR_JSON });
  });
  return {
    handlers: [handler],
    requests,
    count: (type) => requests.filter((u) => new URL(u).pathname.split('/').includes(type)).length,
  };
}

export function issuer(ehr: IssuerConfig['ehr'], base: string, options: Json = {}): IssuerConfig {
  return issuerSchema.parse({
    id: `test-${ehr}`,
    displayName: `Test ${ehr}`,
    ehr,
    issMatch: { exact: base },
    clientId: 'test',
    options,
  });
}

export interface TestSession {
  session: FhirSession;
  sleeps: number[];
}

export function testSession(
  base: string,
  patientId: string,
  iss: IssuerConfig,
  extra: { refresh?: () => Promise<boolean>; token?: () => string; requestTimeoutMs?: number } = {},
): TestSession {
  const sleeps: number[] = [];
  const session = createSession({
    context: {
      serverUrl: base,
      patientId,
      encounterId: undefined,
      fhirUser: undefined,
      needPatientBanner: true,
    },
    issuer: iss,
    authorization: extra.token ?? (() => 'Bearer test-token'),
    ...(extra.refresh ? { refresh: extra.refresh } : {}),
    ...(extra.requestTimeoutMs ? { requestTimeoutMs: extra.requestTimeoutMs } : {}),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { session, sleeps };
}

/**
 * One msw server for a React integration test file: listens before the tests (unhandled requests fail), gives jsdom
 * the matchMedia uPlot reads when the lazy chart loads, and after each test resets handlers, unmounts and clears
 * the session storage the app keeps inputs and drafts in.
 */
export function useMswServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' });
    window.matchMedia ??= ((query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    })) as typeof window.matchMedia;
  });
  afterEach(() => {
    vi.useRealTimers();
    server.resetHandlers();
    cleanup();
    sessionStorage.clear();
  });
  afterAll(() => server.close());
  return server;
}
