import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Frame } from 'playwright-core';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { startSandbox } from '../../sandbox/server';
import { startAppServer } from '../../sandbox/app-server';
import { launchChromium } from './support/browser';

/**
 * The EHR shows the app in a frame of its own page, on another site. Here the "EHR page" is a tiny server on
 * 127.0.0.1 and the app is on localhost (a different site), so the framed app is third-party: Chromium 156
 * (headless, default settings) blocks its storage — `sessionStorage` throws a SecurityError — which is what a
 * browser with third-party cookies/storage blocked does to an app inside Epic's or Oracle Health's web page.
 * The app server is started with that parent as its only frame ancestor, as a deployment's registry would say.
 */

interface Parent {
  origin: string;
  close(): Promise<void>;
}

async function startParent(): Promise<Parent & { setFrame(url: string): void }> {
  let frameUrl = 'about:blank';
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Fake EHR chart</title><h1>Fake EHR</h1>` +
        `<iframe id="app" title="TACE Navigator" src="${frameUrl.replace(/"/g, '&quot;')}" width="1000" height="700"></iframe>`,
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    setFrame(url: string) {
      frameUrl = url;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

let parent: Awaited<ReturnType<typeof startParent>>;
let otherParent: Awaited<ReturnType<typeof startParent>>;
let app: Awaited<ReturnType<typeof startAppServer>>;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync('dist/index.html') || !existsSync('dist/launch/index.html')) {
    throw new Error('dist/ is missing: build it first (vite build).');
  }
  parent = await startParent();
  otherParent = await startParent();
  const registryFor: { sandboxFhirBaseUrl?: string } = {};
  app = await startAppServer({
    root: 'dist',
    port: 0,
    fhirOrigins: ['http://localhost:*'],
    frameAncestors: [parent.origin],
    sandboxFhirBaseUrl: () => registryFor.sandboxFhirBaseUrl,
  });
  const appOrigin = app.url.replace(/\/$/, '');
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${appOrigin}/launch/`,
    allowedRedirectOrigins: [appOrigin],
    latencyMs: 0,
    faultPlan: [],
    scenarios: buildScenarios({ anchorDate: new Date().toISOString().slice(0, 10) }),
  });
  registryFor.sandboxFhirBaseUrl = sandbox.fhirBaseUrl;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.allSettled([app?.close(), sandbox?.close(), parent?.close(), otherParent?.close()]);
});

/** What the EHR does: mint a launch for the patient and point the app's frame at the launch URL. */
async function mintLaunchUrl(patientId: string): Promise<string> {
  const response = await fetch(`${sandbox.baseUrl}/ehr-launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ patient: patientId }).toString(),
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (!location) throw new Error(`/ehr-launch answered ${response.status} without a Location`);
  return location;
}

async function withContext<T>(run: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  try {
    return await run(context);
  } finally {
    await context.close();
  }
}

async function appFrame(pageFrames: () => Frame[], appOrigin: string): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    const frame = pageFrames().find((f) => f.url().startsWith(appOrigin));
    if (frame) return frame;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the app frame never loaded');
}

describe('embedded launch in a cross-site EHR frame with third-party storage blocked', () => {
  it('names the real cause in the frame, and "Open in a new window" (same iss and launch) reaches the review screen', async () => {
    await withContext(async (context) => {
      const appOrigin = app.url.replace(/\/$/, '');
      const launchUrl = await mintLaunchUrl('refractory-insufficient-response');
      parent.setFrame(launchUrl);
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${parent.origin}/`);
      const frame = await appFrame(() => page.frames(), appOrigin);

      // The premise: this frame really has no storage (otherwise the test proves nothing).
      expect(await frame.evaluate(() => window.self !== window.top)).toBe(true);
      expect(
        await frame.evaluate(() => {
          try {
            window.sessionStorage.setItem('x', '1');
            return 'available';
          } catch (error) {
            return (error as Error).name;
          }
        }),
      ).toBe('SecurityError');

      const box = frame.getByTestId('launch-storage-blocked');
      await box.waitFor({ timeout: 15_000 });
      const text = (await box.textContent()) ?? '';
      expect(text).toContain('This browser blocks storage for apps inside the EHR’s frame');
      expect(text).not.toContain('could not be reached');
      // Nothing was started: no request to the authorization server from the frame.
      expect(requests.some((url) => url.startsWith(`${sandbox.baseUrl}/authorize`))).toBe(false);

      const link = frame.getByTestId('open-in-new-window');
      const href = (await link.getAttribute('href')) ?? '';
      const wanted = new URL(launchUrl).searchParams;
      expect(new URL(href).searchParams.get('iss')).toBe(wanted.get('iss'));
      expect(new URL(href).searchParams.get('launch')).toBe(wanted.get('launch'));

      const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
      const name = popup.getByTestId('patient-name');
      await name.waitFor({ timeout: 30_000 });
      await popup.getByTestId('criteria-detail').waitFor({ timeout: 45_000 });
      expect(new URL(popup.url()).origin).toBe(appOrigin);
      expect(popup.url()).not.toMatch(/code=|access_token/);
      await page.screenshot({ path: 'tests/e2e/__screenshots__/embedded-storage-blocked.png' });
    });
  });

  it('the app sends frame-ancestors from its configuration (never *), and another site cannot frame it', async () => {
    const response = await fetch(`${app.url}launch/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${parent.origin};`);
    expect(csp).not.toMatch(/frame-ancestors[^;]*\s\*(\s|;)/);

    await withContext(async (context) => {
      const appOrigin = app.url.replace(/\/$/, '');
      otherParent.setFrame(`${appOrigin}/launch/`);
      const page = await context.newPage();
      const blocked = page.waitForEvent('console', {
        predicate: (message) => /frame-ancestors/i.test(message.text()),
        timeout: 10_000,
      });
      await page.goto(`${otherParent.origin}/`);
      await blocked;
      // The frame never shows the app.
      for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
        expect(await frame.locator('#launch').count()).toBe(0);
      }
    });
  });

  it('the standalone chooser (no iss) lists pattern issuers with a URL field checked against the pattern', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      const appOrigin = app.url.replace(/\/$/, '');
      await page.goto(`${appOrigin}/launch/`);
      const choices = page.getByTestId('issuer-choices');
      await choices.waitFor();
      // The sandbox (exact entry) as a link; SMART Health IT (a pattern entry) as a form.
      expect(await choices.getByRole('link', { name: /Local sandbox/ }).count()).toBe(1);
      const form = page.getByTestId('issuer-form-smart-health-it');
      await form.getByRole('textbox').fill('https://launch.smarthealthit.org.attacker.test/v/r4/fhir');
      await form.getByRole('button', { name: 'Sign in' }).click();
      expect(await form.getByRole('alert').textContent()).toContain('not a SMART Health IT');
      expect(new URL(page.url()).search).toBe('');
    });
  });
});
