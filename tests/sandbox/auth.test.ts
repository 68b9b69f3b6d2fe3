import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { fixtureScenarios } from './fixture';
import {
  APP_ORIGIN,
  authorizeUrl,
  ehrLaunchToken,
  exchange,
  getCode,
  mintLaunch,
  pkce,
  type TokenResponse,
} from './smart-client';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios: fixtureScenarios(),
  });
});
afterAll(() => sandbox?.close());

const fhir = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${sandbox.fhirBaseUrl}/${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });

describe('SMART authorization', () => {
  it('EHR launch → authorize → token with PKCE S256 returns the launch context', async () => {
    const token = await ehrLaunchToken(
      sandbox,
      'pat-a',
      'launch openid fhirUser offline_access patient/*.rs bogus/scope',
    );
    expect(token.token_type).toBe('Bearer');
    expect(token.patient).toBe('pat-a');
    expect(token.encounter).toBe('pat-a-enc');
    expect(token.need_patient_banner).toBe(true);
    expect(token.scope.split(' ')).toEqual([
      'launch',
      'openid',
      'fhirUser',
      'offline_access',
      'patient/*.rs',
    ]);
    expect(token.expires_in).toBe(3600);
    const claims = decodeJwt(token.access_token);
    expect(claims.iss).toBe(sandbox.baseUrl);
    expect(claims.aud).toBe(sandbox.fhirBaseUrl);
    expect(claims.patient).toBe('pat-a');
    expect(decodeJwt(token.id_token ?? '').fhirUser).toBe(`${sandbox.fhirBaseUrl}/Practitioner/dr-sandbox`);
    expect(token.refresh_token).toBeTruthy();

    const res = await fetch(`${sandbox.baseUrl}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: token.refresh_token ?? '',
        client_id: 'tace-navigator',
      }),
    });
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as TokenResponse;
    expect(refreshed.patient).toBe('pat-a');
    expect((await fhir('Patient/pat-a', refreshed.access_token)).status).toBe(200);
  });

  it('rejects a bad verifier and a reused code with invalid_grant', async () => {
    const launch = await mintLaunch(sandbox.baseUrl, 'pat-a');
    const { verifier, challenge } = pkce();
    const code = await getCode(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, { scope: 'launch patient/*.rs', challenge, launch }),
    );
    const bad = await exchange(sandbox.baseUrl, { code, code_verifier: `${verifier}x` });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });

    // Launch ids are single-use: every authorization gets a fresh one.
    const launch2 = await mintLaunch(sandbox.baseUrl, 'pat-a');
    const code2 = await getCode(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
        scope: 'launch patient/*.rs',
        challenge,
        launch: launch2,
      }),
    );
    expect((await exchange(sandbox.baseUrl, { code: code2, code_verifier: verifier })).status).toBe(200);
    const reused = await exchange(sandbox.baseUrl, { code: code2, code_verifier: verifier });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    const launch3 = await mintLaunch(sandbox.baseUrl, 'pat-a');
    const code3 = await getCode(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
        scope: 'launch patient/*.rs',
        challenge,
        launch: launch3,
      }),
    );
    const wrongClient = await exchange(sandbox.baseUrl, {
      code: code3,
      code_verifier: verifier,
      client_id: 'someone-else',
    });
    expect(wrongClient.status).toBe(400);
    expect(await wrongClient.json()).toMatchObject({ error: 'invalid_client' });
    const noVerifier = await exchange(sandbox.baseUrl, { code: 'x' });
    expect(await noVerifier.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses plain PKCE, a wrong aud, and an unregistered redirect origin', async () => {
    const { challenge } = pkce();
    const plain = await fetch(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
        scope: 'launch/patient',
        challenge,
        method: 'plain',
      }),
      { redirect: 'manual' },
    );
    expect(plain.status).toBe(302);
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('code')).toBeNull();

    const aud = await fetch(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
        scope: 'launch/patient',
        challenge,
        aud: 'https://evil.example/fhir',
      }),
      { redirect: 'manual' },
    );
    expect(new URL(aud.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');

    const url = new URL(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, { scope: 'launch/patient', challenge }),
    );
    url.searchParams.set('redirect_uri', 'https://evil.example/cb');
    const evil = await fetch(url, { redirect: 'manual' });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('location')).toBeNull();
    expect(await evil.text()).toContain('not registered');
  });

  it('standalone launch shows a patient picker whose choice becomes the token patient', async () => {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
      scope: 'launch/patient patient/Observation.read',
      challenge,
    });
    const picker = await fetch(url, { redirect: 'manual' });
    expect(picker.status).toBe(200);
    const page = await picker.text();
    expect(page).toContain('data-testid="pick-pat-b"');
    const href = /data-testid="pick-pat-b" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&#38;', '&') ?? '';
    const code = await getCode(`${sandbox.baseUrl}${href}`);
    const res = await exchange(sandbox.baseUrl, { code, code_verifier: verifier });
    const token = (await res.json()) as TokenResponse;
    expect(token.patient).toBe('pat-b');
    expect(token.encounter).toBeUndefined();
    // v1 Observation.read grants Observation only.
    expect((await fhir('Observation/pat-b-bili-1', token.access_token)).status).toBe(200);
    expect((await fhir('Patient/pat-b', token.access_token)).status).toBe(403);
  });

  it('publishes the JWKS and the SMART configuration (both paths)', async () => {
    const jwks = (await (await fetch(`${sandbox.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: { kty: string }[];
    };
    expect(jwks.keys[0]?.kty).toBe('EC');
    for (const url of [
      `${sandbox.baseUrl}/.well-known/smart-configuration`,
      `${sandbox.fhirBaseUrl}/.well-known/smart-configuration`,
    ]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const config = (await res.json()) as Record<string, unknown>;
      expect(config.authorization_endpoint).toBe(`${sandbox.baseUrl}/authorize`);
      expect(config.token_endpoint).toBe(`${sandbox.baseUrl}/token`);
      expect(config.code_challenge_methods_supported).toEqual(['S256']);
      expect(config.capabilities).toEqual(
        expect.arrayContaining(['launch-ehr', 'launch-standalone', 'permission-v2']),
      );
    }
  });
});

describe('enforcement on /fhir', () => {
  it('401 with an OperationOutcome without a token and with an expired one', async () => {
    const none = await fhir('Patient/pat-a');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ resourceType: 'OperationOutcome' });

    const shortLived = await startSandbox({
      port: 0,
      appLaunchUrl: `${APP_ORIGIN}/launch/`,
      allowedRedirectOrigins: [APP_ORIGIN],
      scenarios: fixtureScenarios(),
      tokenLifetimeSeconds: 0,
    });
    try {
      const token = await ehrLaunchToken(shortLived, 'pat-a');
      const res = await fetch(`${shortLived.fhirBaseUrl}/Patient/pat-a`, {
        headers: { Authorization: `Bearer ${token.access_token}` },
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { resourceType: string; issue: { details: { text: string } }[] };
      expect(body.resourceType).toBe('OperationOutcome');
      expect(body.issue[0]?.details.text).toBe('token expired');
    } finally {
      await shortLived.close();
    }
    // A token from another server (signature does not verify) is refused too.
    expect((await fhir('Patient/pat-a', 'e30.e30.e30')).status).toBe(401);
  });

  it('patient A’s token reads A’s data and gets 403 for B’s', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'pat-a');
    expect((await fhir('Observation/pat-a-bili-1', token)).status).toBe(200);
    const other = await fhir('Observation/pat-b-bili-1', token);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect((await fhir('Patient/pat-b', token)).status).toBe(403);
    expect((await fhir('Observation?patient=pat-b', token)).status).toBe(403);
    expect((await fhir('Observation?subject=Patient/pat-b', token)).status).toBe(403);
    // A search without a patient is limited to the token's patient.
    const all = (await (await fhir('Observation?_count=200', token)).json()) as {
      total: number;
      entry: { resource: { subject: { reference: string } } }[];
    };
    expect(all.total).toBe(36);
    expect(new Set(all.entry.map((e) => e.resource.subject.reference))).toEqual(new Set(['Patient/pat-a']));
    // Shared resources (no patient compartment) are readable.
    expect((await fhir('Practitioner/dr-sandbox', token)).status).toBe(200);
  });

  it('403 when the scopes do not grant the interaction', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'pat-a', 'launch patient/Observation.rs');
    expect((await fhir('Observation/pat-a-bili-1', token)).status).toBe(200);
    expect((await fhir('Condition?patient=pat-a', token)).status).toBe(403);
    const write = await fhir('Observation', token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'x' },
        subject: { reference: 'Patient/pat-a' },
      }),
    });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});
