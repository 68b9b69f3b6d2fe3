/**
 * The report-text reader against the labelled sentence corpus (tests/fixtures/report-sentences/*.tsv, scored by
 * scripts/report-eval/score.ts). Clinical safety first: zero critical false positives (a false "present" for
 * vascular invasion, extrahepatic spread or new lesions, a tumour count the report does not state, a viable
 * fraction wholly ≥ 50 % that the report does not give); then recall ≥ 95 % in every phrasing family.
 * `npm run eval:reports` prints the full table.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCorpus } from '../../scripts/eval-reports';
import { FAMILIES, formatLocated, formatSummary } from '../../scripts/report-eval/score';

const MIN_LINES = 400;
const MIN_LINES_PER_FAMILY = 30;
const MIN_DISTRACTOR_SHARE = 0.25;
const MIN_FAMILY_RECALL = 0.95;

const score = runCorpus();

describe('report sentence corpus', () => {
  it('every line parses and the reader never throws', () => {
    expect(score.errors, score.errors.join('\n')).toEqual([]);
  });

  it(`holds ≥ ${MIN_LINES} lines, ≥ ${MIN_LINES_PER_FAMILY} per family, ≥ 25 % with distractor numbers`, () => {
    expect(score.lines).toBeGreaterThanOrEqual(MIN_LINES);
    const thin = FAMILIES.filter((f) => score.perFamily[f].lines < MIN_LINES_PER_FAMILY).map(
      (f) => `${f}: ${score.perFamily[f].lines} lines`,
    );
    expect(thin, `families under ${MIN_LINES_PER_FAMILY} lines:\n${thin.join('\n')}`).toEqual([]);
    expect(score.distractorShare).toBeGreaterThanOrEqual(MIN_DISTRACTOR_SHARE);
  });

  it('the reader makes no critical false positive', () => {
    const n = score.criticalFalsePositives.length;
    expect(
      n,
      `${n} critical false positive(s):\n${score.criticalFalsePositives.map(formatLocated).join('\n')}\n\n` +
        formatSummary(score),
    ).toBe(0);
  });

  it(`recall is ≥ ${MIN_FAMILY_RECALL * 100} % in every family`, () => {
    const failing = FAMILIES.filter((f) => (score.perFamily[f].recall ?? 1) < MIN_FAMILY_RECALL);
    const detail = failing.map((f) => {
      const s = score.perFamily[f];
      const misses = score.falseNegatives.filter((l) => l.family === f).map(formatLocated);
      return `${f}: recall ${((s.recall ?? 0) * 100).toFixed(1)} % (${s.tp} TP, ${s.fn} FN)\n${misses.join('\n')}`;
    });
    expect(failing, `families under ${MIN_FAMILY_RECALL * 100} % recall:\n${detail.join('\n\n')}`).toEqual(
      [],
    );
  });
});

/**
 * The second set (tests/fixtures/report-sentences-holdout/), written later by another author without reading the
 * reader. It was held out until its first run (11 critical false positives, recall 84.2 %); the reader was then
 * corrected on it, so it is no longer independent — it now guards the safety property only.
 */
describe('second sentence set (formerly held out)', () => {
  const second = runCorpus(fileURLToPath(new URL('../fixtures/report-sentences-holdout/', import.meta.url)));
  it('parses and makes no critical false positive', () => {
    expect(second.errors).toEqual([]);
    expect(second.lines).toBeGreaterThanOrEqual(200);
    expect(second.criticalFalsePositives.map(formatLocated), formatSummary(second)).toEqual([]);
  });
});
