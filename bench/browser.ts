/**
 * Browser benchmark (issue 13 item 3): real Chromium against the sandbox EHR (50 ms latency per FHIR request) and
 * the built app (the e2e harness's stack), for `refractory-insufficient-response` and `long-history`. Per run, a
 * fresh browser context clicks the patient's EHR launch; every time is measured from the app document's start
 * (`performance.timeOrigin` of the app page, i.e. after the launch redirects), in the page's own clock:
 *   - banner: the patient banner (name) is on the screen;
 *   - first verdicts: the review screen (`timeline-loaded`) is on the screen;
 *   - final verdicts: `timeline-loaded` and nothing still loading;
 *   - chart: a canvas in the final review screen (the drawn chart); `preview` is the first canvas (lab preview);
 *   - longest task: PerformanceObserver 'longtask' (buffered, observing from the document's start) from the app
 *     document's start to the drawn chart (0 when none ≥ 50 ms);
 *   - requests and bytes of the app page (Playwright's network events: FHIR answers carry no Timing-Allow-Origin),
 *     the JavaScript fetched before the first verdict (raw and gzip, the app server does not compress);
 *   - the network floor of the same run: FHIR request waves × latency, a wave being one step of the longest chain
 *     of requests where each starts after the previous one has answered; and the floor the sandbox's HTTP/1.1 puts
 *     under it: a browser opens at most 6 connections per host, so ⌈FHIR requests ÷ 6⌉ × latency at least
 *     (an EHR over HTTP/2, as Epic and Oracle Health serve, multiplexes every request on one connection);
 *   - the first FHIR request: when the app, launched and given its token, starts asking (the boot).
 *
 * Prints min / median / max; never asserts.
 *
 *   npx vite build && npm run bench:browser [-- --runs 5] [-- --http2]
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Request } from 'playwright-core';
import { launchChromium } from '../tests/e2e/support/browser';
import { startStack } from '../tests/e2e/support/stack';
import { flag, stats } from './figures';

const PATIENTS = ['refractory-insufficient-response', 'long-history'] as const;
const LATENCY_MS = 50;
/** `--http2`: the sandbox over HTTPS with HTTP/2, as EHRs serve FHIR (one connection, no 6-per-host queue). */
const HTTP2 = process.argv.includes('--http2');

/**
 * Installed in every document before its scripts run (a string, so no bundler helper leaks into the page). Only the
 * app page (the app origin, not /launch/) records: long tasks, and the first time each milestone is on the screen.
 */
function instrumentation(appOrigin: string): string {
  return `(() => {
    if (location.origin !== ${JSON.stringify(appOrigin)} || location.pathname.startsWith('/launch')) return;
    const b = { tasks: [], marks: {} };
    window.__bench = b;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) b.tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {}
    const mark = (name, present) => {
      if (b.marks[name] === undefined && present) b.marks[name] = performance.now();
    };
    const check = () => {
      const q = (s) => document.querySelector(s);
      mark('banner', q('[data-testid="patient-name"]'));
      mark('preview', q('canvas'));
      const loaded = q('[data-testid="timeline-loaded"]');
      mark('firstVerdict', loaded);
      mark('finalVerdict', loaded && !q('[data-testid="still-loading-notice"]'));
      mark('chart', q('[data-testid="timeline-loaded"] canvas'));
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  })();`;
}

interface Exchange {
  url: string;
  type: string;
  /** Epoch ms. */
  start: number;
  end: number;
  bytes: number;
  gzBytes: number;
  /** JavaScript only: the body's length (the app server sends it uncompressed). */
  rawBytes: number;
}

interface Run {
  banner: number;
  firstVerdict: number;
  finalVerdict: number;
  preview: number;
  chart: number;
  longestTask: number;
  requests: number;
  bytes: number;
  fhirRequests: number;
  waves: number;
  /** The last FHIR answer, from the app document's start. */
  networkDone: number;
  /** The first FHIR request's start, from the app document's start. */
  firstRequest: number;
  /** Final verdicts minus the last FHIR answer before them: the app's own time after the record is in. */
  afterData: number;
  jsBytes: number;
  jsGzBytes: number;
}

