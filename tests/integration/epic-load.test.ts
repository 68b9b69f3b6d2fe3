import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildRequestPlan } from '../../src/fhir/queries';
import { loadTimeline } from '../../src/fhir/load-timeline';
import {
  EPIC_BASE,
  EPIC_PATIENT,
  epicCondition,
  epicImagingReport,
  epicLab,
  epicPatient,
  epicTace,
} from '../fixtures/epic/resources';
import { fakeEhr, issuer, testSession } from './fake-ehr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const EPIC = issuer('epic', EPIC_BASE, { observationCategoryRequired: true });

function epicChart() {
  return [
    epicLab('1834-1', 'AFP', 120, 'ng/mL', '2026-03-01T08:00:00Z'),
    epicLab('1834-1', 'AFP', 410, 'ng/mL', '2026-06-01T08:00:00Z'),
    epicLab('1751-7', 'ALBUMIN', 3.6, 'g/dL', '2026-06-01T08:00:00Z'),
    epicLab('1975-2', 'BILIRUBIN TOTAL', 1.2, 'mg/dL', '2026-06-01T08:00:00Z'),
    epicLab('6301-6', 'INR', 1.1, '{INR}', '2026-06-01T08:00:00Z'),
    epicTace('2026-03-10'),
    epicTace('2026-05-10'),
    epicImagingReport('2026-04-15', 'mRECIST: partial response. No new hepatic lesions.'),
    epicCondition(),
  ];
}

describe('Epic-shaped EHR', () => {
  it('builds the plan with category=laboratory and one search per analyte', () => {
    const plan = buildRequestPlan(
      {
        serverUrl: EPIC_BASE,
        patientId: EPIC_PATIENT,
        encounterId: undefined,
        fhirUser: undefined,
        needPatientBanner: true,
      },
      EPIC,
    );
    const labs = plan.filter((s) => s.key.startsWith('labs:'));
    expect(labs).toHaveLength(12);
    for (const spec of labs) expect(spec.url).toContain('category=laboratory');
    expect(decodeURIComponent(plan.find((s) => s.key === 'labs:afp')?.url ?? '')).toContain(
      'code=http://loinc.org|1834-1,',
    );
    // Epic rejects an Observation search without category: the mCODE status search is left out unless configured.
    expect(plan.map((s) => s.key)).not.toContain('disease-status');
  });

  it('loads labs, TACE sessions, imaging and conditions; 4101 outcomes become warnings', async () => {
    const ehr = fakeEhr({
      base: EPIC_BASE,
      patientId: EPIC_PATIENT,
      patient: epicPatient(),
      resources: epicChart(),
      flavor: 'epic',
    });
    server.use(...ehr.handlers);
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, EPIC);
    const { timeline, queries } = await loadTimeline(session, { asOf: '2026-07-01' });

    expect(timeline.patient).toBeDefined();
    expect(timeline.labs.afp?.map((m) => m.value)).toEqual([120, 410]);
    expect(timeline.labs.albumin?.[0]?.value).toBeCloseTo(3.6);
    expect(timeline.treatments.map((t) => t.kind.startsWith('tace'))).toEqual([true, true]);
    expect(timeline.imaging.length).toBeGreaterThanOrEqual(1);
    expect(timeline.conditions.length).toBe(1);
    expect(queries.every((q) => q.status === 'ok')).toBe(true);
    // One request per plan entry: nothing paged, nothing retried.
    expect(ehr.requests).toHaveLength(queries.length);
    // Analytes with no results: Epic's 4101 outcome is shown as a warning (text only).
    const noResults = timeline.dataIssues.filter((i) =>
      i.reason.includes('Resource request returns no results'),
    );
    expect(noResults.length).toBeGreaterThan(0);
    expect(noResults.every((i) => i.kind === 'warning')).toBe(true);
  });

  it('follows next links across pages (absolute fullUrl/next as Epic sends them)', async () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      epicLab(
        '1751-7',
        'ALBUMIN',
        3 + (i % 10) / 10,
        'g/dL',
        new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString(),
      ),
    );
    const ehr = fakeEhr({
      base: EPIC_BASE,
      patientId: EPIC_PATIENT,
      patient: epicPatient(),
      resources: many,
      flavor: 'epic',
      maxCount: 100,
    });
    server.use(...ehr.handlers);
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, EPIC);
    const { timeline, queries } = await loadTimeline(session, { asOf: '2026-07-01' });
    expect(timeline.labs.albumin).toHaveLength(250);
    expect(queries.find((q) => q.key === 'labs:albumin')).toMatchObject({
      status: 'ok',
      pages: 3,
      resourceCount: 250,
    });
  });
});

describe('report text in result Observations (issue 10, item 3)', () => {
  it('reads an imaging report whose impression is a narrative Observation in `result`, by id', async () => {
    const impression = {
      resourceType: 'Observation',
      id: 'eImpression1',
      status: 'final',
      code: {
        coding: [
          {
            system: 'http://loinc.org',
            code: '19005-8',
            display: 'Radiology Imaging study [Impression] (narrative)',
          },
        ],
      },
      subject: { reference: `Patient/${EPIC_PATIENT}` },
      effectiveDateTime: '2026-04-15',
      valueString:
        'LR-TR Viable. Portal vein invasion: present, tumor thrombus in the right portal vein (Vp3).',
    };
    const report = epicImagingReport('2026-04-15', '', {
      conclusion: undefined,
      result: [{ reference: 'Observation/eImpression1' }],
    });
    const ehr = fakeEhr({
      base: EPIC_BASE,
      patientId: EPIC_PATIENT,
      patient: epicPatient(),
      resources: [...epicChart(), report, impression],
      flavor: 'epic',
    });
    server.use(...ehr.handlers);
    const { session } = testSession(EPIC_BASE, EPIC_PATIENT, EPIC);
    const { timeline, accounting } = await loadTimeline(session, { asOf: '2026-07-01' });
    const assessment = timeline.imaging.find((a) => a.id === report.id);
    expect(assessment?.findings).toContainEqual(
      expect.objectContaining({ type: 'vascular-invasion', presence: 'present', vp: 'Vp3' }),
    );
    expect(ehr.requests.some((u) => u.endsWith('/Observation/eImpression1'))).toBe(true);
    expect(accounting?.Observation?.used).toBeGreaterThan(0);
    expect(timeline.dataIssues.some((i) => i.id === 'eImpression1')).toBe(false);
  });
});
