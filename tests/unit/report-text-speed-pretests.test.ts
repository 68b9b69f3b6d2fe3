/**
 * The report reader's exact pre-tests (a literal looked for before a regex runs) never skip anything the regex
 * would find: checked on every sentence of the labelled corpora, in upper, lower and as-written case, and on
 * generated clauses dense with distractor numbers.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISTRACTORS, FIELD_PRETESTS, maskDistractors, readingOf } from '../../src/fhir/map/report-layout';
import {
  EXTRACTOR_FAMILIES,
  HEDGE_PRETEST,
  headingAlone,
  lastWords,
  polarityOf,
  splitClauses,
} from '../../src/fhir/map/report-text';
import { splitSentences } from '../../src/fhir/map/text-normalize';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every text of the labelled corpora (column 2 of the .tsv files), with its line breaks. */
function corpusTexts(): string[] {
  const texts: string[] = [];
  for (const dir of ['report-sentences', 'report-sentences-holdout']) {
    for (const file of readdirSync(FIXTURES + dir)
      .filter((f) => f.endsWith('.tsv'))
      .sort()) {
      for (const line of readFileSync(`${FIXTURES}${dir}/${file}`, 'utf8').split('\n')) {
        const text = line.startsWith('#') ? undefined : line.split('\t')[1];
        if (text) texts.push(text.replace(/\\r\\n/g, '\r\n').replace(/\\n/g, '\n'));
      }
    }
  }
  return texts;
}

/** The clauses the extractors are given: sentences, read field by field, split at clause boundaries. */
function clausesOf(text: string): { clause: string; reading: string }[] {
  return splitSentences(text).flatMap((sentence) => {
    const reading = readingOf(sentence);
    return splitClauses(reading).map((clause) => ({ clause, reading }));
  });
}

const TEXTS = corpusTexts().flatMap((t) => [t, t.toUpperCase(), t.toLowerCase()]);

/** The masking loop without its pre-tests, as it ran before them. */
function maskUngated(clause: string): string {
  if (!/\d/.test(clause)) return clause;
  let out = clause.replace(/(\d),(\d{1,2})(?=\s*(?:cm|mm|%|[x×]\s*\d))/g, '$1.$2');
  for (const { re } of DISTRACTORS) {
    re.lastIndex = 0;
    out = out.replace(re, (m) => m.replace(/\d/g, '#'));
    if (!/\d/.test(out)) break;
  }
  return out;
}

