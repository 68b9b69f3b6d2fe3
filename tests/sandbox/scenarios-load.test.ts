/**
 * The real scenarios (sandbox/scenarios) served by the sandbox: every patient is listed and launchable, every
 * resource is valid FHIR R4, and a patient + code search on the long-history patient stays fast.
 * The timing is printed, not asserted tightly (machines differ); the bound only catches a return to full scans.
 */
import { validateResource } from '@medplum/core';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { startSandbox, type Sandbox, type ScenarioPatient } from '../../sandbox/server';
import { APP_ORIGIN, ehrLaunchToken } from './smart-client';

let sandbox: Sandbox;
let scenarios: ScenarioPatient[];

beforeAll(async () => {
  scenarios = buildScenarios();
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios,
  });
});
afterAll(() => sandbox?.close());

describe('the sandbox with the real scenarios', () => {
  it('lists every scenario on the launcher', async () => {
    const page = await (await fetch(`${sandbox.baseUrl}/`)).text();
    for (const s of scenarios) expect(page).toContain(`data-testid="launch-${s.id}"`);
  });

  it('holds only valid resources', () => {
    const problems: string[] = [];
    for (const s of scenarios) {
      for (const r of s.resources) {
        try {
          validateResource(r);
        } catch (error) {
          problems.push(
            `${s.id} ${r.resourceType}/${r.id}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('patient + code search on the long-history patient is fast', async () => {
    const longHistory = scenarios.find((s) => s.id === 'long-history');
    expect(longHistory).toBeDefined();
    const observations =
      longHistory?.resources.filter((r): r is Observation => r.resourceType === 'Observation') ?? [];
    expect(observations.length).toBeGreaterThanOrEqual(5000);
    // The most frequent LOINC code of the patient, and one other.
    const counts = new Map<string, number>();
    for (const o of observations) {
      const c = o.code.coding?.find((x) => x.system === 'http://loinc.org')?.code;
      if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const [top, second] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const token = (await ehrLaunchToken(sandbox, 'long-history')).access_token;
    const url = `${sandbox.fhirBaseUrl}/Observation?patient=long-history&code=http://loinc.org|${top?.[0]},http://loinc.org|${second?.[0]}&_sort=-date&_count=200`;
    const timings: number[] = [];
    let bundle: Bundle | undefined;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      bundle = (await res.json()) as Bundle;
      timings.push(performance.now() - t);
    }
    console.log(
      `[sandbox] ${observations.length} Observations for long-history; patient+code(2)+_sort+_count=200 → total ${bundle?.total}: ` +
        timings.map((t) => `${t.toFixed(0)} ms`).join(', '),
    );
    expect(bundle?.total).toBe((top?.[1] ?? 0) + (second?.[1] ?? 0));
    expect(Math.min(...timings)).toBeLessThan(1500);
  });
});
