import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { sandboxRegistryBody } from './issuer';
import { FRAME_ANCESTOR_ORIGIN, parseIssuerRegistry } from '../src/config/issuers';

/**
 * Serves the built app (dist/) the way a static host should: the security headers below are the ones the
 * README asks hospital IT to set. Used by `npm start -- --app dist` and by the browser tests.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The EHR origins that may frame the app: the union of every issuer's `frameAncestors` in the deployment's
 * `config/issuers.json`. A missing or invalid registry gives none (the app is then framable by itself only).
 */
export function frameAncestorsFromRegistry(root: string): string[] {
  try {
    const loaded = parseIssuerRegistry(
      JSON.parse(readFileSync(join(root, 'config', 'issuers.json'), 'utf8')),
    );
    if (!loaded.ok) return [];
    return [...new Set(loaded.registry.issuers.flatMap((issuer) => issuer.frameAncestors ?? []))];
  } catch {
    return [];
  }
}

/** `frame-ancestors 'self' <EHR origins>`; never `*` (clickjacking): anything but an origin is refused. */
export function frameAncestorsDirective(origins: string[]): string {
  for (const origin of origins) {
    if (!FRAME_ANCESTOR_ORIGIN.test(origin)) throw new Error(`frame-ancestors: not an origin: ${origin}`);
  }
  return ['frame-ancestors', "'self'", ...origins].join(' ');
}

export function securityHeaders(
  fhirOrigins: string[],
  frameAncestors: string[] = [],
): Record<string, string> {
  const connect = ["'self'", ...fhirOrigins].join(' ');
  return {
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      `connect-src ${connect}; ${frameAncestorsDirective(frameAncestors)}; base-uri 'self'; form-action 'self'; ` +
      `object-src 'none'`,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

export async function startAppServer(opts: {
  root: string;
  port: number;
  fhirOrigins: string[];
  /** EHR origins allowed to frame the app; default: the `frameAncestors` of `<root>/config/issuers.json`. */
  frameAncestors?: string[];
  /**
   * The sandbox's FHIR base URL, once known: `config/issuers.json` is then answered with the shipped registry
   * plus the sandbox's exact entry (sandbox/issuer.ts); the shipped file trusts no loopback server.
   */
  sandboxFhirBaseUrl?: () => string | undefined;
}): Promise<{ url: string; close(): Promise<void> }> {
  const root = resolve(opts.root);
  const headers = securityHeaders(opts.fhirOrigins, opts.frameAncestors ?? frameAncestorsFromRegistry(root));
  const server: Server = createServer((req, res) => {
    void (async () => {
      let path: string;
      try {
        path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
      } catch {
        // Malformed percent-encoding (e.g. /%E0%A4%A): a client error, never a crash of the process.
        res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request');
        return;
      }
      if (path.endsWith('/')) path += 'index.html';
      const file = join(root, path);
      if (!file.startsWith(root)) {
        res.writeHead(403, headers).end();
        return;
      }
      if (extname(path) === '.map') {
        // Source maps are not served, even if a build left them in dist/.
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const sandboxFhir = path === '/config/issuers.json' ? opts.sandboxFhirBaseUrl?.() : undefined;
      if (sandboxFhir) {
        try {
          const body = await sandboxRegistryBody(root, sandboxFhir);
          res.writeHead(200, {
            ...headers,
            'Content-Type': 'application/json; charset=utf-8',
            'Cache-Control': 'no-cache',
          });
          res.end(body);
        } catch {
          res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        }
        return;
      }
      try {
        const info = await stat(file);
        if (!info.isFile()) throw new Error('not a file');
        res.writeHead(200, {
          ...headers,
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Cache-Control': path.endsWith('.html') || path.includes('/config/') ? 'no-cache' : 'max-age=3600',
        });
        createReadStream(file)
          .on('error', () => res.destroy())
          .pipe(res);
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      }
    })().catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Error');
    });
  });
  await new Promise<void>((done) => server.listen(opts.port, 'localhost', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
