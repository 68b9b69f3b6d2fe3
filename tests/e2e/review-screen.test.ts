import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { useE2eHarness } from './support/harness';

// The app evaluates as of the browser's today, and the e2e stack anchors the synthetic world on that day
// (tests/e2e/support/stack.ts), so each scenario reads as its story.

const e2e = useE2eHarness();

async function open(patientId: string, width = 1024, height = 768): Promise<Page> {
  const page = await e2e.ehrLaunch(patientId, { width, height });
  await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
  return page;
}

const status = (page: Page, testId: string) => page.getByTestId(testId).getAttribute('data-status');

async function expectAccessibleAndFitting(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
  const [scrollWidth, innerWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth as number);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `tests/e2e/__screenshots__/review-${name}.png` });
}

describe('review screen per scenario (1024×768)', () => {
  it('refractory-insufficient-response: JSH-LCSGJ met via insufficient response, with the report sentence', async () => {
    const page = await open('refractory-insufficient-response');
    try {
      expect(await status(page, 'verdict-jsh-lcsgj-2014')).toBe('met');
      expect(await status(page, 'sub-jsh-lcsgj-2014-insufficient-response')).toBe('met');
      expect(await page.getByTestId('verdict-reason-jsh-lcsgj-2014').textContent()).toMatch(/viable tumour/i);
      const sub = page.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
      expect(await sub.getByTestId('evidence-sentence').allTextContents()).toContainEqual(
        expect.stringContaining('approximately 70% of the lesion'),
      );
      expect(await sub.locator('mark').count()).toBeGreaterThan(0);
      expect(await sub.getByTestId('policy-boundary-insufficient-response').textContent()).toContain(
        '≥ 50 %',
      );
      expect(await page.getByTestId('policy-markers').first().textContent()).toMatch(
        /not define .* numerically/,
      );
      await page.getByTestId('chart-markers').locator('canvas').first().waitFor();
      await expectAccessibleAndFitting(page);
      await shot(page, 'refractory-insufficient-response');
    } finally {
      await page.context().close();
    }
  });

  it('responder: JSH-LCSGJ not met and clinical CR met', async () => {
    const page = await open('responder');
    try {
      expect(await status(page, 'verdict-jsh-lcsgj-2014')).toBe('not-met');
      expect(await status(page, 'verdict-clinical-cr')).toBe('met');
      await expectAccessibleAndFitting(page);
      await shot(page, 'responder');
    } finally {
      await page.context().close();
    }
  });

  it('insufficient-data: JSH-LCSGJ indeterminate with the missing item named', async () => {
    const page = await open('insufficient-data');
    try {
      expect(await status(page, 'verdict-jsh-lcsgj-2014')).toBe('indeterminate');
      expect(await page.getByTestId('verdict-reason-jsh-lcsgj-2014').textContent()).toMatch(
        /^Undecided — needs /,
      );
      await expectAccessibleAndFitting(page);
      await shot(page, 'insufficient-data');
    } finally {
      await page.context().close();
    }
  });

  it('vascular-invasion: JSH-LCSGJ met via vascular invasion, with the report sentence', async () => {
    const page = await open('vascular-invasion');
    try {
      expect(await status(page, 'verdict-jsh-lcsgj-2014')).toBe('met');
      const sub = page.getByTestId('sub-jsh-lcsgj-2014-vascular-invasion');
      expect(await sub.getAttribute('data-status')).toBe('met');
      expect((await sub.getByTestId('evidence-sentence').allTextContents()).join(' ')).toMatch(
        /tumor thrombus in the right portal vein/,
      );
      await expectAccessibleAndFitting(page);
      await shot(page, 'vascular-invasion');
    } finally {
      await page.context().close();
    }
  });
});

describe('every scenario screen: WCAG 2.1 AA and no horizontal scroll', () => {
  it.each(SCENARIO_IDS.flatMap((id) => [[id, 1024] as const, [id, 1366] as const]))(
    '%s at %i px',
    async (id, width) => {
      const page = await open(id, width, 768);
      try {
        await page.getByTestId('chart-markers').or(page.getByTestId('timeline-panel')).first().waitFor();
        await expectAccessibleAndFitting(page);
      } finally {
        await page.context().close();
      }
    },
  );
});

describe('keyboard, expanded content and print (1366×768)', () => {
  it('skip link, chart keyboard readout, everything expanded passes axe, print view black on white', async () => {
    const page = await open('vascular-invasion', 1366, 768);
    try {
      // The skip link is the first stop and lands on the criteria.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the criteria');
      await page.keyboard.press('Enter');
      expect(page.url()).toContain('#criteria-heading');

      // Keyboard on the chart: focus shows the last date, arrows step through the dates with value, unit and source.
      const chart = page.getByTestId('chart-markers').locator('.plot-canvas');
      await chart.waitFor();
      await chart.focus();
      const readout = page.getByTestId('chart-markers-readout');
      await expect.poll(() => readout.textContent()).toMatch(/^\d{4}-\d{2}-\d{2}: /);
      await page.keyboard.press('Home');
      await expect.poll(() => readout.textContent()).toMatch(/^\d{4}-\d{2}-\d{2}: /);
      // Step to the first date with an AFP value (the first date may be an imaging report): the source in
      // words ("AFP 12 ng/mL (2026-01-05)", "CT report 2026-03-14"), never a resource id.
      for (let i = 0; i < 10 && !/AFP /.test((await readout.textContent()) ?? ''); i++) {
        const before = await readout.textContent();
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => readout.textContent()).not.toBe(before);
      }
      expect(await readout.textContent()).toMatch(/AFP .* ng\/mL \(\d{4}-\d{2}-\d{2}\)/);
      expect(await readout.textContent()).not.toMatch(/(Observation|DiagnosticReport|Procedure)\//);

      // Every <details> open (table, corrections, collapsed criteria): still no violation, still no horizontal scroll.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      await expectAccessibleAndFitting(page);

      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => ({
        resetShown: getComputedStyle(document.querySelector('[data-testid="reset-corrections"]') as Element)
          .display,
        bodyColor: getComputedStyle(document.body).color,
      }));
      expect(printed.resetShown).toBe('none');
      expect(printed.bodyColor).toBe('rgb(0, 0, 0)');
      // The chart prints as images of its plots (made when print media applies), not as a blank area.
      await expect.poll(() => page.locator('img.plot-print-image').count()).toBe(3);
      expect(
        await page
          .locator('img.plot-print-image')
          .first()
          .evaluate((i) => (i as HTMLImageElement).src.slice(0, 14)),
      ).toBe('data:image/png');
      await page.screenshot({ path: 'tests/e2e/__screenshots__/review-print.png', fullPage: true });
    } finally {
      await page.context().close();
    }
  });
});

