/**
 * `npm run eval:reports`: runs the report-text reader over the labelled sentence corpus
 * (tests/fixtures/report-sentences/*.tsv) and prints precision/recall per finding type, recall per family, the
 * share of lines with distractor numbers, and every false positive and false negative with its file:line.
 * Prints figures only; always exits 0 (tests/unit/report-corpus.test.ts holds the thresholds).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
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

export function runCorpus() {
  return scoreCorpus(loadCorpusFiles(), (text) => extractFindings(text, CTX));
}

if (process.argv[1]?.endsWith('eval-reports.ts')) {
  console.log(formatReport(runCorpus()));
}
