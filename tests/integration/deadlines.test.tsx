/**
 * Issue 11, items 2 and 3: one budget per query (issuer option `queryBudgetSeconds`, default 20 s) after which a
 * query that has not answered is "still loading" — the verdicts are computed from what has arrived and updated when
 * it lands — and a 401 on one resource type (after the one token refresh) is that query's failure, not "session
 * expired" for the whole screen. msw fake EHR; fake timers for the budget where the test measures it.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { parseIssuerRegistry, queryBudgetMs } from '../../src/config/issuers';
import { evaluate } from '../../src/engine/index';
import { withBudget } from '../../src/fhir/fetch-queries';
import { describeFailure, loadTimeline, type LoadTimelineResult } from '../../src/fhir/load-timeline';
import { ReviewScreen } from '../../src/ui/review/review-screen';
import { App } from '../../src/ui/app';
import {
  EPIC_BASE,
  EPIC_PATIENT,
  epicCondition,
  epicImagingReport,
  epicLab,
  epicPatient,
  epicTace,
} from '../fixtures/epic/resources';
import { fakeEhr, issuer, outcome, testSession, useMswServer } from './fake-ehr';

// jsdom has no canvas: the lazy uPlot chart is not what these tests look at.
vi.mock('../../src/ui/timeline/timeline-chart', () => ({
  default: () => null,
  TimelineChart: () => null,
}));

const server = useMswServer();

const AS_OF = '2026-07-01';

function chart() {
  return [
    epicLab('1834-1', 'AFP', 12, 'ng/mL', '2026-06-01T08:00:00Z'),
    epicLab('1751-7', 'ALBUMIN', 3.6, 'g/dL', '2026-06-01T08:00:00Z'),
    epicLab('1975-2', 'BILIRUBIN TOTAL', 1.2, 'mg/dL', '2026-06-01T08:00:00Z'),
    epicTace('2026-03-10'),
    epicImagingReport('2026-04-15', 'mRECIST: partial response. No new hepatic lesions.'),
    epicCondition(),
  ];
}

function ehrWith(resources = chart()) {
  const ehr = fakeEhr({
    base: EPIC_BASE,
    patientId: EPIC_PATIENT,
    patient: epicPatient(),
    resources,
    flavor: 'epic',
  });
  server.use(...ehr.handlers);
  return ehr;
}

/** Holds every DiagnosticReport search until `release()`; then the fake EHR answers it. */
function stallReports() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((done) => (release = done));
  // Returning nothing falls through to the fake EHR's handler.
  server.use(http.get(`${EPIC_BASE}/DiagnosticReport`, async () => void (await gate)));
  return { release };
}

function epicIssuer(options: Record<string, unknown> = {}) {
  return issuer('epic', EPIC_BASE, { observationCategoryRequired: true, ...options });
}

