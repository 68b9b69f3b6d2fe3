/**
 * Browser benchmark (issue 12 item 4): real Chromium against the sandbox EHR and the built app (the e2e harness's
 * stack), on the `long-history` patient. Per run, a fresh page opens "Show as table" once and measures:
 *   - click → rendered: from the click to the frame after the table is laid out (rAF + task), in the page's clock;
 *   - the longest task (PerformanceObserver 'longtask', buffered) overlapping that interval (0 when none ≥ 50 ms).
 * Then the printed page height of the same screen (print media emulated; chart as images), at 1366 px and at an
 * A4-like 794 px width. Prints min / median / max; never asserts.
 *
 *   npx vite build && npm run bench:table [-- --runs 5]
 */
import { launchChromium } from '../tests/e2e/support/browser';
import { startStack } from '../tests/e2e/support/stack';
import { flag, stats } from './figures';
import type { Page } from 'playwright-core';

const PATIENT = 'long-history';

/** Opens the table once; the longest task and the click → rendered time, both measured inside the page. */
async function openTable(
  page: Page,
): Promise<{ longestTask: number; clickToRendered: number; rows: number }> {
  return page.evaluate(async () => {
    const tasks: { start: number; duration: number }[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    });
    observer.observe({ type: 'longtask', buffered: true });
    const details = document.querySelector<HTMLDetailsElement>('[data-testid="timeline-table"]');
    const summary = details?.querySelector('summary');
    if (!details || !summary) throw new Error('no "Show as table" on the page');
    const t0 = performance.now();
    summary.click();
    // Rendered: open, laid out (rows have a height), and the frame after that has run.
    // (No named inner functions here: tsx would wrap them in a helper the page does not have.)
    for (;;) {
      const table = details.querySelector('table');
      if (details.open && table && table.getBoundingClientRect().height > 0) break;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const t1 = performance.now();
    // Long-task entries arrive after the task ends: give the observer a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    observer.disconnect();
    const overlapping = tasks.filter((t) => t.start < t1 && t.start + t.duration > t0);
    return {
      longestTask: overlapping.reduce((m, t) => Math.max(m, t.duration), 0),
      clickToRendered: t1 - t0,
      rows: details.querySelectorAll('tbody tr').length,
    };
  });
}

async function printHeight(page: Page): Promise<{ height: number; images: number }> {
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  const out = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    images: document.querySelectorAll('img.plot-print-image').length,
  }));
  await page.emulateMedia({ media: 'screen' });
  return out;
}

async function main() {
  const runs = flag('runs', 5);
  const stack = await startStack();
  const browser = await launchChromium();
  const longest: number[] = [];
  const clicks: number[] = [];
  let rows = 0;
  const printed: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await page.goto(`${stack.sandbox.baseUrl}/`);
      await page.getByTestId(`launch-${PATIENT}`).click();
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 120_000 });
      await page.getByTestId('chart-markers').waitFor({ timeout: 60_000 });
      // Let the load settle (lazy chunks, chart drawing) so only the click is measured.
      await page.waitForTimeout(1000);
      const r = await openTable(page);
      longest.push(r.longestTask);
      clicks.push(r.clickToRendered);
      rows = r.rows;
      if (i === 0) {
        const wide = await printHeight(page);
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.waitForTimeout(500);
        const a4 = await printHeight(page);
        printed.push(
          `print height at 1366 px: ${wide.height.toLocaleString('en-US')} px (${wide.images} chart images)`,
          `print height at 794 px (A4 width): ${a4.height.toLocaleString('en-US')} px (${a4.images} chart images)`,
        );
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  console.log(`bench:table — ${PATIENT}, "Show as table", ${runs} run(s), Chromium, 1366×768`);
  console.log(`  rows rendered on opening: ${rows}`);
  console.log(`  longest task during click→rendered: ${stats(longest)}`);
  console.log(`  click→rendered: ${stats(clicks)}`);
  for (const p of printed) console.log(`  ${p}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
