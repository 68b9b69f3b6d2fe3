import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two pages: the app at `/` and the SMART launch page at `/launch/`. The sandbox EHR is never part of this
// build: it lives in `sandbox/` and only serves the built files during development and tests.
export default defineConfig({
  plugins: [react()],
  base: './',
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    sourcemap: true,
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