describe('the query budget', () => {
  it('withBudget: settles with the value in time, or says "not yet" at the budget and keeps the work', async () => {
    vi.useFakeTimers();
    let finish: (v: string) => void = () => undefined;
    const work = new Promise<string>((done) => (finish = done));
    let seen: Awaited<ReturnType<typeof withBudget<string>>> | undefined;
    void withBudget(work, 5_000).then((b) => (seen = b));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(seen).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(seen?.settled).toBe(false);
    finish('late');
    expect(seen && !seen.settled ? await seen.later : undefined).toBe('late');
    const quick = await withBudget(Promise.resolve('now'), 5_000);
    expect(quick).toEqual({ settled: true, value: 'now' });
  });

  it('queryBudgetSeconds: default 20 s, per issuer, validated in the registry', () => {
    expect(queryBudgetMs(epicIssuer())).toBe(20_000);
    expect(queryBudgetMs(epicIssuer({ queryBudgetSeconds: 5 }))).toBe(5_000);
    const bad = parseIssuerRegistry({
      issuers: [
        {
          id: 'x',
          displayName: 'X',
          ehr: 'other',
          issMatch: { exact: 'https://x.test/fhir' },
          clientId: 'c',
          options: { queryBudgetSeconds: 'soon' },
        },
      ],
    });
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('queryBudgetSeconds') });
  });

  it('loadTimeline: a hung report search does not hold the rest past 20 s; it is "still loading", then lands', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    ehrWith();
    const stall = stallReports();
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, epicIssuer());
    let result: LoadTimelineResult | undefined;
    void loadTimeline(session, { asOf: AS_OF }).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(19_500);
    expect(result).toBeUndefined(); // within the budget the load waits for the reports
    await vi.advanceTimersByTimeAsync(1_000);
    expect(result).toBeDefined();
    const partial = result as LoadTimelineResult;
    expect(partial.queries.find((q) => q.key === 'reports')?.status).toBe('loading');
    expect(partial.queries.find((q) => q.key === 'procedures')?.status).toBe('ok');
    expect(partial.queries.filter((q) => q.key.startsWith('labs:')).every((q) => q.status === 'ok')).toBe(
      true,
    );
    // Assembled like a failed query for that moment, with the reason named.
    expect(partial.timeline.imaging).toHaveLength(0);
    expect(partial.timeline.dataIssues.map((d) => d.reason)).toContain(
      'still loading: imaging reports (not loaded yet)',
    );
    expect(partial.timeline.labs.afp).toHaveLength(1);
    expect(partial.complete).toBeDefined();
    stall.release();
    vi.useRealTimers();
    const full = await partial.complete;
    expect(full?.queries.find((q) => q.key === 'reports')?.status).toBe('ok');
    expect(full?.timeline.imaging.length).toBeGreaterThanOrEqual(1);
    expect(full?.complete).toBeUndefined();
  });

  it('conditions still loading: the HCC diagnosis is "not known", never "not found"', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    ehrWith();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    server.use(http.get(`${EPIC_BASE}/Condition`, async () => void (await gate)));
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, epicIssuer({ queryBudgetSeconds: 2 }));
    let result: LoadTimelineResult | undefined;
    void loadTimeline(session, { asOf: AS_OF }).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(2_100);
    expect(result?.queries.find((q) => q.key === 'conditions')?.status).toBe('loading');
    const assessed = evaluate((result as LoadTimelineResult).timeline, { asOf: AS_OF, inputs: {} });
    expect(assessed.applicability.hccDiagnosis).toBe('unknown');
    release();
  });

  it('loadTimeline: the issuer budget applies (5 s)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    ehrWith();
    const stall = stallReports();
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, epicIssuer({ queryBudgetSeconds: 5 }));
    let result: LoadTimelineResult | undefined;
    void loadTimeline(session, { asOf: AS_OF }).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(5_100);
    expect(result?.queries.find((q) => q.key === 'reports')?.status).toBe('loading');
    stall.release();
  });
});

function renderScreen(iss = epicIssuer()) {
  const { session } = testSession(EPIC_BASE, EPIC_PATIENT, iss, { refresh: () => Promise.resolve(true) });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ReviewScreen session={session} asOf={AS_OF} />
    </QueryClientProvider>,
  );
}

describe('review screen past the budget', () => {
  it('verdicts from labs and procedures show; imaging criteria say "still loading"; then update when it lands', async () => {
    ehrWith();
    const stall = stallReports();
    renderScreen(epicIssuer({ queryBudgetSeconds: 0.3 }));
    await waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 3000 });
    expect(screen.getByTestId('still-loading-notice').textContent).toMatch(
      /^Still loading: imaging reports\./,
    );
    expect(screen.getByTestId('verdict-jsh-lcsgj-2014').getAttribute('data-status')).toBe('indeterminate');
    expect(screen.getByTestId('verdict-reason-jsh-lcsgj-2014').textContent).toMatch(
      /^Undecided — still loading: imaging reports/,
    );
    const row = screen.getByTestId('query-reports');
    expect(within(row).getByText('still loading')).toBeTruthy();
    expect(screen.getByTestId('data-loading').textContent).toContain('imaging reports');
    expect(screen.queryByTestId('data-failed')).toBeNull();
    expect(screen.queryByTestId('failed-notice')).toBeNull();
    // Labs were computed from what arrived: the ALBI score is shown already.
    expect(screen.getAllByText(/ALBI/).length).toBeGreaterThan(0);
    act(() => stall.release());
    await waitFor(() => expect(screen.queryByTestId('still-loading-notice')).toBeNull(), { timeout: 3000 });
    expect(within(screen.getByTestId('query-reports')).getByText('loaded')).toBeTruthy();
    expect(screen.getByTestId('verdict-reason-jsh-lcsgj-2014').textContent).not.toMatch(/still loading/);
  });

  it('within the budget the screen waits (no partial verdicts yet)', async () => {
    ehrWith();
    const stall = stallReports();
    renderScreen(epicIssuer({ queryBudgetSeconds: 30 }));
    await new Promise((done) => setTimeout(done, 500));
    expect(screen.getByTestId('timeline-loading')).toBeTruthy();
    expect(screen.queryByTestId('timeline-loaded')).toBeNull();
    act(() => stall.release());
    await waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 3000 });
    expect(screen.queryByTestId('still-loading-notice')).toBeNull();
  });
});

