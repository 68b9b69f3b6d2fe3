/**
 * `npm run build:cli`: the batch CLI (cli/assess.ts) compiled to one plain-JavaScript ES module,
 * dist-cli/assess.js, with our code and its runtime dependencies (zod) bundled in, so a deployment runs it with
 * `node` alone: no tsx, no dev dependencies, no node_modules. Target Node 20; CI also runs it under Node 24.
 * Kept out of dist/, the static app that the deploy ships.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where `npm run build:cli` writes the CLI (the package's `bin`). Its file name must stay `assess.js`. */
export const compiledCli = `${root}dist-cli/assess.js`;

/** Compiles cli/assess.ts into `outfile` (an executable `assess.js`); returns its size in bytes. */
export async function buildCli(outfile = compiledCli): Promise<number> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['cli/assess.ts'],
    bundle: true,
    packages: 'bundle',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Minified: less JavaScript for node to parse on every start (the CLI prints no stack traces).
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    outfile,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('build:cli: esbuild produced no output');
  // esbuild keeps the entry's hashbang (`npx tsx`, for running the source); the compiled file needs node only.
  const text = `#!/usr/bin/env node\n${file.text.replace(/^#![^\n]*\n/, '')}`;
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(outfile, text);
  chmodSync(outfile, 0o755);
  return Buffer.byteLength(text);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await buildCli();
  console.log(`build:cli: ${relative(process.cwd(), compiledCli)} (${(bytes / 1024).toFixed(1)} kB)`);
}
