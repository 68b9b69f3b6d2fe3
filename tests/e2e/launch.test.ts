import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { useE2eHarness } from './support/harness';
import { displayNameOf } from './support/stack';

const e2e = useE2eHarness();

async function withContext<T>(run: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await e2e.browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

describe('SMART launch through the sandbox EHR', () => {
  it('EHR launch from the launcher ends in the app with that patient’s banner', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      const patientId = 'refractory-insufficient-response';
      await page.goto(`${e2e.stack.sandbox.baseUrl}/`);
      await page.getByTestId(`launch-${patientId}`).click();
      const name = page.getByTestId('patient-name');
      await name.waitFor({ timeout: 20_000 });
      expect(await name.textContent()).toContain(displayNameOf(e2e.stack, patientId));
      // The code exchange really happened: the app is on its own origin with a token in session storage.
      expect(new URL(page.url()).origin).toBe(e2e.stack.appOrigin);
      const stored = await page.evaluate(() => JSON.stringify(Object.values(sessionStorage)));
      expect(stored).toContain('access_token');
      // The token never appears in the URL (no PHI or secrets in URLs).
      expect(page.url()).not.toContain('access_token');
      await page.screenshot({ path: 'tests/e2e/__screenshots__/ehr-launch.png' });
    });
  });

  it('standalone launch goes through the patient picker', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      const patientId = 'responder';
      await page.goto(`${e2e.stack.sandbox.baseUrl}/`);
      await page.getByTestId('standalone-launch').click();
      await page.getByTestId(`pick-${patientId}`).click();
      const name = page.getByTestId('patient-name');
      await name.waitFor({ timeout: 20_000 });
      expect(await name.textContent()).toContain(displayNameOf(e2e.stack, patientId));
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 30_000 });
    });
  });

  it('refuses an iss that is not in the issuer registry, without redirecting', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const forged = 'https://attacker.invalid/fhir';
      await page.goto(`${e2e.stack.appOrigin}/launch/?iss=${encodeURIComponent(forged)}&launch=abc`);
      await page.getByTestId('launch-refused').waitFor();
      expect(new URL(page.url()).origin).toBe(e2e.stack.appOrigin);
      expect(requests.some((url) => url.startsWith('https://attacker.invalid'))).toBe(false);
    });
  });

  it('opening the app without a launch says how to launch it', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${e2e.stack.appOrigin}/`);
      await page.getByTestId('state-not-launched').waitFor();
    });
  });
});
