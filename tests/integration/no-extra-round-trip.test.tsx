/**
 * Issue 13 item 1: no extra round trip. Every query of the request plan starts as soon as the session is ready (the
 * patient id comes with the token response); the Patient read runs in the same wave as the data searches, never in
 * front of them. msw fake EHR at the network boundary; the Patient read is held until the test releases it.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { buildRequestPlan } from '../../src/fhir/queries';
import { App } from '../../src/ui/app';
import { startPlan } from '../../src/ui/hooks/use-patient-timeline';
import { createAppQueryClient } from '../../src/ui/query-client';
import {
  EPIC_BASE,
  EPIC_PATIENT,
  epicCondition,
  epicImagingReport,
  epicLab,
  epicPatient,
  epicTace,
} from '../fixtures/epic/resources';
import { fakeEhr, issuer, testSession, useMswServer } from './fake-ehr';

// jsdom has no canvas: the lazy uPlot chart is not what this test looks at.
vi.mock('../../src/ui/timeline/timeline-chart', () => ({
  default: () => null,
  TimelineChart: () => null,
}));

const server = useMswServer();

/** An Epic-flavoured fake EHR with a small record (labs, a TACE, an imaging report, the HCC diagnosis), in use. */
function epicRecord() {
  const ehr = fakeEhr({
    base: EPIC_BASE,
    patientId: EPIC_PATIENT,
    patient: epicPatient(),
    resources: [
      epicLab('1834-1', 'AFP', 12, 'ng/mL', '2026-06-01T08:00:00Z'),
      epicLab('1751-7', 'ALBUMIN', 3.6, 'g/dL', '2026-06-01T08:00:00Z'),
      epicTace('2026-03-10'),
      epicImagingReport('2026-04-15', 'mRECIST: partial response. No new hepatic lesions.'),
      epicCondition(),
    ],
    flavor: 'epic',
  });
  server.use(...ehr.handlers);
  return ehr;
}

describe('no extra round trip', () => {
  it('every data search of the plan is sent while the Patient read has not answered', async () => {
    const ehr = epicRecord();
    // The Patient read: logged when it arrives, answered (by the fake EHR) only after `release()`.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    let patientRequested = 0;
    let patientAnswered = false;
    server.use(
      http.get(`${EPIC_BASE}/Patient/${EPIC_PATIENT}`, async () => {
        patientRequested++;
        await gate;
        patientAnswered = true;
      }),
    );
    const iss = issuer('epic', EPIC_BASE, { observationCategoryRequired: true });
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, iss);
    const withBanner = { ...session, context: { ...session.context, needPatientBanner: true } };
    const searches = buildRequestPlan(withBanner.context, iss).filter((spec) => !spec.read);
    expect(searches.length).toBeGreaterThan(5);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <App connect={() => Promise.resolve(withBanner)} />
      </QueryClientProvider>,
    );

    // Every search of the plan arrives at the EHR while the Patient read is still held.
    const searchesSeen = () =>
      ehr.requests.filter((u) => {
        const path = new URL(u).pathname;
        return !path.includes('/Patient/') && !path.includes('/Binary/');
      });
    await waitFor(() => expect(searchesSeen().length).toBeGreaterThanOrEqual(searches.length), {
      timeout: 3000,
    });
    for (const spec of searches) {
      expect(ehr.requests.some((u) => u.includes(`/${spec.resourceType}?`))).toBe(true);
    }
    expect(patientRequested).toBe(1);
    expect(patientAnswered).toBe(false);
    expect(screen.getByTestId('patient-banner-loading')).toBeTruthy();

    act(() => release());
    await waitFor(() => screen.getByTestId('patient-banner'), { timeout: 3000 });
    await waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 3000 });
    expect(patientAnswered).toBe(true);
    // One read, one wave: the Patient read was not repeated.
    expect(patientRequested).toBe(1);
  });

  it('startPlan sends the whole plan before anything renders, and the screen then sends none of it again', async () => {
    const ehr = epicRecord();
    const iss = issuer('epic', EPIC_BASE, { observationCategoryRequired: true });
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, iss);
    const plan = buildRequestPlan(session.context, iss);
    const client = createAppQueryClient();
    startPlan(client, session);
    // Nothing rendered: the plan's requests (a few per task) all reach the EHR.
    const planRequests = () => ehr.requests.filter((u) => !new URL(u).pathname.includes('/Binary/')).length;
    await waitFor(() => expect(planRequests()).toBe(plan.length), { timeout: 3000 });
    render(
      <QueryClientProvider client={client}>
        <App connect={() => Promise.resolve(session)} />
      </QueryClientProvider>,
    );
    await waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 3000 });
    expect(planRequests()).toBe(plan.length);
    for (const spec of plan) expect(ehr.count(spec.resourceType)).toBeGreaterThanOrEqual(1);
  });
});