describe('a 401 on one resource type', () => {
  it('loadTimeline: after the refresh, labs still refused → those queries failed by name; the rest loads', async () => {
    ehrWith();
    server.use(http.get(`${EPIC_BASE}/Observation`, () => outcome(401, 'token expired')));
    let refreshes = 0;
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, epicIssuer(), {
      refresh: () => Promise.resolve(++refreshes > 0),
    });
    const { queries, timeline } = await loadTimeline(session, { asOf: AS_OF });
    const labs = queries.filter((q) => q.key.startsWith('labs:'));
    expect(labs.length).toBeGreaterThan(0);
    expect(labs.every((q) => q.status === 'error' && q.error?.kind === 'session-expired')).toBe(true);
    expect(queries.find((q) => q.key === 'procedures')?.status).toBe('ok');
    expect(refreshes).toBe(1); // one refresh for the session, not one per query
    const error = labs[0]?.error;
    expect(error?.message).toBe('The EHR refused the Observation request (401), even after a token refresh.');
    expect(error ? describeFailure(error) : '').toBe(
      'the EHR refused the request even after a token refresh (401)',
    );
    expect(timeline.dataIssues.map((d) => d.reason)).toContainEqual(
      expect.stringMatching(
        /could not be loaded: the EHR refused the request even after a token refresh \(401\)/,
      ),
    );
    expect(timeline.treatments.length).toBeGreaterThan(0);
  });

  it('loadTimeline: every request refused → session-expired', async () => {
    ehrWith();
    server.use(http.get(`${EPIC_BASE}/*`, () => outcome(401, 'token expired')));
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, epicIssuer(), {
      refresh: () => Promise.resolve(true),
    });
    await expect(loadTimeline(session, { asOf: AS_OF })).rejects.toMatchObject({ kind: 'session-expired' });
  });

  it('review screen: the refused labs are named like a 403, the other panels stay; no relaunch page', async () => {
    ehrWith();
    server.use(http.get(`${EPIC_BASE}/Observation`, () => outcome(401, 'token expired')));
    renderScreen();
    await waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 5000 });
    expect(screen.queryByTestId('state-session-expired')).toBeNull();
    expect(screen.getByTestId('failed-notice').textContent).toMatch(/AFP/);
    expect(screen.getByTestId('data-failed').textContent).toContain(
      'the EHR refused the request even after a token refresh (401)',
    );
    expect(within(screen.getByTestId('query-procedures')).getByText('loaded')).toBeTruthy();
  });

  it('review screen: every request refused → "session expired, relaunch"', async () => {
    ehrWith();
    server.use(http.get(`${EPIC_BASE}/*`, () => outcome(401, 'token expired')));
    renderScreen();
    await waitFor(() => screen.getByTestId('state-session-expired'), { timeout: 5000 });
  });
});

describe('a hung Patient read does not hold the screen', () => {
  it('the review screen renders; the banner says the patient details are still loading, then fills in', async () => {
    ehrWith();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    server.use(http.get(`${EPIC_BASE}/Patient/${EPIC_PATIENT}`, async () => void (await gate)));
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, epicIssuer({ queryBudgetSeconds: 0.3 }), {
      refresh: () => Promise.resolve(true),
    });
    const withBanner = { ...session, context: { ...session.context, needPatientBanner: true } };
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <App connect={() => Promise.resolve(withBanner)} />
      </QueryClientProvider>,
    );
    await waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 3000 });
    await waitFor(() =>
      expect(screen.getByTestId('patient-banner-loading').textContent).toMatch(/still loading from the EHR/),
    );
    act(() => release());
    await waitFor(() => screen.getByTestId('patient-banner'), { timeout: 3000 });
    expect(screen.queryByTestId('patient-banner-loading')).toBeNull();
  });
});
