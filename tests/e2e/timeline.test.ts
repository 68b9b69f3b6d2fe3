import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { launchChromium } from './support/browser';
import { displayNameOf, startStack, type Stack } from './support/stack';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function ehrLaunch(patientId: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${stack.sandbox.baseUrl}/`);
  await page.getByTestId(`launch-${patientId}`).click();
  return page;
}

describe('EHR launch ends in a loaded timeline and verdicts', () => {
  it.each(SCENARIO_IDS.map((id) => [id]))('%s', async (patientId) => {
    const page = await ehrLaunch(patientId);
    try {
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await page.getByTestId('patient-name').textContent()).toContain(displayNameOf(stack, patientId));
      expect(await page.getByTestId('verdict-jsh-lcsgj-2014').getAttribute('data-status')).toMatch(
        /^(met|not-met|indeterminate)$/,
      );
      // Every planned query answered: nothing failed against a healthy sandbox.
      expect(await page.getByTestId('data-failed').count()).toBe(0);
      await page.screenshot({ path: `tests/e2e/__screenshots__/timeline-${patientId}.png` });
    } finally {
      await page.context().close();
    }
  });
});

describe('failures stay local and visible', () => {
  it('imaging reports failing with 500 leaves the rest loaded and names what is missing', async () => {
    stack.sandbox.setFaultPlan([{ kind: '500', match: { resourceType: 'DiagnosticReport' } }]);
    const page = await ehrLaunch('refractory-insufficient-response');
    try {
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      const failed = page.getByTestId('data-failed');
      await failed.waitFor();
      expect(await failed.textContent()).toMatch(/imaging reports/i);
      // Without the reports, the imaging-based criterion cannot be decided: indeterminate, never not-met.
      expect(
        await page.getByTestId('sub-jsh-lcsgj-2014-insufficient-response').getAttribute('data-status'),
      ).toBe('indeterminate');
    } finally {
      stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });

  it('an expired token mid-load shows the relaunch state, not a blank page', async () => {
    stack.sandbox.setFaultPlan([{ kind: 'expired-token', match: { resourceType: 'Observation' } }]);
    const page = await ehrLaunch('responder');
    try {
      await page.getByTestId('state-session-expired').waitFor({ timeout: 45_000 });
    } finally {
      stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });

  it('429 with Retry-After is retried and the timeline still loads', async () => {
    stack.sandbox.setFaultPlan([
      { kind: '429', match: { resourceType: 'Procedure' }, times: 1, retryAfterSeconds: 1 },
    ]);
    const page = await ehrLaunch('responder');
    try {
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await page.getByTestId('data-failed').count()).toBe(0);
    } finally {
      stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });
});
