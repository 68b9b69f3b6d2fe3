/**
 * The whole review screen (jsdom) over the msw fake EHR: what the first screen says when the record holds no
 * hepatocellular carcinoma diagnosis, and when the searches the criteria depend on return nothing at all.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { CRITERION_MAY_NOT_APPLY } from '../../src/engine/index';
import { ReviewScreen } from '../../src/ui/review/review-screen';
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

const server = useMswServer();

const AS_OF = '2026-07-01';
const ISSUER = issuer('epic', EPIC_BASE, { observationCategoryRequired: true });

function renderScreen(resources: Record<string, unknown>[]) {
  const ehr = fakeEhr({
    base: EPIC_BASE,
    patientId: EPIC_PATIENT,
    patient: epicPatient(),
    resources,
    flavor: 'epic',
  });
  server.use(...ehr.handlers);
  const { session } = testSession(EPIC_BASE, EPIC_PATIENT, ISSUER);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ReviewScreen session={session} asOf={AS_OF} />
    </QueryClientProvider>,
  );
  return waitFor(() => screen.getByTestId('timeline-loaded'), { timeout: 5000 });
}

const diabetes = () =>
  epicCondition({
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '44054006' }],
      text: 'Diabetes mellitus type 2',
    },
  });

const liverLabs = () => [
  epicLab('1834-1', 'AFP', 12, 'ng/mL', '2026-06-01T08:00:00Z'),
  epicLab('1751-7', 'ALBUMIN', 3.6, 'g/dL', '2026-06-01T08:00:00Z'),
  epicLab('1975-2', 'BILIRUBIN TOTAL', 1.2, 'mg/dL', '2026-06-01T08:00:00Z'),
];

describe('review screen: applicability and empty searches', () => {
  it('no HCC on the problem list: said first, before the verdicts; each criterion says why; ALBI still shown', async () => {
    const loaded = await renderScreen([
      ...liverLabs(),
      epicTace('2026-03-10'),
      epicImagingReport('2026-04-15', 'mRECIST: partial response. No new hepatic lesions.'),
      diabetes(),
    ]);
    const notice = screen.getByTestId('applicability-notice');
    expect(notice.getAttribute('data-hcc-diagnosis')).toBe('not-found');
    const heading = within(notice).getByRole('heading');
    expect(heading.textContent).toBe(
      'No hepatocellular carcinoma diagnosis found in the record: the criteria below may not apply',
    );
    // The region is named by its heading, and nothing of the review comes before it.
    expect(screen.getByRole('region', { name: heading.textContent ?? '' })).toBe(notice);
    expect(loaded.firstElementChild).toBe(notice);
    expect(notice.textContent).toContain('ICD-10-CM C22.0, SNOMED CT 25370001, ICD-O-3 8170/3');
    // Verdicts and scores are still there; every criterion's detail says it may not apply.
    expect(screen.getByTestId('verdict-strip')).toBeTruthy();
    expect(screen.getAllByText(CRITERION_MAY_NOT_APPLY).length).toBeGreaterThanOrEqual(5);
    expect(screen.getAllByText(/ALBI/).length).toBeGreaterThan(0);
    expect(screen.queryByTestId('empty-notice')).toBeNull();
  });

  it('HCC recorded: no applicability notice', async () => {
    await renderScreen([...liverLabs(), epicTace('2026-03-10'), epicCondition()]);
    expect(screen.queryByTestId('applicability-notice')).toBeNull();
    expect(screen.queryByText(CRITERION_MAY_NOT_APPLY)).toBeNull();
  });

  it('albumin, bilirubin and imaging searches that return nothing: a plain notice beside the verdicts', async () => {
    await renderScreen([
      epicLab('1834-1', 'AFP', 12, 'ng/mL', '2026-06-01T08:00:00Z'),
      epicTace('2026-03-10'),
      epicCondition(),
    ]);
    const notice = screen.getByTestId('empty-notice');
    expect(within(notice).getByTestId('empty-labs').textContent).toBe(
      'No lab results were returned for albumin, bilirubin: if the patient has them, the EHR may code them differently — see the data panel.',
    );
    expect(within(notice).getByTestId('empty-reports').textContent).toMatch(
      /^No imaging reports were returned/,
    );
    expect(within(notice).queryByTestId('empty-procedures')).toBeNull();
    const link = within(notice).getAllByRole('link', { name: 'see the data panel' })[0];
    expect(link?.getAttribute('href')).toBe('#data-status-heading');
    expect(document.getElementById('data-status-heading')).not.toBeNull();
    // The data panel shows what each empty search asked for (decoded), so a site's other codes can be mapped.
    expect(screen.getByTestId('codes-searched-labs:albumin').textContent).toContain(
      'http://loinc.org|1751-7',
    );
    expect(screen.queryByTestId('codes-searched-labs:afp')).toBeNull();
    // Beside the verdicts: right after the first screen (no failure notice here), before the timeline.
    expect(screen.getByTestId('first-screen').nextElementSibling).toBe(notice);
  });
});
