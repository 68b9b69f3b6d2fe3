/**
 * `npm run eval:reports [-- <folder>]`: runs the report-text reader over the labelled sentence corpus
 * (tests/fixtures/report-sentences/*.tsv, or every .tsv of <folder>, e.g. the held-out set
 * tests/fixtures/report-sentences-holdout/) and prints precision/recall per finding type, recall per family, the
 * share of lines with distractor numbers, and every false positive and false negative with its file:line.
 * Prints figures only; always exits 0 (tests/unit/report-corpus.test.ts holds the thresholds).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative, resolve } from 'node:path';
import { extractFindings } from '../src/fhir/map/report-text';
import { formatReport, scoreCorpus } from './report-eval/score';

export const CORPUS_DIR = fileURLToPath(new URL('../tests/fixtures/report-sentences/', import.meta.url));

const CTX = { source: { resourceType: 'DiagnosticReport', id: 'x' }, date: '2026-01-01' } as const;

/** Every .tsv of the corpus folder, sorted by name, with a repository-relative name for file:line. */
export function loadCorpusFiles(dir: string = CORPUS_DIR): { name: string; content: string }[] {
  const root = fileURLToPath(new URL('../', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
    .map((f) => ({ name: relative(root, join(dir, f)), content: readFileSync(join(dir, f), 'utf8') }));
}

export function runCorpus(dir: string = CORPUS_DIR) {
  return scoreCorpus(loadCorpusFiles(dir), (text) => extractFindings(text, CTX));
}

if (process.argv[1]?.endsWith('eval-reports.ts')) {
  // A folder argument is relative to where npm was invoked (INIT_CWD), not to the package root npm runs in.
  const folder = process.argv[2];
  const dir = folder ? resolve(process.env.INIT_CWD ?? process.cwd(), folder) : CORPUS_DIR;
  console.log(formatReport(runCorpus(dir)));
}
