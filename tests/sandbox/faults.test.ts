import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { fixtureScenarios } from './fixture';
import { APP_ORIGIN, ehrLaunchToken } from './smart-client';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios: fixtureScenarios(),
    adminApi: true,
  });
  token = (await ehrLaunchToken(sandbox, 'pat-a')).access_token;
});
afterAll(() => sandbox?.close());
afterEach(() => {
  sandbox.setFaultPlan([]);
  sandbox.setLatency(0);
});

const get = (path: string) =>
  fetch(`${sandbox.fhirBaseUrl}/${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('fault injection', () => {
  it('500 for matching requests only, `times` of them after `skip`', async () => {
    sandbox.setFaultPlan([
      { kind: '500', match: { resourceType: 'Observation', method: 'GET' }, skip: 1, times: 2 },
    ]);
    expect((await get('Patient/pat-a')).status).toBe(200); // not matching
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('Observation?patient=pat-a&_count=1')).status);
    expect(statuses).toEqual([200, 500, 500, 200]);
  });

  it('500 answers with an OperationOutcome', async () => {
    sandbox.setFaultPlan([{ kind: '500' }]);
    const res = await get('Patient/pat-a');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('429 with Retry-After', async () => {
    sandbox.setFaultPlan([{ kind: '429', retryAfterSeconds: 7, times: 1 }]);
    const res = await get('Patient/pat-a');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect((await get('Patient/pat-a')).status).toBe(200);
  });

  it('slow delays by delayMs; latency delays every request', async () => {
    sandbox.setFaultPlan([{ kind: 'slow', delayMs: 150, match: { pathIncludes: 'Patient/pat-a' } }]);
    let t = performance.now();
    expect((await get('Patient/pat-a')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    sandbox.setFaultPlan([]);
    sandbox.setLatency(100);
    t = performance.now();
    await get('Patient/pat-a');
    expect(performance.now() - t).toBeGreaterThanOrEqual(90);
  });

  it('truncate sends half of the JSON body', async () => {
    sandbox.setFaultPlan([{ kind: 'truncate', times: 1 }]);
    const res = await get('Patient/pat-a');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{"resourceType":"Patient"')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
    const whole = await (await get('Patient/pat-a')).text();
    expect(text.length).toBe(Math.floor(whole.length / 2));
  });

  it('expired-token answers 401 "token expired" even with a valid token', async () => {
    sandbox.setFaultPlan([{ kind: 'expired-token', times: 1 }]);
    const res = await get('Patient/pat-a');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { resourceType: string; issue: { details: { text: string } }[] };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.details.text).toBe('token expired');
  });

  it('the admin API replaces and shows the plan, sets latency, and resets', async () => {
    const admin = (path: string, body?: unknown) =>
      fetch(`${sandbox.baseUrl}/__sandbox/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sandbox.adminToken ?? ''}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await admin('faults', [{ kind: 'teapot' }])).status).toBe(400);
    expect((await admin('faults', [{ kind: '500', match: { resourceType: 'Condition' } }])).status).toBe(200);
    expect(await (await admin('faults')).json()).toEqual([
      { kind: '500', match: { resourceType: 'Condition' } },
    ]);
    expect((await get('Condition?patient=pat-a')).status).toBe(500);
    expect(await (await fetch(`${sandbox.baseUrl}/`)).text()).toContain('Condition');
    expect((await admin('latency', { ms: 5 })).status).toBe(200);
    expect(await (await fetch(`${sandbox.baseUrl}/`)).text()).toContain('5 ms');
    expect((await admin('reset', {})).status).toBe(200);
    expect(await (await admin('faults')).json()).toEqual([]);
    expect((await get('Condition?patient=pat-a')).status).toBe(200);
  });

  it('the admin API is off unless enabled', async () => {
    const plain = await startSandbox({
      port: 0,
      appLaunchUrl: `${APP_ORIGIN}/launch/`,
      allowedRedirectOrigins: [APP_ORIGIN],
      scenarios: [],
    });
    try {
      const res = await fetch(`${plain.baseUrl}/__sandbox/faults`, { method: 'POST', body: '[]' });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