/** Clauses made of distractor tokens, sizes and counts in random order and case. */
// prettier-ignore
const TOKENS = [
  'LR-5', 'LI-RADS v2018', 'LR-TR viable', 'v2018', 'segment 7', 'segments 5 and 6', 'seg. VI', 'Couinaud 8',
  'S8', 'S5/6', 'Vp2', 'Vv0', 'TE3', 'TE 2.3/4.6 ms', 'BCLC B', 'BCLC stage C', 'RECIST 1.1', 'mRECIST',
  'T2W', 'T1-weighted', 'series 5 image 30', 'im 12', '(12/40)', '2026-01-02', '2025-03-04T10:00:00Z',
  '12/03/2025', '1.2.24', '10:30', '2019', '3rd', 'Jan 5', '5 March', 'may', '6 months', '3-year-old', 'grade 2',
  'Child-Pugh B7', 'ECOG 1', 'TACE #2', 'cycle 3', '#3', 'x 3', 'x3', '1.', 'a)', '2,4 cm', '3,1 x 2,0 cm',
  '4.2 cm', '45 mm', 'two lesions', '3 nodules', '60 %', 'new', 'lesion', 'and', ',', ';', 'with', 'no', 'of',
  'stable disease', 'partial response', 'mRECIST: PR', 'CR (EASL)', 'viable', 'nonviable', 'necrosis', 'lipiodol',
  'enhancing', 'thrombus', 'portal vein', 'patent', 'invasion', 'metastases', 'lung', 'lymph nodes', 'multiple',
  'de novo', 'interval appearance of', 'possibly', 'RECICL', 'three', 'several', 'a few', 'without',
  'complete necrosis', '100 % necrosis', 'rib', 'adrenal', 'omentum', 'deposits', 'spread outside the liver',
  'metastasis', 'nodes', 'tumour', 'HCC', 'masses', 'innumerable', 'diffusely infiltrative',
  // Literals inside words and at word starts, for the word-boundary pre-tests.
  'lymphadenopathy', 'adenopathy', 'hemidiaphragm', 'diaphragmatic', 'subpleural', 'nonlung', 'multinodular',
  'nodularity', 'LRTIV', 'LR-TIV', 'microvascular invasion', 'invading the portal vein', 'PVTT', 'Vp0', 'Vv2',
  'enhancing soft tissue within the portal vein', 'fills the lumen of the hepatic vein', 'vein involvement',
  'portal veins are free', 'peritoneal carcinomatosis', 'distant metastases', 'extra-hepatic', 'EHS',
  'spread outside the liver', 'disease beyond the liver', 'xthe liver', 'thrombosis', 'PV thrombus', 'L3',
  'intratumoural', 'peritumoral', 'but', 'however', 'although', 'though', 'yet', 'whereas', 'aside from',
  'xbut', 'nonetheless', 'butyl', ':', 'x:y',
  // Distractor keywords inside words and after hyphens.
  'xseries 5', 'imaged 3', 'islice 4', 'SLICE 7', '3-day', '2-week', '4 mo', 'mRECIST 1.1', 'm-RECIST 1.0',
  'preTE3', 'TE-2', 'Vp-1', 'xVp2', 'BCLC-A', 'PS 1', 'ALBI 2', 'box 3', 'x 3', 'xx 3', '5 March 2024',
  'Marchx 5', 'LR-4', 'LI-RADS 5', 'xLR-3', 'segment7', 'subsegment 4', 'TACE#3', 'preTACE 2', 'midweek 2',
  // LI-RADS TR categories in both orders, glued and bracketed, for the "LR"/"LI" pre-test.
  'viable (LR-TR)', 'Nonviable (LI-RADS TR)', 'equivocal ( LRTR )', 'LRTR nonevaluable', 'xLR-TR viable',
  'LI-RADS 2018 TR equivocal', 'LR TRA viable', '(LR-TR)', 'non-evaluable', 'treatment response',
];
const clause = fc
  .array(
    fc
      .tuple(fc.constantFrom(...TOKENS), fc.constantFrom('as', 'upper', 'lower'))
      .map(([t, c]) => (c === 'upper' ? t.toUpperCase() : c === 'lower' ? t.toLowerCase() : t)),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(' '));

