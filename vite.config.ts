import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { checkRegistryFile } from './scripts/check-issuers';
import { withSandboxIssuer } from './sandbox/issuer';

/**
 * The shipped registry trusts no loopback issuer. `vite build` fails if `config/issuers.json` would (unless
 * TACE_DEV_BUILD=1); the dev server answers `/config/issuers.json` with the shipped registry plus the sandbox's
 * EXACT entry: `npm start` sets TACE_SANDBOX_FHIR_URL to its sandbox, `npm run dev` assumes `npm run sandbox`
 * on SANDBOX_PORT (default 4000).
 */
function issuerRegistry(): Plugin {
  let publicDir = resolve(import.meta.dirname, 'public');
  let command = 'serve';
  return {
    name: 'tace-issuer-registry',
    configResolved(config) {
      if (config.publicDir) publicDir = config.publicDir;
      command = config.command;
    },
    buildStart() {
      if (command !== 'build') return;
      const devBuild = process.env.TACE_DEV_BUILD === '1';
      for (const problem of checkRegistryFile(resolve(publicDir, 'config/issuers.json'), devBuild))
        this.warn(`TACE_DEV_BUILD=1, shipping anyway: ${problem}`);
    },
    configureServer(server) {
      server.middlewares.use('/config/issuers.json', (_req, res) => {
        const fhirUrl =
          process.env.TACE_SANDBOX_FHIR_URL ?? `http://localhost:${process.env.SANDBOX_PORT ?? '4000'}/fhir`;
        const shipped: unknown = JSON.parse(readFileSync(resolve(publicDir, 'config/issuers.json'), 'utf8'));
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(JSON.stringify(withSandboxIssuer(shipped, fhirUrl)));
      });
    },
  };
}

// Two pages: the app at `/` and the SMART launch page at `/launch/`. The sandbox EHR is never part of this
// build: it lives in `sandbox/` and only serves the built files during development and tests.
export default defineConfig({
  plugins: [react(), issuerRegistry()],
  base: './',
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    sourcemap: false, // no source maps in the production build (app-server also refuses *.map)
    rollupOptions: {
      onwarn(warning, warn) {
        // fhirclient's isomorphic-webcrypto ships a UMD shim inside an .mjs file; the browser path never uses `module`.
        if (warning.code === 'COMMONJS_VARIABLE_IN_ESM' && warning.id?.includes('isomorphic-webcrypto'))
          return;
        warn(warning);
      },
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        launch: resolve(import.meta.dirname, 'launch/index.html'),
      },
    },
  },
});
