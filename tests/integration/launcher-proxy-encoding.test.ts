/**
 * The SMART Health IT reference launcher serves the FHIR API through a proxy that collapses `//` anywhere in the
 * request URL (path and query) into `/`. With `system|code` values sent raw, `code=http://loinc.org|1834-1` reached
 * the server as `http:/loinc.org|1834-1` and every coded search came back empty. Here the request plan runs through
 * such a proxy (msw) in front of the fake EHR, and the server must still receive the intended tokens.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { searchTokens } from '../../src/fhir/codes';
import { loadAll } from '../../src/fhir/fetch-queries';
import {
  buildRequestPlan,
  encodeSearchValue,
  labCodesFor,
  PLANNED_ANALYTES,
  splitAlternatives,
} from '../../src/fhir/queries';
import {
  EPIC_BASE,
  EPIC_PATIENT,
  epicCondition,
  epicImagingReport,
  epicLab,
  epicPatient,
} from '../fixtures/epic/resources';
import { fakeEhr, issuer, testSession } from './fake-ehr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const PROXY_BASE = 'https://launcher.test/v/r4/fhir';

/** What the launcher's proxy does to the part of the URL after its base: every run of slashes becomes one. */
const collapse = (rest: string) => rest.replace(/\/{2,}/g, '/');

/** A proxy at PROXY_BASE forwarding to `upstream`, collapsing `//`, rewriting the upstream base in bodies. */
function collapsingProxy(upstream: string) {
  return http.get(`${PROXY_BASE}/*`, async ({ request }) => {
    const rest = request.url.slice(PROXY_BASE.length);
    const answer = await fetch(`${upstream}${collapse(rest)}`, { headers: request.headers });
    const body = (await answer.text()).replaceAll(upstream, PROXY_BASE);
    return new HttpResponse(body, { status: answer.status, headers: answer.headers });
  });
}

function chart() {
  return [
    epicLab('1834-1', 'AFP', 120, 'ng/mL', '2026-03-01T08:00:00Z'),
    epicLab('1751-7', 'ALBUMIN', 3.6, 'g/dL', '2026-06-01T08:00:00Z'),
    epicLab('1975-2', 'BILIRUBIN TOTAL', 1.2, 'mg/dL', '2026-06-01T08:00:00Z'),
    epicImagingReport('2026-04-15', 'mRECIST: partial response. No new hepatic lesions.'),
    epicCondition(),
  ];
}

const context = {
  serverUrl: PROXY_BASE,
  patientId: EPIC_PATIENT,
  encounterId: undefined,
  fhirUser: undefined,
  needPatientBanner: true,
};

describe('search values survive a proxy that collapses "//"', () => {
  it('the FHIR server behind the proxy receives the intended system|code values and answers them', async () => {
    const ehr = fakeEhr({
      base: EPIC_BASE,
      patientId: EPIC_PATIENT,
      patient: epicPatient(),
      resources: chart(),
      flavor: 'epic',
    });
    server.use(collapsingProxy(EPIC_BASE), ...ehr.handlers);
    const iss = issuer('epic', PROXY_BASE, { observationCategoryRequired: true });
    const plan = buildRequestPlan(context, iss);
    const { session } = testSession(PROXY_BASE, EPIC_PATIENT, iss);
    const outcomes = await loadAll(session, plan);

    // What the server parsed from each search it received (its own URLSearchParams, i.e. percent-decoded).
    const received = ehr.requests.map((u) => new URL(u).searchParams);
    for (const analyte of PLANNED_ANALYTES) {
      const intended = searchTokens(labCodesFor(iss)[analyte]).join(',');
      expect(received.map((q) => q.get('code'))).toContain(intended);
    }
    expect(received.map((q) => q.get('category'))).toContain(
      'http://loinc.org|LP29684-5,http://terminology.hl7.org/CodeSystem/v2-0074|RAD',
    );
    expect(received.map((q) => q.get('_include'))).toContain('MedicationRequest:medication');

    const count = (key: string) => {
      const o = outcomes.get(key);
      return o?.status === 'ok' ? o.result.resources.length : -1;
    };
    expect(count('labs:afp')).toBe(1);
    expect(count('labs:albumin')).toBe(1);
    expect(count('labs:bilirubin')).toBe(1);
    expect(count('reports')).toBe(1);
    expect(count('conditions')).toBe(1);
  });

  it('no plan URL carries "//" after the base, and each decodes back to its intended values', () => {
    const iss = issuer('oracle', PROXY_BASE, {
      extraLabCodes: { afp: ['https://fhir.cerner.com/ec2458f2/codeSet/72|2700655'] },
    });
    for (const spec of buildRequestPlan(context, iss)) {
      expect(collapse(spec.url)).toBe(spec.url);
      expect(spec.url.split('?')[1] ?? '').not.toMatch(/[|:/]/);
    }
    const afp = buildRequestPlan(context, iss).find((s) => s.key === 'labs:afp');
    const code = new URLSearchParams(afp?.url.split('?')[1]).get('code') ?? '';
    expect(code.split(',')).toEqual(searchTokens(labCodesFor(iss).afp));
    expect(code).toContain('https://fhir.cerner.com/ec2458f2/codeSet/72|2700655');
  });

  it('encodes like encodeURIComponent, keeps the OR comma literal and an escaped comma inside its value', () => {
    expect(encodeSearchValue('http://loinc.org|1834-1')).toBe(encodeURIComponent('http://loinc.org|1834-1'));
    expect(encodeSearchValue('http://loinc.org|1834-1,http://loinc.org|19176-3')).toBe(
      'http%3A%2F%2Floinc.org%7C1834-1,http%3A%2F%2Floinc.org%7C19176-3',
    );
    expect(encodeSearchValue('urn:x|a\\,b,urn:x|c')).toBe('urn%3Ax%7Ca%5C%2Cb,urn%3Ax%7Cc');
    expect(splitAlternatives('urn:x|a\\,b,urn:x|c')).toEqual(['urn:x|a\\,b', 'urn:x|c']);
    // What a server reads after percent-decoding: the FHIR syntax the caller wrote, unchanged.
    expect(decodeURIComponent(encodeSearchValue('urn:x|a\\,b,urn:x|c'))).toBe('urn:x|a\\,b,urn:x|c');
  });
});
