import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { startStack, type Stack } from './stack';

export interface E2eHarness {
  readonly stack: Stack;
  readonly browser: Browser;
  /** A fresh browser context at the given size, on the sandbox launcher, after clicking the patient's EHR launch. */
  ehrLaunch(patientId: string, viewport?: { width: number; height: number }): Promise<Page>;
}

/** One sandbox + built app and one Chromium per test file, started before its tests and closed after them. */
export function useE2eHarness(): E2eHarness {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e ${what} is not started (use it inside a test)`);
    return value;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async ehrLaunch(patientId, viewport = { width: 1366, height: 768 }) {
      const context = await started(browser, 'browser').newContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${started(stack, 'stack').sandbox.baseUrl}/`);
      await page.getByTestId(`launch-${patientId}`).click();
      return page;
    },
  };
}
