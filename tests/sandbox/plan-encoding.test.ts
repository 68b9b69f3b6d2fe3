/**
 * The request plan as the app sends it (every search value percent-encoded: `http%3A%2F%2Floinc.org%7C1751-7`)
 * against the sandbox's FHIR server: the encoded form finds the same resources as the raw form, and the paged
 * `next` links the server builds from it still work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuerSchema } from '../../src/config/issuers';
import { createSession } from '../../src/fhir/client';
import { loadAll } from '../../src/fhir/fetch-queries';
import { buildRequestPlan } from '../../src/fhir/queries';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { ALBUMIN, BILIRUBIN, LOINC, fixtureScenarios } from './fixture';
import { APP_ORIGIN, ehrLaunchToken } from './smart-client';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios: fixtureScenarios(),
  });
  token = (await ehrLaunchToken(sandbox, 'pat-a', 'launch openid fhirUser patient/*.rs')).access_token;
});
afterAll(() => sandbox?.close());

describe('the encoded request plan against the sandbox', () => {
  it('answers encoded system|code lists like raw ones', async () => {
    const raw = `Observation?patient=pat-a&code=${LOINC}|${ALBUMIN},${LOINC}|${BILIRUBIN}&_count=200`;
    const encoded = `Observation?patient=pat-a&code=${encodeURIComponent(`${LOINC}|${ALBUMIN}`)},${encodeURIComponent(`${LOINC}|${BILIRUBIN}`)}&_count=200`;
    const totals = await Promise.all(
      [raw, encoded].map(async (path) => {
        const res = await fetch(`${sandbox.fhirBaseUrl}/${path}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { total?: number }).total;
      }),
    );
    expect(totals).toEqual([24, 24]);
  });

  it('every plan search answers, the coded ones find their results, and paging follows', async () => {
    const issuer = issuerSchema.parse({
      id: 'sandbox-test',
      displayName: 'Sandbox test',
      ehr: 'sandbox',
      issMatch: { exact: sandbox.fhirBaseUrl },
      clientId: 'tace-navigator',
      options: { maxCount: { Observation: 5 } },
    });
    const context = {
      serverUrl: sandbox.fhirBaseUrl,
      patientId: 'pat-a',
      encounterId: undefined,
      fhirUser: undefined,
      needPatientBanner: true,
    };
    const session = createSession({ context, issuer, authorization: () => `Bearer ${token}` });
    const outcomes = await loadAll(session, buildRequestPlan(context, issuer));
    const failed = [...outcomes].filter(([, o]) => o.status !== 'ok').map(([key]) => key);
    expect(failed).toEqual([]);
    const result = (key: string) => {
      const o = outcomes.get(key);
      return o?.status === 'ok' ? o.result : undefined;
    };
    expect(result('labs:albumin')?.resources).toHaveLength(12);
    expect(result('labs:albumin')?.pages).toBe(3); // 5 + 5 + 2: the server's next links carry the codes
    expect(result('labs:bilirubin')?.resources).toHaveLength(12);
    expect(result('labs:afp')?.resources).toHaveLength(12);
  });
});
