import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession, parseRetryAfter } from '../../src/fhir/client';
import type { FhirError } from '../../src/fhir/errors';
import { loadAll, runQuery } from '../../src/fhir/fetch-queries';
import { loadTimeline } from '../../src/fhir/load-timeline';
import { buildRequestPlan } from '../../src/fhir/queries';
import {
  duplicateIdLabs,
  futureLab,
  labWithStringValue,
  labWithUnknownUnit,
  labWithoutValue,
  longAfpHistory,
} from '../fixtures/adversarial/resources';
import { epicImagingReport, epicLab, epicPatient, epicTace } from '../fixtures/epic/resources';
import { fakeEhr, issuer, outcome, testSession, type FakeEhr } from './fake-ehr';

const BASE = 'https://ehr.adversarial.test/fhir/r4';
const PATIENT = 'eAB3mDIBBcyUKviyzrxsnAw3';
const ISSUER = issuer('other', BASE);
const context = {
  serverUrl: BASE,
  patientId: PATIENT,
  encounterId: undefined,
  fhirUser: undefined,
  needPatientBanner: true,
};
const PLAN_SIZE = buildRequestPlan(context, ISSUER).length; // 19: patient, 12 labs, 6 others

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function baseline(resources: Record<string, unknown>[] = []): FakeEhr {
  const ehr = fakeEhr({
    base: BASE,
    patientId: PATIENT,
    patient: epicPatient({ id: PATIENT }),
    resources: [
      epicLab('1834-1', 'AFP', 55, 'ng/mL', '2026-05-01T08:00:00Z'),
      epicLab('1751-7', 'ALBUMIN', 3.5, 'g/dL', '2026-05-01T08:00:00Z'),
      epicTace('2026-04-01'),
      epicImagingReport('2026-05-15', 'mRECIST: stable disease.'),
      ...resources,
    ],
    flavor: 'plain',
    defaultCount: 200,
  });
  return ehr;
}

/** msw runs handlers in order: the overrides go first, the fake EHR answers the rest. */
function serve(ehr: FakeEhr, ...overrides: Parameters<typeof server.use>): void {
  server.use(...ehr.handlers);
  server.use(...overrides);
}

describe('adversarial data', () => {
  it('missing values, string values, unknown units, future dates, duplicate ids: listed, never thrown', async () => {
    const [dupA, dupB] = duplicateIdLabs('2026-05-02T08:00:00Z');
    const ehr = baseline([
      labWithoutValue('2026-05-03T08:00:00Z'),
      labWithStringValue('2026-05-04T08:00:00Z', '<2.0 ng/mL'),
      labWithUnknownUnit('2026-05-05T08:00:00Z'),
      futureLab('2027-01-01T08:00:00Z'),
      dupA,
      dupB,
    ]);
    serve(ehr);
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { timeline, queries } = await loadTimeline(session, { asOf: '2026-07-01' });
    expect(queries.every((q) => q.status === 'ok')).toBe(true);
    expect(ehr.requests).toHaveLength(PLAN_SIZE);
    // The string value with a comparator is read; the AFP series has both values.
    expect(timeline.labs.afp?.some((m) => m.comparator === '<' && m.value === 2)).toBe(true);
    // No imputation: the albumin without a value is not in the series.
    expect(timeline.labs.albumin).toHaveLength(1);
    expect(timeline.labs.bilirubin ?? []).toHaveLength(0);
    expect(timeline.labs.platelets ?? []).toHaveLength(0);
    const reasons = timeline.dataIssues.map((i) => `${i.resourceType} ${i.kind} ${i.reason}`).join('\n');
    expect(timeline.dataIssues.filter((i) => i.resourceType === 'Observation').length).toBeGreaterThanOrEqual(
      4,
    );
    expect(reasons).toMatch(/unit/i);
    expect(reasons).toMatch(/future|after/i);
    expect(reasons).toMatch(/duplicate|twice|same id/i);
  });

  it('a 5,000-entry history is paged to the end (25 pages of 200) in one query', async () => {
    const ehr = baseline(longAfpHistory(5000));
    serve(ehr);
    const { session } = testSession(BASE, PATIENT, issuer('other', BASE, { maxCount: { Observation: 200 } }));
    const { timeline, queries } = await loadTimeline(session, { asOf: '2026-11-01' });
    expect(timeline.labs.afp).toHaveLength(5001);
    expect(queries.find((q) => q.key === 'labs:afp')).toMatchObject({ pages: 26, resourceCount: 5001 });
    expect(ehr.requests).toHaveLength(PLAN_SIZE + 25);
  });

  it('stops at maxPages with a warning', async () => {
    const ehr = baseline(longAfpHistory(500));
    serve(ehr);
    const iss = issuer('other', BASE, { maxCount: { Observation: 100 }, maxPages: 2 });
    const { session } = testSession(BASE, PATIENT, iss);
    const { timeline } = await loadTimeline(session, { asOf: '2026-11-01' });
    expect(timeline.labs.afp).toHaveLength(200);
    expect(timeline.dataIssues.some((i) => /only the first 2 pages/.test(i.reason))).toBe(true);
  });
});

