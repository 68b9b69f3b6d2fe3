/**
 * Security review findings on the sandbox (issue 11, item 6): batch entries bypassing the compartment checks,
 * scopes beyond the client's registration, refresh-token rotation and replay, authorization-code replay,
 * reusable launch ids, CSRF on the admin API, malformed URLs, security headers and source maps.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../../sandbox/app-server';
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
let tokenA: string; // patient A, patient/*.cruds
let tokenB: string; // patient B, patient/*.rs

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios: fixtureScenarios(),
    adminApi: true,
  });
  tokenA = (await ehrLaunchToken(sandbox, 'pat-a', 'launch patient/*.cruds')).access_token;
  tokenB = (await ehrLaunchToken(sandbox, 'pat-b', 'launch patient/*.rs')).access_token;
});
afterAll(() => sandbox?.close());

const fhir = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${sandbox.fhirBaseUrl}/${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/fhir+json',
      ...(init.headers ?? {}),
    },
  });

const postBundle = (token: string, type: 'batch' | 'transaction', entry: Bundle['entry']) =>
  fhir('', token, { method: 'POST', body: JSON.stringify({ resourceType: 'Bundle', type, entry }) });

const refresh = (form: Record<string, string>) =>
  fetch(`${sandbox.baseUrl}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', ...form }),
  });

describe('batch and transaction entries pass the top-level checks', () => {
  it("patient A's token cannot read patient B's _history through a batch", async () => {
    for (const type of ['batch', 'transaction'] as const) {
      for (const url of [
        'Patient/pat-b/_history',
        'Observation/pat-b-bili-1/_history',
        'Observation/_history',
      ]) {
        const res = await postBundle(tokenA, type, [{ request: { method: 'GET', url } }]);
        const text = await res.text();
        // B's data: the family name, lab values, B's subject references.
        expect(text, `${type} GET ${url}`).not.toMatch(/Beta|valueQuantity|"reference":"Patient\/pat-b"/);
        expect(res.status, `${type} GET ${url}`).toBeGreaterThanOrEqual(400);
      }
    }
    // A's own history is still readable.
    const own = await postBundle(tokenA, 'batch', [
      { request: { method: 'GET', url: 'Patient/pat-a/_history' } },
    ]);
    expect(own.status).toBe(200);
    const body = (await own.json()) as Bundle;
    expect((body.entry?.[0]?.resource as Bundle).entry?.length).toBeGreaterThan(0);
  });

  it("a batch DELETE or PUT cannot alter patient B's data", async () => {
    const del = await postBundle(tokenA, 'batch', [
      { request: { method: 'DELETE', url: 'Observation/pat-b-bili-2' } },
    ]);
    expect(del.status).toBe(403);
    expect((await fhir('Observation/pat-b-bili-2', tokenB)).status).toBe(200);

    // Takeover: B's Observation rewritten as A's.
    const takeover: Observation = {
      resourceType: 'Observation',
      id: 'pat-b-bili-3',
      status: 'cancelled',
      code: { text: 'overwritten' },
      subject: { reference: 'Patient/pat-a' },
    };
    const put = await postBundle(tokenA, 'transaction', [
      { resource: takeover, request: { method: 'PUT', url: 'Observation/pat-b-bili-3' } },
    ]);
    expect(put.status).toBe(403);
    const after = (await (await fhir('Observation/pat-b-bili-3', tokenB)).json()) as Observation;
    expect(after.status).toBe('final');
    expect(after.subject?.reference).toBe('Patient/pat-b');

    // Conditional delete by search would reach B's data without a compartment check: refused.
    const conditional = await postBundle(tokenA, 'batch', [
      { request: { method: 'DELETE', url: 'Observation?subject=Patient/pat-b' } },
    ]);
    expect(conditional.status).toBe(400);
    expect((await fhir('Observation/pat-b-bili-4', tokenB)).status).toBe(200);
  });
});

describe('authorization server', () => {
  it("scopes granted never exceed the client's registration (no user/*.* for the public client)", async () => {
    const token = await ehrLaunchToken(sandbox, 'pat-a', 'launch user/*.* user/Observation.rs patient/*.rs');
    expect(token.scope.split(' ')).toEqual(['launch', 'patient/*.rs']);
    expect((await fhir('Patient/pat-b', token.access_token)).status).toBe(403);
    expect((await fhir('Patient/pat-a', token.access_token)).status).toBe(200);
  });

  it('refresh tokens rotate, need client_id, and reuse of an old one revokes the family', async () => {
    const first = await ehrLaunchToken(sandbox, 'pat-a', 'launch online_access patient/*.rs');
    const r0 = first.refresh_token ?? '';
    expect(r0).toBeTruthy();

    const noClient = await refresh({ refresh_token: r0 });
    expect(noClient.status).toBe(400);
    expect(((await noClient.json()) as { error: string }).error).toBe('invalid_request');

    const res1 = await refresh({ refresh_token: r0, client_id: 'tace-navigator' });
    expect(res1.status).toBe(200);
    const second = (await res1.json()) as TokenResponse;
    const r1 = second.refresh_token ?? '';
    expect(r1).toBeTruthy();
    expect(r1).not.toBe(r0);
    expect((await fhir('Patient/pat-a', second.access_token)).status).toBe(200);

    // The old token again: refused, and everything issued from this grant is revoked.
    const replay = await refresh({ refresh_token: r0, client_id: 'tace-navigator' });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await refresh({ refresh_token: r1, client_id: 'tace-navigator' })).status).toBe(400);
    expect((await fhir('Patient/pat-a', second.access_token)).status).toBe(401);
    expect((await fhir('Patient/pat-a', first.access_token)).status).toBe(401);
    // Other grants are untouched.
    expect((await fhir('Patient/pat-a', tokenA)).status).toBe(200);
  });

  it('a replayed authorization code revokes the tokens it issued (RFC 6749 §4.1.2)', async () => {
    const launch = await mintLaunch(sandbox.baseUrl, 'pat-a');
    const { verifier, challenge } = pkce();
    const code = await getCode(
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
        scope: 'launch online_access patient/*.rs',
        challenge,
        launch,
      }),
    );
    const ok = await exchange(sandbox.baseUrl, { code, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const issued = (await ok.json()) as TokenResponse;
    expect((await fhir('Patient/pat-a', issued.access_token)).status).toBe(200);

    const again = await exchange(sandbox.baseUrl, { code, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await fhir('Patient/pat-a', issued.access_token)).status).toBe(401);
    const refreshed = await refresh({
      refresh_token: issued.refresh_token ?? '',
      client_id: 'tace-navigator',
    });
    expect(refreshed.status).toBe(400);
  });

  it('a launch id is single-use', async () => {
    const launch = await mintLaunch(sandbox.baseUrl, 'pat-a');
    const url = () =>
      authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, {
        scope: 'launch patient/*.rs',
        challenge: pkce().challenge,
        launch,
      });
    expect(await getCode(url())).toBeTruthy();
    const second = await fetch(url(), { redirect: 'manual' });
    expect(second.status).toBe(302);
    const location = new URL(second.headers.get('location') ?? '');
    expect(location.searchParams.get('code')).toBeNull();
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('admin API', () => {
  const admin = (headers: Record<string, string>, body = '{"ms": 7}') =>
    fetch(`${sandbox.baseUrl}/__sandbox/latency`, { method: 'POST', headers, body });
  const bearer = () => ({ Authorization: `Bearer ${sandbox.adminToken ?? ''}` });

  it('refuses a cross-origin text/plain POST (CSRF), requests without the token, and non-JSON bodies', async () => {
    // What a form or fetch from another site can send without a preflight.
    const csrf = await admin({ 'Content-Type': 'text/plain', Origin: 'http://evil.example' });
    expect(csrf.status).toBeGreaterThanOrEqual(400);
    expect(sandbox.adminToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // Even knowing the token: another origin, or a non-JSON type, is refused.
    expect(
      (await admin({ ...bearer(), 'Content-Type': 'application/json', Origin: 'http://evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (await admin({ ...bearer(), 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }))
        .status,
    ).toBe(403);
    expect((await admin({ ...bearer(), 'Content-Type': 'text/plain' })).status).toBe(415);
    // Without the token, or with a wrong one.
    expect((await admin({ 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await admin({ 'Content-Type': 'application/json', Authorization: 'Bearer nope' })).status).toBe(
      401,
    );
    expect((await fetch(`${sandbox.baseUrl}/__sandbox/faults`)).status).toBe(401);
    expect(await (await fetch(`${sandbox.baseUrl}/`)).text()).not.toContain('7 ms');

    // The token, JSON, and no Origin (scripts) or the sandbox's own origin (its pages): accepted.
    expect((await admin({ ...bearer(), 'Content-Type': 'application/json' })).status).toBe(200);
    const sameOrigin = await admin(
      {
        'X-Sandbox-Admin-Token': sandbox.adminToken ?? '',
        'Content-Type': 'application/json',
        Origin: sandbox.baseUrl,
      },
      '{"ms": 0}',
    );
    expect(sameOrigin.status).toBe(200);
  });
});

describe('HTTP hygiene', () => {
  it('a malformed URL is a 400 on the sandbox, and the server keeps serving', async () => {
    const bad = await fetch(`${sandbox.baseUrl}/%E0%A4%A`);
    expect(bad.status).toBe(400);
    const fhirBad = await fhir('Patient/%E0%A4%A', tokenA);
    expect(fhirBad.status).toBe(400);
    expect((await fhir('Patient/pat-a', tokenA)).status).toBe(200);
  });

  it('security headers on every sandbox response, including 404s and errors', async () => {
    const responses = [
      await fetch(`${sandbox.baseUrl}/no-such-page`),
      await fetch(`${sandbox.baseUrl}/%E0%A4%A`),
      await fhir('Patient/pat-b', tokenA),
      await fetch(`${sandbox.fhirBaseUrl}/Patient/pat-a`),
      await fetch(`${sandbox.baseUrl}/`),
    ];
    for (const res of responses) {
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), res.url).toContain("default-src 'none'");
      expect(res.headers.get('referrer-policy'), res.url).toBe('no-referrer');
    }
  });

  describe('app server (--app dist)', () => {
    let root: string;
    let app: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'tace-app-'));
      await mkdir(join(root, 'assets'));
      await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
      await writeFile(join(root, 'assets', 'app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map');
      await writeFile(join(root, 'assets', 'app.js.map'), '{"version":3,"sources":["secret.ts"]}');
      app = await startAppServer({ root, port: 0, fhirOrigins: [sandbox.baseUrl] });
    });
    afterAll(async () => {
      await app?.close();
      await rm(root, { recursive: true, force: true });
    });

    it('answers a malformed URL with 400 instead of crashing', async () => {
      const res = await fetch(`${app.url}%E0%A4%A`, { signal: AbortSignal.timeout(3000) });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await fetch(app.url)).status).toBe(200);
    });

    it('does not serve source maps, and 404s carry the security headers', async () => {
      expect((await fetch(`${app.url}assets/app.js`)).status).toBe(200);
      const map = await fetch(`${app.url}assets/app.js.map`);
      expect(map.status).toBe(404);
      expect(await map.text()).not.toContain('secret.ts');
      const missing = await fetch(`${app.url}nothing-here.js`);
      for (const res of [map, missing]) {
        expect(res.status).toBe(404);
        expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      }
    });

    it('the production build emits no source maps (vite.config.ts build.sourcemap)', async () => {
      const config = await readFile(join(import.meta.dirname, '../../vite.config.ts'), 'utf8');
      expect(config).toMatch(/\bsourcemap:\s*false\b/);
    });
  });
});