/** Longest chain of FHIR requests where each starts after the previous one answered. */
function waves(fhir: readonly Exchange[]): number {
  const sorted = [...fhir].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) {
      const p = sorted[j];
      if (p && p.end <= r.start) d = Math.max(d, (depth[j] ?? 0) + 1);
    }
    depth.push(d);
  });
  return Math.max(0, ...depth);
}

function record(context: BrowserContext): { exchanges: Exchange[]; settle: () => Promise<unknown> } {
  const out: Exchange[] = [];
  const pending: Promise<void>[] = [];
  const finished = (request: Request) => {
    pending.push(
      (async () => {
        const timing = request.timing();
        const sizes = await request.sizes().catch(() => undefined);
        const response = await request.response().catch(() => null);
        let gz = 0;
        let raw = 0;
        if (request.resourceType() === 'script' || /\.m?js(\?|$)/.test(request.url())) {
          const body = await response?.body().catch(() => undefined);
          gz = body ? gzipSync(body).length : 0;
          raw = body?.length ?? 0;
        }
        out.push({
          url: request.url(),
          type: request.resourceType(),
          start: timing.startTime,
          end: timing.startTime + Math.max(0, timing.responseEnd),
          bytes: (sizes?.responseBodySize ?? 0) + (sizes?.responseHeadersSize ?? 0),
          gzBytes: gz,
          rawBytes: raw,
        });
      })(),
    );
  };
  context.on('requestfinished', finished);
  return { exchanges: out, settle: () => Promise.all(pending) };
}