describe('adversarial paging', () => {
  it('a next link loop is detected and stopped with a warning', async () => {
    const ehr = baseline();
    let calls = 0;
    serve(
      ehr,
      http.get(`${BASE}/Condition`, ({ request }) => {
        calls++;
        return HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          link: [
            { relation: 'self', url: request.url },
            {
              relation: 'next',
              url: calls === 1 ? `${BASE}/Condition?page=2` : `${request.url.split('?')[0]}?page=2`,
            },
          ],
          entry: [],
        });
      }),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { timeline, queries } = await loadTimeline(session);
    expect(calls).toBe(2);
    expect(queries.find((q) => q.key === 'conditions')).toMatchObject({ status: 'ok', pages: 2 });
    expect(timeline.dataIssues).toContainEqual(
      expect.objectContaining({
        resourceType: 'Condition',
        kind: 'warning',
        reason: expect.stringMatching(/paging loop/),
      }),
    );
  });

  it('a next link to another origin is refused (the token never leaves the server)', async () => {
    const ehr = baseline();
    let evil = 0;
    serve(
      ehr,
      http.get('https://evil.test/*', () => {
        evil++;
        return HttpResponse.json({});
      }),
      http.get(`${BASE}/Procedure`, () =>
        HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          link: [{ relation: 'next', url: 'https://evil.test/fhir/Procedure?page=2' }],
          entry: [{ resource: epicTace('2026-04-01'), search: { mode: 'match' } }],
        }),
      ),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { timeline } = await loadTimeline(session);
    expect(evil).toBe(0);
    expect(timeline.treatments).toHaveLength(1);
    expect(
      timeline.dataIssues.some((i) => i.resourceType === 'Procedure' && /another server/.test(i.reason)),
    ).toBe(true);
    await expect(session.get('https://evil.test/fhir/Patient/1')).rejects.toMatchObject({
      kind: 'invalid-response',
    });
  });
});

