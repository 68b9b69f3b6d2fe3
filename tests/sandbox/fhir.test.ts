import type { Bundle, CapabilityStatement, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { ALBUMIN, BILIRUBIN, LOINC, fixtureScenarios } from './fixture';
import { APP_ORIGIN, REDIRECT_URI, ehrLaunchToken } from './smart-client';

let sandbox: Sandbox;
let token: string; // patient A, patient/*.cruds
let userToken: string; // user-level, no patient restriction

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios: fixtureScenarios(),
    // The app's client is registered for patient-level access only; user-level needs its own registration.
    clients: [{ id: 'user-client', scope: 'launch user/*.cruds' }],
  });
  token = (await ehrLaunchToken(sandbox, 'pat-a', 'launch openid fhirUser patient/*.cruds')).access_token;
  userToken = (await ehrLaunchToken(sandbox, 'pat-a', 'launch user/*.cruds', REDIRECT_URI, 'user-client'))
    .access_token;
});
afterAll(() => sandbox?.close());

async function fhir<T = Bundle>(
  path: string,
  init: RequestInit & { as?: string } = {},
): Promise<{ status: number; body: T; res: Response }> {
  const url = path.startsWith('http') ? path : `${sandbox.fhirBaseUrl}/${path}`;
  const res = await fetch(url, {
    ...init,
    headers: {
      Authorization: `Bearer ${init.as ?? token}`,
      'Content-Type': 'application/fhir+json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, res };
}

const dateOf = (b: Bundle) => b.entry?.map((e) => (e.resource as Observation).effectiveDateTime) ?? [];

describe('FHIR search', () => {
  it('patient + code (system|code, comma list) + date range + _sort + _count, with a working next link', async () => {
    const q = new URLSearchParams({
      patient: 'pat-a',
      code: `${LOINC}|${BILIRUBIN},${LOINC}|${ALBUMIN}`,
      _sort: '-date',
      _count: '4',
    });
    q.append('date', 'ge2023-03-01');
    q.append('date', 'lt2023-07-01');
    const first = await fhir(`Observation?${q.toString()}`);
    expect(first.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(first.body.total).toBe(8); // March–June × 2 codes
    expect(first.body.entry).toHaveLength(4);
    expect(first.body.entry?.[0]?.fullUrl).toBe(
      `${sandbox.fhirBaseUrl}/Observation/${first.body.entry?.[0]?.resource?.id}`,
    );
    expect(first.body.entry?.every((e) => e.search?.mode === 'match')).toBe(true);
    expect(dateOf(first.body).slice(0, 2)).toEqual(['2023-06-15T08:00:00Z', '2023-06-15T08:00:00Z']);
    expect(first.body.link?.find((l) => l.relation === 'self')).toBeDefined();
    expect(first.body.link?.find((l) => l.relation === 'previous')).toBeUndefined();

    const next = first.body.link?.find((l) => l.relation === 'next')?.url ?? '';
    const second = await fhir(next);
    expect(second.body.entry).toHaveLength(4);
    expect(dateOf(second.body).at(-1)).toBe('2023-03-15T08:00:00Z');
    expect(second.body.link?.find((l) => l.relation === 'next')).toBeUndefined();
    expect(second.body.link?.find((l) => l.relation === 'previous')).toBeDefined();
    const ids = [...(first.body.entry ?? []), ...(second.body.entry ?? [])].map((e) => e.resource?.id);
    expect(new Set(ids).size).toBe(8);
  });

  it('searches by category and subject, caps _count at 200 and defaults to 50', async () => {
    const cat = await fhir(
      'Observation?subject=Patient/pat-a&category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
    );
    expect(cat.body.total).toBe(36);
    expect(cat.body.entry).toHaveLength(36);
    const wide = await fhir('Observation?_count=5000', { as: userToken });
    expect(wide.body.total).toBe(72);
    expect(wide.body.entry).toHaveLength(72);
    expect(wide.body.link?.[0]?.url).toContain('_count=200');
    const dflt = await fhir('Observation', { as: userToken });
    expect(dflt.body.entry).toHaveLength(50);
    expect(dflt.body.link?.find((l) => l.relation === 'next')?.url).toContain('_offset=50');
  });

  it('_include adds referenced resources with search.mode include', async () => {
    const reports = await fhir('DiagnosticReport?patient=pat-a&_include=DiagnosticReport:result');
    expect(reports.body.entry?.filter((e) => e.search?.mode === 'match')).toHaveLength(1);
    const included = reports.body.entry
      ?.filter((e) => e.search?.mode === 'include')
      .map((e) => e.resource?.id);
    expect(included?.sort()).toEqual(['pat-a-alb-3', 'pat-a-bili-3']);
    expect(reports.body.total).toBe(1);

    const meds = await fhir('MedicationRequest?patient=pat-a&_include=MedicationRequest:medication');
    const med = meds.body.entry?.find((e) => e.search?.mode === 'include');
    expect(med?.resource).toMatchObject({ resourceType: 'Medication', id: 'doxorubicin' });
    expect(med?.fullUrl).toBe(`${sandbox.fhirBaseUrl}/Medication/doxorubicin`);
  });
});

describe('FHIR writes', () => {
  const note = (identifier: string) => ({
    resourceType: 'DocumentReference',
    status: 'current',
    identifier: [{ system: 'urn:tace-navigator', value: identifier }],
    type: { coding: [{ system: LOINC, code: '11506-3' }] },
    subject: { reference: 'Patient/pat-a' },
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from('Note').toString('base64'),
        },
      },
    ],
  });

  it('create with If-None-Exist twice gives one resource (201, then 200)', async () => {
    const headers = { 'If-None-Exist': 'identifier=urn:tace-navigator|note-1' };
    const first = await fhir<{ id: string }>('DocumentReference', {
      method: 'POST',
      headers,
      body: JSON.stringify(note('note-1')),
    });
    expect(first.status).toBe(201);
    expect(first.res.headers.get('location')).toMatch(
      new RegExp(`^${sandbox.fhirBaseUrl}/DocumentReference/${first.body.id}/_history/`),
    );
    expect(first.res.headers.get('etag')).toMatch(/^W\/"/);
    const second = await fhir<{ id: string }>('DocumentReference', {
      method: 'POST',
      headers,
      body: JSON.stringify(note('note-1')),
    });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const found = await fhir('DocumentReference?patient=pat-a&identifier=urn:tace-navigator|note-1');
    expect(found.body.total).toBe(1);
  });

  it('rejects invalid resources, bad JSON, and another patient’s data with OperationOutcomes', async () => {
    const invalid = await fhir('DocumentReference', {
      method: 'POST',
      body: JSON.stringify({ ...note('x'), content: undefined, status: 5 }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(JSON.stringify(invalid.body)).toContain('Missing required property');
    const broken = await fhir('DocumentReference', { method: 'POST', body: '{"resourceType":' });
    expect(broken.status).toBe(400);
    const other = await fhir('DocumentReference', {
      method: 'POST',
      body: JSON.stringify({ ...note('y'), subject: { reference: 'Patient/pat-b' } }),
    });
    expect(other.status).toBe(403);
    expect((await fhir('Nonsense/1')).status).toBe(404);
    expect((await fhir('Observation/does-not-exist')).status).toBe(404);
  });

  it('update (PUT) creates a new version', async () => {
    const read = await fhir<Observation>('Observation/pat-a-afp-1');
    const updated = await fhir<Observation>('Observation/pat-a-afp-1', {
      method: 'PUT',
      body: JSON.stringify({ ...read.body, status: 'amended' }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.status).toBe('amended');
    expect(updated.body.meta?.versionId).not.toBe(read.body.meta?.versionId);
  });

  it('processes a transaction bundle with urn:uuid references', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0b3a0c1e-4c55-4a8c-9a3e-6f3f0c7d8e01',
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'AFP' },
            subject: { reference: 'Patient/pat-a' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
        {
          resource: {
            resourceType: 'DiagnosticReport',
            status: 'final',
            code: { text: 'CT' },
            subject: { reference: 'Patient/pat-a' },
            result: [{ reference: 'urn:uuid:0b3a0c1e-4c55-4a8c-9a3e-6f3f0c7d8e01' }],
          },
          request: { method: 'POST', url: 'DiagnosticReport' },
        },
      ],
    };
    const res = await fhir('', { method: 'POST', body: JSON.stringify(bundle) });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    expect(res.body.entry?.map((e) => e.response?.status)).toEqual(['201', '201']);
    const report = res.body.entry?.[1]?.resource as { result: { reference: string }[] };
    const obsId = res.body.entry?.[0]?.resource?.id;
    expect(report.result[0]?.reference).toBe(`Observation/${obsId}`);
  });
});

describe('metadata and launcher', () => {
  it('serves a CapabilityStatement with SMART oauth-uris, no token needed', async () => {
    const res = await fetch(`${sandbox.fhirBaseUrl}/metadata`);
    expect(res.status).toBe(200);
    const cs = (await res.json()) as CapabilityStatement;
    expect(cs.fhirVersion).toBe('4.0.1');
    const security = cs.rest?.[0]?.security;
    expect(security?.service?.[0]?.coding?.[0]?.code).toBe('SMART-on-FHIR');
    const uris = security?.extension?.[0]?.extension ?? [];
    expect(uris.find((e) => e.url === 'authorize')?.valueUri).toBe(`${sandbox.baseUrl}/authorize`);
    expect(uris.find((e) => e.url === 'token')?.valueUri).toBe(`${sandbox.baseUrl}/token`);
    const docRef = cs.rest?.[0]?.resource?.find((r) => r.type === 'DocumentReference');
    expect(docRef?.interaction?.map((i) => i.code)).toContain('create');
    const obs = cs.rest?.[0]?.resource?.find((r) => r.type === 'Observation');
    expect(obs?.searchParam?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['patient', 'code', 'date', 'category']),
    );
  });

  it('answers CORS preflight for /fhir and /token', async () => {
    for (const path of ['/fhir/Observation', '/token']) {
      const res = await fetch(`${sandbox.baseUrl}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toContain('If-None-Exist');
      expect(res.headers.get('access-control-expose-headers')).toContain('Location');
    }
  });

  it('the launcher lists the patients with escaped text and launch controls', async () => {
    const res = await fetch(`${sandbox.baseUrl}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('Alpha, Ann');
    expect(page).toContain('Beta, Bob');
    expect(page).toContain('data-testid="launch-pat-a"');
    expect(page).toContain('data-testid="launch-pat-b"');
    expect(page).toContain('data-testid="standalone-launch"');
    expect(page).toContain('Patient A &#60;test&#62;');
    expect(page).not.toContain('<test>');
    expect(page).toContain(encodeURIComponent(sandbox.fhirBaseUrl));

    const launch = await fetch(`${sandbox.baseUrl}/ehr-launch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'patient=pat-b',
      redirect: 'manual',
    });
    expect(launch.status).toBe(303);
    const location = new URL(launch.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${APP_ORIGIN}/launch/`);
    expect(location.searchParams.get('iss')).toBe(sandbox.fhirBaseUrl);
    expect(location.searchParams.get('launch')).toBeTruthy();
  });
});
