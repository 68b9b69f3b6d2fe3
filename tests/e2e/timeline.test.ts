import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { useE2eHarness } from './support/harness';
import { displayNameOf } from './support/stack';

const e2e = useE2eHarness();

const ehrLaunch = (patientId: string) => e2e.ehrLaunch(patientId);

describe('EHR launch ends in a loaded timeline and verdicts', () => {
  it.each(SCENARIO_IDS.map((id) => [id]))('%s', async (patientId) => {
    const page = await ehrLaunch(patientId);
    try {
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await page.getByTestId('patient-name').textContent()).toContain(
        displayNameOf(e2e.stack, patientId),
      );
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
    e2e.stack.sandbox.setFaultPlan([{ kind: '500', match: { resourceType: 'DiagnosticReport' } }]);
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
      e2e.stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });

  it('an expired token on every data request shows the relaunch state, not a blank page', async () => {
    // One refused resource type is that query's failure (tests/e2e/deadlines.test.ts); relaunch when all are.
    e2e.stack.sandbox.setFaultPlan(
      ['Patient', 'Observation', 'DiagnosticReport', 'ImagingStudy', 'Procedure', 'Condition']
        .concat(['MedicationRequest', 'DocumentReference', 'Binary'])
        .map((resourceType) => ({ kind: 'expired-token' as const, match: { resourceType } })),
    );
    const page = await ehrLaunch('responder');
    try {
      await page.getByTestId('state-session-expired').waitFor({ timeout: 45_000 });
    } finally {
      e2e.stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });

  it('429 with Retry-After is retried and the timeline still loads', async () => {
    e2e.stack.sandbox.setFaultPlan([
      { kind: '429', match: { resourceType: 'Procedure' }, times: 1, retryAfterSeconds: 1 },
    ]);
    const page = await ehrLaunch('responder');
    try {
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await page.getByTestId('data-failed').count()).toBe(0);
    } finally {
      e2e.stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });
});
