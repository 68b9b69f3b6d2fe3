/**
 * The report reader keeps each findingKey once without serialising every finding: the same findings, in the same
 * order, as keeping the first finding of each findingKey (what it did before), on generated reports whose sentences
 * repeat with other case and spacing, under scale headings, in the same and in other texts.
 */
import { describe, expect, it } from 'vitest';
import type { ImagingFinding } from '../../src/domain/imaging';
import type { EvidenceOrigin } from '../../src/domain/source';
import {
  extractFindings,
  extractReportFindings,
  findingKey,
  findingsWithRepeats,
  sentenceMemo,
} from '../../src/fhir/map/report-text';
import type { SentenceMemo, TextContext } from '../../src/fhir/map/report-text';
import { pick, seededRandom } from './seeded-random';

const source = { resourceType: 'DiagnosticReport', id: 'r1', label: 'CT' } as const;

/** The first finding of each findingKey, in order. */
function firstOfEachKey(findings: readonly ImagingFinding[]): ImagingFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = findingKey(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// prettier-ignore
const SENTENCES = [
  'Two LR-5 observations, consistent with hepatocellular carcinoma: segment 8, 4.6 cm, and segment 7, 2.1 cm.',
  'Tumor in vein: absent.', 'Tumor in vein: Absent', 'Extrahepatic disease: none in the imaged field.',
  'Portal vein: Patent', 'Hepatic veins: patent', 'Size: 4.4 cm (previously 4.6 cm)', 'LR-TR category: Viable',
  'Viable tumor: approximately 60% of the lesion', 'Lipiodol deposition: Poor, less than 50% of the lesion',
  'mRECIST: stable disease.', 'New observations: None', 'Number of observations: 2', 'PR', 'SD',
  'Partial response by mRECIST, stable disease by RECIST 1.1.', 'No new lesions.', 'No new lesions. No new lesions.',
  'Two new nodules in segment 6, the largest 1.2 cm; no portal vein thrombus; no portal vein thrombus.',
  'Complete necrosis of the treated lesion, no residual enhancement.', 'Multiple pulmonary metastases.',
  'Lymph nodes: Not enlarged', 'There is tumour thrombus in the main portal vein (Vp4).', 'TE4 (RECICL).',
  'Stable disease; stable disease.', 'Lesion count unchanged at three.', 'LR-TR Nonviable, LR-TR Nonviable.',
];
const HEADINGS = ['mRECIST', 'LI-RADS TR:', 'IMPRESSION:', 'EASL'];

/** A text of picked sentences, some repeated with other case or spacing, some under a scale heading. */
function generatedText(rnd: () => number): string {
  const lines: string[] = [];
  const n = 1 + Math.floor(rnd() * 10);
  for (let i = 0; i < n; i += 1) {
    if (rnd() < 0.15) lines.push(pick(rnd, HEADINGS));
    let s = rnd() < 0.3 && lines.length > 0 ? pick(rnd, lines) : pick(rnd, SENTENCES);
    const r = rnd();
    if (r < 0.15) s = s.toUpperCase();
    else if (r < 0.3) s = s.toLowerCase();
    else if (r < 0.4) s = s.replace(/ /g, '  ');
    else if (r < 0.45) s = s.replace(/ /, '\t');
    lines.push(s);
  }
  return lines.join(rnd() < 0.5 ? '\n' : ' ');
}

const ctx = (memo?: SentenceMemo, origin?: EvidenceOrigin): TextContext => ({
  source,
  date: '2026-01-01',
  ...(memo ? { memo } : {}),
  ...(origin ? { origin } : {}),
});

describe('findingKey de-duplication', () => {
  it('one text: the first finding of each findingKey, with and without a memo', () => {
    const rnd = seededRandom(13);
    let repeats = 0;
    for (let i = 0; i < 400; i += 1) {
      const text = generatedText(rnd);
      const all = findingsWithRepeats(text, ctx());
      const expected = firstOfEachKey(all);
      repeats += all.length - expected.length;
      expect(extractFindings(text, ctx())).toEqual(expected);
      const memo = sentenceMemo();
      expect(extractFindings(text, ctx(memo))).toEqual(expected);
      expect(extractFindings(text, ctx(memo))).toEqual(expected); // every sentence from the memo
    }
    expect(repeats).toBeGreaterThan(100); // the inputs do repeat findingKeys
  });

  it('a report of several texts: the first finding of each findingKey over all of them', () => {
    const rnd = seededRandom(29);
    for (let i = 0; i < 200; i += 1) {
      const memo = rnd() < 0.5 ? sentenceMemo() : undefined;
      const texts = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
        text: generatedText(rnd),
        origin: (rnd() < 0.2 ? 'coded' : 'text') as EvidenceOrigin,
      }));
      const expected = firstOfEachKey(
        texts.flatMap((t) => findingsWithRepeats(t.text, ctx(undefined, t.origin))),
      );
      expect(extractReportFindings(texts, ctx(memo))).toEqual(expected);
    }
  });
});
