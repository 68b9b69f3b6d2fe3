/**
 * The sandbox over HTTPS with HTTP/2 (`tls` option, used by `npm run bench:browser -- --http2`): FHIR answers on an
 * HTTP/2 stream, several requests share one connection, and HTTP/1.1 clients are still served.
 */
import { execFileSync } from 'node:child_process';
import { connect, constants } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { localhostCertificate } from '../e2e/support/stack';
import { APP_ORIGIN } from './smart-client';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let sandbox: Sandbox | undefined;
let cert = '';

beforeAll(async () => {
  if (!hasOpenssl) return;
  const tls = localhostCertificate();
  cert = tls.cert;
  sandbox = await startSandbox({
    port: 0,
    appLaunchUrl: `${APP_ORIGIN}/launch/`,
    allowedRedirectOrigins: [APP_ORIGIN],
    scenarios: buildScenarios().slice(0, 1),
    tls,
  });
});
afterAll(() => sandbox?.close());

describe.skipIf(!hasOpenssl)('sandbox over HTTPS + HTTP/2', () => {
  it('answers FHIR on HTTP/2 streams of one connection', async () => {
    const base = sandbox?.baseUrl ?? '';
    expect(base).toMatch(/^https:\/\/localhost:\d+$/);
    const session = connect(base, { ca: cert });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const stream = session.request({ [constants.HTTP2_HEADER_PATH]: path });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => (status = Number(headers[constants.HTTP2_HEADER_STATUS])));
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => done({ status, body }));
        stream.on('error', fail);
      });
    try {
      const [metadata, config] = await Promise.all([
        get('/fhir/metadata'),
        get('/.well-known/smart-configuration'),
      ]);
      expect(metadata.status).toBe(200);
      expect(JSON.parse(metadata.body).resourceType).toBe('CapabilityStatement');
      expect(config.status).toBe(200);
      expect(JSON.parse(config.body).token_endpoint).toBe(`${base}/token`);
      // The unauthorised search is refused as over HTTP/1.1.
      expect((await get('/fhir/Observation?patient=x')).status).toBe(401);
    } finally {
      session.close();
    }
  });

  it('still serves an HTTP/1.1 client', async () => {
    const base = sandbox?.baseUrl ?? '';
    const status = await new Promise<number>((done, fail) => {
      const req = httpsRequest(`${base}/fhir/metadata`, { ca: cert }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(200);
  });
});