describe('progressive rendering without layout shift', () => {
  it.each([[1024], [1366]])('skeletons hold the final places at %i px', async (width) => {
    e2e.stack.sandbox.setLatency(800);
    const context = await e2e.browser.newContext({ viewport: { width, height: 768 } });
    const page = await context.newPage();
    try {
      await page.goto(`${e2e.stack.sandbox.baseUrl}/`);
      await page.getByTestId('launch-vascular-invasion').click();
      await page.getByTestId('chart-skeleton').waitFor({ timeout: 45_000 });
      // The banner is there at once, before the record.
      await page.getByTestId('patient-banner').waitFor();
      const top = (selector: string) =>
        page.evaluate((s) => document.querySelector(s)?.getBoundingClientRect().top ?? NaN, selector);
      const chartBefore = await top('[data-testid="chart-skeleton"]');
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 60_000 });
      const chartAfter = await top('.chart-area');
      expect(Math.abs(chartAfter - chartBefore)).toBeLessThanOrEqual(4);
    } finally {
      e2e.stack.sandbox.setLatency(0);
      await context.close();
    }
  });
});

describe('a failed query stays local', () => {
  it('imaging reports failing: notice near the verdicts, chart and criteria still shown, still accessible', async () => {
    e2e.stack.sandbox.setFaultPlan([{ kind: '500', match: { resourceType: 'DiagnosticReport' } }]);
    const page = await open('refractory-insufficient-response');
    try {
      expect(await page.getByTestId('failed-notice').textContent()).toMatch(/imaging reports/i);
      await page.getByTestId('chart-markers').waitFor();
      expect(await status(page, 'verdict-jsh-lcsgj-2014')).toMatch(/^(met|not-met|indeterminate)$/);
      await expectAccessibleAndFitting(page);
      await shot(page, 'failed-reports');
    } finally {
      e2e.stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });
});

describe('clinician corrections re-run the engine and survive a reload', () => {
  it('refractory-insufficient-response: viable 10 % on the second session ends the insufficient response', async () => {
    const page = await open('refractory-insufficient-response');
    try {
      const form = page.getByTestId('correction-refractory-insufficient-response-dr-3');
      await form.locator('summary').click();
      await form.getByLabel('Viable tumour (%)', { exact: true }).fill('10');
      await expect.poll(() => status(page, 'sub-jsh-lcsgj-2014-insufficient-response')).not.toBe('met');
      const sub = page.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
      expect(await sub.locator('[data-origin="clinician"]').count()).toBeGreaterThan(0);
      expect(await sub.textContent()).toContain('entered by clinician');
      expect(await page.getByTestId('corrections-count').textContent()).toMatch(/1 clinician input/);

      await page.reload();
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await status(page, 'sub-jsh-lcsgj-2014-insufficient-response')).not.toBe('met');
      expect(
        await page
          .getByTestId('correction-refractory-insufficient-response-dr-3')
          .getByLabel('Viable tumour (%)', { exact: true })
          .inputValue(),
      ).toBe('10');
      // The corrections stay out of the URL.
      expect(page.url()).not.toContain('10');
      await expectAccessibleAndFitting(page);

      await page.getByTestId('reset-corrections').click();
      await expect.poll(() => status(page, 'sub-jsh-lcsgj-2014-insufficient-response')).toBe('met');
      await shot(page, 'correction-reset');
    } finally {
      await page.context().close();
    }
  });

  it('vascular-invasion: marking vascular invasion absent on the report ends that sub-criterion', async () => {
    const page = await open('vascular-invasion', 1366, 768);
    try {
      // From the evidence straight to the report's correction form.
      await page
        .getByTestId('sub-jsh-lcsgj-2014-vascular-invasion')
        .getByRole('link', { name: /correct this reading/i })
        .first()
        .click();
      const form = page.getByTestId('correction-vascular-invasion-dr-3');
      expect(await form.getAttribute('open')).not.toBeNull();
      await form.getByLabel('Vascular invasion', { exact: true }).selectOption('absent');
      await expect.poll(() => status(page, 'sub-jsh-lcsgj-2014-vascular-invasion')).not.toBe('met');
      await page.reload();
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await status(page, 'sub-jsh-lcsgj-2014-vascular-invasion')).not.toBe('met');
      await expectAccessibleAndFitting(page);
      await shot(page, 'vascular-invasion-corrected-1366');
    } finally {
      await page.context().close();
    }
  });
});