async function main() {
  const runs = flag('runs', 5);
  const stack = await startStack({ latencyMs: LATENCY_MS, http2: HTTP2 });
  const browser = await launchChromium();
  const results = new Map<string, Run[]>(PATIENTS.map((p) => [p, []]));
  try {
    for (let i = 0; i < runs; i++) {
      for (const patient of PATIENTS) {
        const context = await browser.newContext({
          viewport: { width: 1366, height: 768 },
          ...(HTTP2 ? { ignoreHTTPSErrors: true } : {}),
        });
        await context.addInitScript({ content: instrumentation(stack.appOrigin) });
        const recorder = record(context);
        const page = await context.newPage();
        await page.goto(`${stack.sandbox.baseUrl}/`);
        await page.getByTestId(`launch-${patient}`).click();
        await page
          .locator('[data-testid="timeline-loaded"] canvas')
          .first()
          .waitFor({ state: 'attached', timeout: 120_000 });
        await page.waitForFunction(
          () => {
            const b = (window as { __bench?: { marks: Record<string, number> } }).__bench;
            return b?.marks.finalVerdict !== undefined && b.marks.chart !== undefined;
          },
          undefined,
          { timeout: 120_000 },
        );
        // Long-task entries arrive after the task ends; the last responses finish their events.
        await page.waitForTimeout(500);
        const inPage = await page.evaluate(() => {
          const b = (
            window as {
              __bench?: { tasks: { start: number; duration: number }[]; marks: Record<string, number> };
            }
          ).__bench;
          return { origin: performance.timeOrigin, tasks: b?.tasks ?? [], marks: b?.marks ?? {} };
        });
        await recorder.settle();
        const exchanges = recorder.exchanges;
        await context.close();
        const m = (name: string) => inPage.marks[name] ?? Number.NaN;
        const chart = m('chart');
        const appRequests = exchanges.filter((e) => e.start >= inPage.origin - 1);
        const fhir = appRequests.filter((e) => e.url.startsWith(stack.sandbox.fhirBaseUrl));
        const firstVerdictAt = inPage.origin + m('firstVerdict');
        const js = appRequests.filter(
          (e) => (e.type === 'script' || /\.m?js(\?|$)/.test(e.url)) && e.end <= firstVerdictAt,
        );
        results.get(patient)?.push({
          banner: m('banner'),
          firstVerdict: m('firstVerdict'),
          finalVerdict: m('finalVerdict'),
          preview: m('preview'),
          chart,
          longestTask: inPage.tasks
            .filter((t) => t.start < chart)
            .reduce((max, t) => Math.max(max, t.duration), 0),
          requests: appRequests.length,
          bytes: appRequests.reduce((s, e) => s + e.bytes, 0),
          fhirRequests: fhir.length,
          waves: waves(fhir),
          networkDone: Math.max(0, ...fhir.map((e) => e.end - inPage.origin)),
          firstRequest: Math.min(...fhir.map((e) => e.start - inPage.origin)),
          afterData:
            m('finalVerdict') -
            Math.max(0, ...fhir.map((e) => e.end - inPage.origin).filter((end) => end <= m('finalVerdict'))),
          jsBytes: js.reduce((s, e) => s + e.rawBytes, 0),
          jsGzBytes: js.reduce((s, e) => s + e.gzBytes, 0),
        });
      }
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  const kB = (xs: number[]) => xs.map((x) => x / 1000);
  console.log(
    `bench:browser — ${runs} run(s) per patient, Chromium, 1366×768, sandbox latency ${LATENCY_MS} ms per FHIR request, ${HTTP2 ? 'HTTPS + HTTP/2 (one connection)' : 'HTTP/1.1 (6 connections per host)'}`,
  );
  console.log('  times from the app document start (performance.timeOrigin of the app page)');
  for (const [patient, rs] of results) {
    const col = <K extends keyof Run>(k: K) => rs.map((r) => r[k]);
    const floors = rs.map((r) => r.waves * LATENCY_MS);
    const h1Floors = rs.map((r) => Math.max(r.waves, Math.ceil(r.fhirRequests / 6)) * LATENCY_MS);
    console.log(`\n  ${patient}`);
    console.log(`    patient banner:        ${stats(col('banner'))}`);
    console.log(`    lab preview (canvas):  ${stats(col('preview'))}`);
    console.log(`    first verdicts:        ${stats(col('firstVerdict'))}`);
    console.log(`    final verdicts:        ${stats(col('finalVerdict'))}`);
    console.log(`    drawn chart:           ${stats(col('chart'))}`);
    console.log(
      `    longest task:          ${stats(col('longestTask'))}  (start → drawn chart; 0 = none ≥ 50 ms)`,
    );
    console.log(
      `    first FHIR request:    ${stats(col('firstRequest'))}  (launch done, token in: the boot)`,
    );
    console.log(`    last FHIR answer:      ${stats(col('networkDone'))}`);
    console.log(
      `    verdicts after data:   ${stats(col('afterData'))}  (final verdicts − last FHIR answer before them)`,
    );
    console.log(
      `    network floor:         ${stats(floors)}  (FHIR waves ${stats(col('waves'), '', 0)} × ${LATENCY_MS} ms)`,
    );
    console.log(
      `    final / floor:         ${stats(
        rs.map((r, i) => r.finalVerdict / (floors[i] || 1)),
        '×',
        1,
      )}`,
    );
    if (!HTTP2) {
      console.log(
        `    HTTP/1.1 floor:        ${stats(h1Floors)}  (max(waves, ⌈FHIR requests ÷ 6 connections⌉) × ${LATENCY_MS} ms)`,
      );
      console.log(
        `    final / HTTP/1.1 floor: ${stats(
          rs.map((r, i) => r.finalVerdict / (h1Floors[i] || 1)),
          '×',
          1,
        )}`,
      );
    }
    console.log(
      `    requests:              ${stats(col('requests'), '', 0)} (FHIR ${stats(col('fhirRequests'), '', 0)})`,
    );
    console.log(`    bytes received:        ${stats(kB(col('bytes')), 'kB', 1)}`);
    console.log(
      `    JS before first verdict: ${stats(kB(col('jsBytes')), 'kB', 1)} raw; ${stats(kB(col('jsGzBytes')), 'kB', 1)} gzip`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
