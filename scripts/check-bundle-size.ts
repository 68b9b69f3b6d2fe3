#!/usr/bin/env -S npx tsx
/**
 * `npm run size` (after `vite build`): the gzip size of the JavaScript that dist/index.html loads at once — the
 * entry module scripts and their modulepreload imports, not the lazily imported chunks (e.g. the uPlot chart).
 * Prints the figure per file and in total; exits 1 above the budget (250 kB gzip).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 250 * 1024;

/** The JS files an HTML page loads initially: module scripts and modulepreload links (local, .js). */
export function initialScripts(html: string): string[] {
  const files = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\btype=["']module["'][^>]*\bsrc=["']([^"']+)["'][^>]*>/gi))
    files.add(m[1] ?? '');
  for (const m of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*\btype=["']module["'][^>]*>/gi))
    files.add(m[1] ?? '');
  for (const m of html.matchAll(
    /<link\b[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+)["'][^>]*>/gi,
  ))
    files.add(m[1] ?? '');
  for (const m of html.matchAll(
    /<link\b[^>]*\bhref=["']([^"']+)["'][^>]*\brel=["']modulepreload["'][^>]*>/gi,
  ))
    files.add(m[1] ?? '');
  return [...files].filter((f) => f !== '' && !/^[a-z]+:\/\//i.test(f) && !f.startsWith('//'));
}

function main() {
  const htmlPath = resolve(process.argv[2] ?? 'dist/index.html');
  if (!existsSync(htmlPath)) {
    console.error(`${htmlPath} not found: run \`vite build\` first.`);
    process.exit(2);
  }
  const root = dirname(htmlPath);
  const files = initialScripts(readFileSync(htmlPath, 'utf8'));
  if (files.length === 0) {
    console.error('No module script found in the page.');
    process.exit(2);
  }
  let total = 0;
  for (const f of files) {
    const path = join(root, f.replace(/^\.?\//, ''));
    const gz = gzipSync(readFileSync(path), { level: 9 }).length;
    total += gz;
    console.log(`${(gz / 1024).toFixed(1).padStart(8)} kB  ${f}`);
  }
  const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
  console.log(
    `${(total / 1024).toFixed(1).padStart(8)} kB  initial JavaScript, gzip (${verdict} the ${BUDGET_BYTES / 1024} kB budget)`,
  );
  process.exit(total <= BUDGET_BYTES ? 0 : 1);
}

// Run only as a script (tests import `initialScripts`).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