describe('adversarial HTTP', () => {
  it('a truncated body is retried once; a body truncated twice fails that query only', async () => {
    const ehr = baseline();
    const truncated = () =>
      new HttpResponse('{"resourceType":"Bundle","type":"searchset","entry":[{"resou', {
        headers: { 'Content-Type': 'application/fhir+json' },
      });
    serve(
      ehr,
      http.get(`${BASE}/Procedure`, truncated, { once: true }),
      http.get(`${BASE}/Condition`, truncated),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { timeline, queries } = await loadTimeline(session);
    expect(timeline.treatments).toHaveLength(1);
    expect(ehr.count('Procedure')).toBe(1); // the retry; the truncated first answer came from the override
    const conditions = queries.find((q) => q.key === 'conditions');
    expect(conditions?.status).toBe('error');
    expect(conditions?.error?.kind).toBe('network');
    expect(timeline.dataIssues).toContainEqual(
      expect.objectContaining({
        resourceType: 'Condition',
        reason: expect.stringMatching(/conditions could not be loaded/),
      }),
    );
  });

  it('500 then success: retried once, data loaded', async () => {
    const ehr = baseline();
    let fails = 0;
    serve(
      ehr,
      http.get(
        `${BASE}/DiagnosticReport`,
        () => {
          fails++;
          return outcome(500, 'Internal error');
        },
        { once: true },
      ),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { timeline, queries } = await loadTimeline(session);
    expect(fails).toBe(1);
    expect(ehr.count('DiagnosticReport')).toBe(1);
    expect(queries.every((q) => q.status === 'ok')).toBe(true);
    expect(timeline.imaging.length).toBeGreaterThanOrEqual(1);
  });

  it('429 with Retry-After then success: waits as told (injected sleep), capped at 10 s', async () => {
    const ehr = baseline();
    serve(
      ehr,
      http.get(
        `${BASE}/Observation`,
        () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '2' } }),
        {
          once: true,
        },
      ),
      http.get(
        `${BASE}/Procedure`,
        () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': '120' } }),
        {
          once: true,
        },
      ),
    );
    const { session, sleeps } = testSession(BASE, PATIENT, ISSUER);
    const { queries } = await loadTimeline(session);
    expect(queries.every((q) => q.status === 'ok')).toBe(true);
    expect(sleeps.sort((a, b) => a - b)).toEqual([2000, 10_000]);
    expect(ehr.requests).toHaveLength(PLAN_SIZE);
  });

  it('429 forever: three attempts, then a rate-limited error for that query', async () => {
    const ehr = baseline();
    let hits = 0;
    serve(
      ehr,
      http.get(`${BASE}/ImagingStudy`, () => {
        hits++;
        return new HttpResponse(null, { status: 429 });
      }),
    );
    const { session, sleeps } = testSession(BASE, PATIENT, ISSUER);
    const { queries, timeline } = await loadTimeline(session);
    expect(hits).toBe(3);
    expect(sleeps).toEqual([1000, 2000]);
    expect(queries.find((q) => q.key === 'imaging-studies')?.error?.kind).toBe('rate-limited');
    expect(timeline.dataIssues.some((i) => i.resourceType === 'ImagingStudy' && /busy/.test(i.reason))).toBe(
      true,
    );
  });

  it('Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('403 on DiagnosticReport only: the rest loads and the failure is listed', async () => {
    const ehr = baseline();
    serve(
      ehr,
      http.get(`${BASE}/DiagnosticReport`, () => outcome(403, 'Not authorized for DiagnosticReport.Search')),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { timeline, queries } = await loadTimeline(session);
    const reports = queries.find((q) => q.key === 'reports');
    expect(reports?.status).toBe('error');
    expect(reports?.error).toMatchObject({
      kind: 'forbidden',
      status: 403,
      resourceType: 'DiagnosticReport',
    });
    expect(queries.filter((q) => q.status === 'error')).toHaveLength(1);
    expect(timeline.labs.afp).toHaveLength(1);
    expect(timeline.treatments).toHaveLength(1);
    expect(timeline.imaging).toHaveLength(0);
    expect(timeline.dataIssues).toContainEqual({
      resourceType: 'DiagnosticReport',
      reason: 'imaging reports could not be loaded: the EHR did not grant access (403)',
      kind: 'warning',
    });
    // No PHI in the message: no patient id, no URL.
    expect(JSON.stringify(timeline.dataIssues)).not.toContain(PATIENT);
  });

  it('400 with an OperationOutcome: its text is carried', async () => {
    const ehr = baseline();
    serve(
      ehr,
      http.get(`${BASE}/MedicationRequest`, () => outcome(400, 'Unsupported _include')),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const outcomes = await loadAll(session, buildRequestPlan(context, ISSUER));
    const meds = outcomes.get('medication-requests');
    expect(meds?.status).toBe('error');
    const error = meds?.status === 'error' ? meds.error : undefined;
    expect(error).toMatchObject({ kind: 'client', status: 400, outcomeText: 'Unsupported _include' });
    expect(outcomes.get('labs:afp')?.status).toBe('ok');
  });

  it('401 without a refresh token: loadTimeline rejects with session-expired', async () => {
    const ehr = baseline();
    serve(
      ehr,
      http.get(`${BASE}/*`, () => outcome(401, 'token expired')),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    await expect(loadTimeline(session)).rejects.toMatchObject({ kind: 'session-expired', status: 401 });
  });

  it('401 with a refresh token: refreshed once for all parallel queries, then everything loads', async () => {
    const ehr = baseline();
    let token = 'old';
    let refreshes = 0;
    serve(
      ehr,
      http.get(`${BASE}/*`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer old' ? outcome(401, 'token expired') : undefined,
      ),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER, {
      token: () => `Bearer ${token}`,
      refresh: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        token = 'new';
        return true;
      },
    });
    const { queries } = await loadTimeline(session);
    expect(refreshes).toBe(1);
    expect(queries.every((q) => q.status === 'ok')).toBe(true);
  });

  it('network failure twice: a network error for that query; runQuery rejects with a FhirError', async () => {
    const ehr = baseline();
    serve(
      ehr,
      http.get(`${BASE}/Condition`, () => HttpResponse.error()),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const spec = buildRequestPlan(context, ISSUER).find((s) => s.key === 'conditions');
    if (!spec) throw new Error('no conditions spec');
    const error = (await runQuery(session, spec).catch((e: unknown) => e)) as FhirError;
    expect(error.name).toBe('FhirError');
    expect(error.kind).toBe('network');
  });

  it('a session works from a plain fetch function (no msw, no fhirclient)', async () => {
    const seen: string[] = [];
    const session = createSession({
      context,
      issuer: ISSUER,
      fetch: async (url) => {
        seen.push(url);
        return new Response(JSON.stringify(epicPatient({ id: PATIENT })), { status: 200 });
      },
    });
    await expect(session.get(`Patient/${PATIENT}`)).resolves.toMatchObject({ resourceType: 'Patient' });
    expect(seen).toEqual([`${BASE}/Patient/${PATIENT}`]);
  });
  it('a 200 that is not a Bundle fails that query as invalid-response', async () => {
    const ehr = baseline();
    serve(
      ehr,
      http.get(`${BASE}/ImagingStudy`, () =>
        HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }),
      ),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const { queries } = await loadTimeline(session);
    expect(queries.find((q) => q.key === 'imaging-studies')?.error?.kind).toBe('invalid-response');
    expect(queries.filter((q) => q.status === 'ok')).toHaveLength(PLAN_SIZE - 1);
  });

  it('an aborted load ends every query as a network error without retries', async () => {
    const ehr = baseline();
    serve(ehr);
    const { session } = testSession(BASE, PATIENT, ISSUER);
    const controller = new AbortController();
    controller.abort();
    const outcomes = await loadAll(session, buildRequestPlan(context, ISSUER), controller.signal);
    expect([...outcomes.values()].every((o) => o.status === 'error' && o.error.kind === 'network')).toBe(
      true,
    );
    expect(ehr.requests).toHaveLength(0);
  });

  it('a server that never answers ends that query as a network error after one retry: no spinner forever', async () => {
    const ehr = baseline();
    let hung = 0;
    serve(
      ehr,
      http.get(`${BASE}/Procedure`, async () => {
        hung += 1;
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const { session } = testSession(BASE, PATIENT, ISSUER, { requestTimeoutMs: 50 });
    const { queries } = await loadTimeline(session);
    const procedures = queries.find((q) => q.key === 'procedures');
    expect(procedures?.status).toBe('error');
    expect(procedures?.error?.kind).toBe('network');
    expect(hung).toBe(2);
    expect(queries.filter((q) => q.status === 'ok')).toHaveLength(PLAN_SIZE - 1);
  });
});