describe('extractor family pre-tests', () => {
  it('a family is skipped only where its extractor finds nothing (corpus)', () => {
    const missed: string[] = [];
    for (const text of TEXTS) {
      for (const { clause, reading } of clausesOf(text)) {
        const masked = maskDistractors(clause);
        for (const family of EXTRACTOR_FAMILIES) {
          if (family.mayHit(clause)) continue;
          if (family.extract(clause, reading, masked).length > 0) missed.push(`${family.name}: ${clause}`);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  it('a family is skipped only where its extractor finds nothing (generated)', () => {
    fc.assert(
      fc.property(clause, (c) => {
        const masked = maskDistractors(c);
        for (const family of EXTRACTOR_FAMILIES) {
          if (!family.mayHit(c)) expect(family.extract(c, c, masked)).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('distractor pre-tests', () => {
  it('masking with pre-tests equals masking without them (corpus)', () => {
    for (const text of TEXTS) {
      for (const { clause } of clausesOf(text)) expect(maskDistractors(clause)).toBe(maskUngated(clause));
    }
  });

  it('masking with pre-tests equals masking without them (generated)', () => {
    fc.assert(
      fc.property(clause, (c) => {
        expect(maskDistractors(c)).toBe(maskUngated(c));
        // Each pre-test on its own: a skipped pattern has no match in the text.
        for (const d of DISTRACTORS) {
          if (!d.needs.test(c)) expect(c.match(d.re)).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('readings and polarity against the reader before its pre-tests', () => {
  it('the same field readings and polarities over the corpora (digest of the output before)', () => {
    const h = createHash('sha256');
    for (const text of TEXTS) {
      for (const sentence of splitSentences(text)) {
        const reading = readingOf(sentence);
        h.update(reading + '\n');
        for (const c of splitClauses(reading)) {
          for (let a = 0; a <= c.length; a += 3)
            for (const b of [a, Math.min(c.length, a + 5), c.length]) h.update(polarityOf(c, a, b));
        }
      }
    }
    // Computed with main at 98b9e12 (before any pre-test) over the same inputs.
    expect(h.digest('hex')).toBe('664dc185d01bffd438a4c2beb02b4b18c9220b265d4dc0eb35d68655d4207c65');
  });
});

/** splitClauses as it was before its fast path (CLAUSE_SPLIT and the bracket hiding, copied). */
function splitClausesBefore(sentence: string): string[] {
  let depth = 0;
  let hidden = '';
  for (const ch of sentence) {
    if (ch === '(' || ch === '[') depth += 1;
    if (depth > 0 && ch !== '(' && ch !== '[' && ch !== ')' && ch !== ']') hidden += ch === ' ' ? ' ' : 'x';
    else hidden += ch;
    if ((ch === ')' || ch === ']') && depth > 0) depth -= 1;
  }
  const re = /;|:(?=\s)|,?\s+\b(?:but|however|although|though|except|whereas|while|yet|aside from)\b\s*/gi;
  const out: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(hidden)) !== null) {
    out.push(sentence.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  out.push(sentence.slice(last));
  return out.map((c) => c.trim()).filter((c) => c.length > 0);
}

describe('clause split fast path', () => {
  it('equals the split without it (corpus readings)', () => {
    for (const text of TEXTS) {
      for (const sentence of splitSentences(text)) {
        const reading = readingOf(sentence);
        expect(splitClauses(reading)).toEqual(splitClausesBefore(reading));
      }
    }
  });

  it('equals the split without it (generated, with brackets, surrogates and split words)', () => {
    // prettier-ignore
    const piece = fc.constantFrom('(', ')', '[', ']', ' ', 'a', 'E', 'c', 'e', 'x', 'pt', ';', ':', ',', '😀',
      'but', 'BUT', 'except', 'exc', 'ept', 'while', 'aside from', 'yet', 'lesion', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        expect(splitClauses(s)).toEqual(splitClausesBefore(s));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('field line and heading pre-tests', () => {
  // prettier-ignore
  const piece = fc.constantFrom('Portal vein', 'New lesions', 'LR-TR', 'x', ' ', '  ', '\t', '\u00a0', ':', ': ',
    ' - ', ' – ', ' — ', '-', '.', '. ', 'none', 'NONE', 'Absent', 'nil', 'not seen', 'NOT IDENTIFIED', 'negative',
    'seen', 'identified', 'İ', 'K', '3', '(n = 2)', 'no', 'without');
  const line = fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
  const lines = (): string[] =>
    TEXTS.flatMap((t) => splitSentences(t)).concat(fc.sample(line, { numRuns: 20000, seed: 5 }));

  it('a field pattern is skipped only where it cannot match', () => {
    const { negativeTail, mayEndNegative, fieldLine, fieldDash } = FIELD_PRETESTS;
    let tails = 0;
    for (const s of lines()) {
      if (negativeTail.test(s)) {
        tails += 1;
        expect(mayEndNegative(s)).toBe(true);
      }
      if (fieldLine.test(s)) expect(s.includes(':') || fieldDash.test(s)).toBe(true);
    }
    expect(tails).toBeGreaterThan(100);
  });

  it('headingAlone is /^[^:]{1,60}:\\s*$/', () => {
    for (const s of lines()) expect(headingAlone(s)).toBe(/^[^:]{1,60}:\s*$/.test(s));
    for (const n of [0, 1, 59, 60, 61]) {
      const s = `${'a'.repeat(n)}: \t`;
      expect(headingAlone(s)).toBe(/^[^:]{1,60}:\s*$/.test(s));
    }
  });
});

describe('lastWords from the end', () => {
  it('equals the last words of the whole split, joined by one space', () => {
    // prettier-ignore
    const piece = fc.constantFrom('no', 'not', 'a', 'lesion', ' ', '  ', '\t', '\n', '\u00a0', '\u2028', '\u3000',
      '\ufeff', '\u180e', '\u200b', '😀', '\ud800', 'x');
    const before = (s: string, n: number): string => {
      const words = s.trim().split(/\s+/);
      return words.slice(Math.max(0, words.length - n)).join(' ');
    };
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 10 }), (parts, n) => {
        const s = parts.join('');
        expect(lastWords(s, n)).toBe(before(s, n));
      }),
      { numRuns: 20000 },
    );
    for (const text of TEXTS) expect(lastWords(text, 8)).toBe(before(text, 8));
  });
});

describe('hedge pre-test', () => {
  // One phrase for each alternative of HEDGE, in its order.
  // prettier-ignore
  const PHRASES = [
    'possible', 'possibly', 'probable', 'probably', 'likely', 'may be', 'may represent', 'might', 'could be',
    'could represent', 'cannot exclude', 'cannot be excluded', 'can not be ruled out', 'cannot be ruled out',
    'not be excluded', 'not excluded', 'indeterminate', 'equivocal', 'suspicious for', 'suspicious of', 'suspect',
    'suspected', 'questionable', 'question of', 'concern for', 'concerning for', 'worrisome for', 'suggestive of',
    'differential', 'versus', 'vs', 'vs.', 'uncertain', 'unclear', 'favored', 'favoured', 'presumed', 'presumably',
    'not assessable', 'not evaluable', 'not assessed', 'not evaluated', 'cannot assess', 'cannot be evaluated',
    'cannot differentiate', 'cannot distinguish', 'cannot characterize', 'cannot be characterised', 'is not assessed',
    'are difficult to evaluate', 'difficult to assess', 'difficult to characterize', 'assessment limited',
    'evaluation of the liver is limited', 'limited by', 'limited due to', 'limited assessment', 'limited evaluation',
    'too small to characterize', 'too small to characterise', 'below the size threshold', 'no definite',
    'no convincing', 'not certain', 'not entirely sure', 'not completely clear', 'not diagnostic of',
    'difficult to delineate', 'difficult to separate', 'difficult to distinguish', 'perhaps', 'maybe',
    'conceivably', 'borderline', 'cannot rule out', "can't rule out", 'cant rule out', 'could reflect',
    'could indicate', 'in keeping with perfusion', 'most in keeping with a shunt', 'more in keeping with pseudo',
    'no definitive', 'without definite', 'not definitely', 'cannot be confirmed', 'not confirmed', 'unconfirmed',
    'is a consideration', 'are a consideration', 'may reflect', 'may indicate', 'may measure', 'may correspond',
    'may relate', 'differentiation between', 'differentiating from', 'distinguish between', 'distinguishing from',
    '?',
  ];
  const { hedge, words } = HEDGE_PRETEST;

  it('every hedge phrase holds one of the words (upper and lower case too)', () => {
    for (const p of PHRASES.flatMap((x) => [x, x.toUpperCase(), `a ${x} b`])) {
      expect(hedge.test(p), p).toBe(true);
      expect(words.test(p), p).toBe(true);
    }
  });

  it('a text HEDGE matches holds one of the words (corpus and generated)', () => {
    let hedged = 0;
    const piece = fc.constantFrom(...PHRASES, ' ', 'x', 'no', 'lesion', '.', ';', '(', ')', 'is', 'of');
    const generated = fc.sample(
      fc.array(piece, { maxLength: 8 }).map((p) => p.join(' ')),
      { numRuns: 5000, seed: 9 },
    );
    for (const s of [...TEXTS.flatMap((t) => splitSentences(t)), ...generated]) {
      if (!hedge.test(s)) continue;
      hedged += 1;
      expect(words.test(s), s).toBe(true);
    }
    expect(hedged).toBeGreaterThan(1000);
  });
});
