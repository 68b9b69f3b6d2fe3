import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/fhir/load-timeline';
import { buildRequestPlan } from '../../src/fhir/queries';
import {
  CODE_SET_72,
  ORACLE_BASE,
  ORACLE_PATIENT,
  oracleLab,
  oraclePatient,
  oracleRadiologyReport,
  oracleTace,
} from '../fixtures/oracle/resources';
import { fakeEhr, issuer, testSession } from './fake-ehr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// Millennium event codes for AFP and albumin at this (synthetic) site: mapped by the issuer, not in codes.ts.
const LOCAL_AFP = '2700655';
const LOCAL_ALB = '2700701';
const ORACLE = issuer('oracle', ORACLE_BASE, {
  maxCount: { Observation: 200, DiagnosticReport: 100 },
  procedureCodeSearch: false,
  extraLabCodes: { afp: [`${CODE_SET_72}|${LOCAL_AFP}`], albumin: [`${CODE_SET_72}|${LOCAL_ALB}`] },
});
const context = {
  serverUrl: ORACLE_BASE,
  patientId: ORACLE_PATIENT,
  encounterId: undefined,
  fhirUser: undefined,
  needPatientBanner: true,
};

describe('Oracle Health-shaped EHR', () => {
  it('plan: _count per issuer, local codes added, Procedure without code', () => {
    // Percent-encoded on the wire (queries.ts); asserted here as the server reads them, decoded.
    const plan = buildRequestPlan(context, ORACLE).map((s) => ({ ...s, url: decodeURIComponent(s.url) }));
    const afp = plan.find((s) => s.key === 'labs:afp');
    expect(afp?.url).toContain(`${CODE_SET_72}|${LOCAL_AFP}`);
    expect(afp?.url).toContain('_count=200');
    expect(afp?.url).not.toContain('category=');
    expect(plan.find((s) => s.key === 'reports')?.url).toContain('_count=100');
    expect(plan.find((s) => s.key === 'reports')?.url).toContain(
      'category=http://loinc.org|LP29684-5,http://terminology.hl7.org/CodeSystem/v2-0074|RAD',
    );
    const proc = plan.find((s) => s.key === 'procedures');
    expect(proc?.url).not.toContain('code=');
    expect(proc?.url).toContain('_count=100'); // default
    expect(plan.find((s) => s.key === 'medication-requests')?.url).toContain(
      '_include=MedicationRequest:medication',
    );
    expect(plan.find((s) => s.key === 'disease-status')?.url).toContain('code=http://loinc.org|97509-4');
  });

  it('rejects invalid issuer options with the path named', () => {
    const bad = issuer('oracle', ORACLE_BASE, { extraLabCodes: { afp: ['no-bar'] } });
    expect(() => buildRequestPlan(context, bad)).toThrow(/options\.extraLabCodes\.afp\.0/);
  });

  it('reads local-coded labs, pages by next link, fetches Binary narratives with Accept', async () => {
    const labs = [
      ...Array.from({ length: 230 }, (_, i) =>
        oracleLab(
          LOCAL_AFP,
          'AFP Tumor Marker',
          10 + i,
          'ng/mL',
          new Date(Date.UTC(2021, 0, 1) + i * 7 * 86_400_000).toISOString(),
        ),
      ),
      oracleLab(LOCAL_ALB, 'Albumin Lvl', 3.4, 'g/dL', '2026-05-01T10:00:00Z'),
      oracleLab('2700720', 'Bilirubin Total', 1.0, 'mg/dL', '2026-05-01T10:00:00Z', '1975-2'),
    ];
    const html =
      '<html><body><p>IMPRESSION: mRECIST: progressive disease. New 2.1 cm lesion in segment VI.</p></body></html>';
    const report = oracleRadiologyReport('2026-05-20', 'TR-1');
    const ehr = fakeEhr({
      base: ORACLE_BASE,
      patientId: ORACLE_PATIENT,
      patient: oraclePatient(),
      resources: [...labs, report, oracleTace('2026-04-01')],
      flavor: 'oracle',
      defaultCount: 10,
      binaries: { 'TR-1': { contentType: 'text/html', body: html } },
    });
    const accepts: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/Binary/')) accepts.push(request.headers.get('accept') ?? '');
    });
    server.use(...ehr.handlers);
    const { session } = testSession(ORACLE_BASE, ORACLE_PATIENT, ORACLE);
    const { timeline, queries } = await loadTimeline(session, { asOf: '2026-07-01' });
    server.events.removeAllListeners();

    expect(timeline.labs.afp).toHaveLength(230);
    expect(timeline.labs.albumin?.[0]?.value).toBeCloseTo(3.4);
    expect(timeline.labs.bilirubin).toHaveLength(1);
    expect(queries.find((q) => q.key === 'labs:afp')).toMatchObject({ pages: 2, resourceCount: 230 });
    expect(accepts).toEqual(['text/html']);
    expect(ehr.count('Binary')).toBe(1);
    expect(timeline.imaging.length).toBeGreaterThanOrEqual(1);
    expect(timeline.dataIssues.some((i) => i.reason.includes('was not fetched'))).toBe(false);
    expect(timeline.treatments).toHaveLength(1);
    // 1 patient + 12 labs + 7 other searches (imaging notes: DocumentReference) + 1 extra AFP page + 1 Binary.
    expect(ehr.requests).toHaveLength(1 + 12 + 7 + 1 + 1);
  });
});
