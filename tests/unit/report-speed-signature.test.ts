/**
 * The prefix signature (report-layout.ts, prefixSignature) that rules regexes out before they run: a regex it rules
 * out never matches, so the family pre-tests and the distractor masking answer as they did before it (reference
 * copies below), on the labelled corpora and on generated clauses where the literals meet digits, '#', '_',
 * hyphens, other letters and non-ASCII letters that case-fold to ASCII ones (ſ, K, İ).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DISTRACTORS,
  maskDistractors,
  prefixSignature,
  prefixTables,
  readingOf,
} from '../../src/fhir/map/report-layout';
import {
  COUNT_PRETESTS,
  EXTRACTOR_FAMILIES,
  PRETEST_PREFIXES,
  pretestSignature,
  splitClauses,
} from '../../src/fhir/map/report-text';
import { splitSentences } from '../../src/fhir/map/text-normalize';
import { pick, seededRandom } from './seeded-random';

// The family pre-tests as they were before the signature (the same regexes, each always run).
const BEFORE: Readonly<Record<string, (c: string) => boolean>> = {
  response: (c) => /response|remission|stable|progress/i.test(c) || /CR|PR|SD|PD/.test(c),
  // Since this change also "LR"/"LI" at a word start (report-text-speed-pretests checks it against the extractor).
  'lirads-tr': (c) => /viable|equivocal|evaluable/i.test(c) && /\bl[ri]/i.test(c),
  recicl: (c) => /TE\s?-?\s?[1-4]/.test(c),
  percent: (c) =>
    /lipiodol|ethiodi|necro|viab|enhanc|residual tumo/i.test(c) &&
    /%|percent|\bno\b|without|complete/i.test(c),
  count: (c) =>
    /lesion|nodul|tumo|mass|foci|focus|observation|hcc|carcinoma|disease|innumerable|infiltrat|too numerous/i.test(
      c,
    ) &&
    /\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|single|solitary|many|multiple|numerous|innumerable|countless|several|a few|multifocal|multinodular|diffuse|infiltrat|myriad/i.test(
      c,
    ),
  'new-lesions': (c) => /new|de novo|interval/i.test(c),
  'largest-diameter': (c) => /cm|mm/i.test(c),
  vascular: (c) =>
    /\b(?:tumo|pvtt|thromb|invasion|invad|vp|vv|lr-?tiv|tissue|lumen|involvement|patent|free)/i.test(c),
  extrahepatic: (c) =>
    /\b(?:extra|metasta|carcinomatosis|ehs|the liver)/i.test(c) ||
    (/\b(?:implant|deposit|seeding|nodul|node|lesion|mass|lymph|adenopathy|carcinomatosis)/i.test(c) &&
      /\b(?:lung|pulmonary|pleura|lobe|lingula|bone|osseous|vertebra|rib|skelet|sclerotic|lytic|l[1-5]|sacrum|pelvis|femur|node|nodal|lymph|adenopathy|adrenal|peritone|oment|carcinomatosis|paracolic|abdominal wall|drain tract|diaphragm|hemidiaphragm|mesenter|brain)/i.test(
        c,
      )),
};

/** maskDistractors as it was before the signature: every pre-test run. */
function maskBefore(clause: string): string {
  if (!/\d/.test(clause)) return clause;
  let out = clause.includes(',')
    ? clause.replace(/(\d),(\d{1,2})(?=\s*(?:cm|mm|%|[x×]\s*\d))/g, '$1.$2')
    : clause;
  for (const d of DISTRACTORS) {
    if (!d.needs.test(out)) continue;
    d.re.lastIndex = 0;
    if (!d.re.test(out)) continue;
    d.re.lastIndex = 0;
    out = out.replace(d.re, (m) => m.replace(/\d/g, '#'));
    if (!/\d/.test(out)) break;
  }
  return out;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
function corpusClauses(): string[] {
  const out: string[] = [];
  for (const dir of ['report-sentences', 'report-sentences-holdout']) {
    for (const file of readdirSync(FIXTURES + dir).filter((f) => f.endsWith('.tsv'))) {
      for (const line of readFileSync(`${FIXTURES}${dir}/${file}`, 'utf8').split('\n')) {
        const text = line.startsWith('#') ? undefined : line.split('\t')[1];
        if (!text) continue;
        const t = text.replace(/\\n/g, '\n');
        for (const v of [t, t.toUpperCase(), t.toLowerCase()])
          for (const s of splitSentences(v)) out.push(...splitClauses(readingOf(s)));
      }
    }
  }
  return out;
}

// Every literal of the pre-tests and the distractor keywords, whole, cut short and inside other text.
// prettier-ignore
const WORDS = [
  'response', 'remission', 'stable', 'progress', 'CR', 'PR', 'SD', 'PD', 'viable', 'equivocal', 'evaluable', 'TE3',
  'TE 2', 'TE-4', 'TE - 1', 'lipiodol', 'ethiodized', 'necrosis', 'viab', 'enhancing', 'residual tumour', '%',
  'percent', 'no', 'without', 'complete', 'lesion', 'nodule', 'tumor', 'mass', 'foci', 'focus', 'observation', 'HCC',
  'carcinoma', 'disease', 'innumerable', 'infiltrative', 'too numerous', 'one', 'two', 'three', 'four', 'five', 'six',
  'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'single', 'solitary', 'many', 'multiple', 'numerous',
  'countless', 'several', 'a few', 'multifocal', 'multinodular', 'diffuse', 'myriad', 'new', 'de novo', 'interval',
  'cm', 'mm', 'pvtt', 'thrombus', 'invasion', 'invading', 'vp', 'Vv', 'LR-TIV', 'LRTIV', 'tissue', 'lumen',
  'involvement', 'patent', 'free', 'extrahepatic', 'metastasis', 'carcinomatosis', 'EHS', 'the liver', 'lung',
  'pulmonary', 'pleural', 'lobe', 'lingula', 'bone', 'osseous', 'vertebral', 'rib', 'skeletal', 'sclerotic', 'lytic',
  'L3', 'sacrum', 'pelvis', 'femur', 'node', 'nodal', 'lymph', 'adenopathy', 'adrenal', 'peritoneal', 'omental',
  'paracolic', 'abdominal wall', 'drain tract', 'diaphragm', 'hemidiaphragm', 'mesentery', 'brain', 'implant',
  'deposit', 'seeding', 'LR-5', 'LI-RADS v2018', 'rads', 'v2018', 'segment 7', 'seg. 6', 'Couinaud 8', 'S8', 'Vp2',
  'BCLC B', 'mRECIST 1.1', 'RECIST 1.0', 'T2W', 'series 5', 'im 12', 'sl 3', '(12/40)', '2026-01-02', '12/03/2025',
  '1.2.24', '10:30', '1999', '2019', '3rd', '21st', '2nd', '4th', 'Jan 5', 'feb', 'mar', 'apr', 'may', 'jun', 'jul',
  'aug', 'sep', 'oct', 'nov', 'dec', '6 months', '3-year', '2 wk', '1 yr', '5 days', '2 weeks', 'grade 2',
  'class B', 'stage 3', 'ECOG 1', 'PS 0', 'ALBI 2', 'Child-Pugh B7', 'TACE #2', 'session 2', 'cycle 3',
  'procedure 1', 'treatment 2', 'visit 4', 'phase 2', 'day 15', 'week 3', 'month 6', '#3', 'x 3', 'x3', '1.', 'a)',
  '2,4 cm', '3,1 x 2,0 cm', '4.2', '45', 'possible', 'probably', 'likely', 'might', 'could', 'cannot', 'excluded',
  'ruled out', 'indeterminate', 'suspicious', 'questionable', 'concerning', 'worrisome', 'suggestive', 'differential',
  'versus', 'vs.', 'uncertain', 'unclear', 'favoured', 'presumed', 'assess', 'evaluation', 'difficult', 'limited',
  'small', 'threshold', 'definite', 'convincing', 'not', 'diagnostic', 'perhaps', 'conceivably', 'borderline',
  'keeping', 'confirmed', 'consideration', 'distinguish', '?', 'viable (LR-TR)', 'Equivocal (LI-RADS TR)',
  'lesions (n = 3)', 'Nodules ( n=12 )', 'tumor count 5', 'lesion number: 2', 'HCC count is 4', 'tumour number = 3',
  'from 2 to 4 lesions', 'from three to five nodules', 'number of lesions increased from 2 to 4',
  'count of tumors has gone up from 1 to 3', 'FROM', 'previously 3', 'no change', 'without significant interval growth',
  'no further increase in', 'not only', 'no longer than', 'no appreciable change of', 'no new', 'no evidence of',
  'negative for', 'free of', 'absence of', 'resolved', 'resolution of', 'rules out', 'ruled out', 'never', 'not seen',
  'is not a new', 'completely resolved', 'fully regressed', 'entirely resolved', 'disappeared', 'absent',
  'no longer visible', 'isnot a new', 'has not been identified', 'therefore not new', 'NOT', 'No',
];
// What a literal may meet: nothing, word characters, '#' (a masked digit), punctuation, non-ASCII letters.
const GLUE = ['', '', ' ', ' ', '-', '_', '5', '#', ',', '.', '(', 'x', 'é', 'ſ', 'K', 'İ', '\u00a0'];

function generatedClause(rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 6);
  let s = pick(rnd, GLUE);
  for (let i = 0; i < n; i += 1) {
    let w = pick(rnd, WORDS);
    const r = rnd();
    if (r < 0.2) w = w.toUpperCase();
    else if (r < 0.3)
      w = w.slice(0, 1 + Math.floor(rnd() * w.length)); // cut short
    else if (r < 0.35) w = w.replace(/s/g, 'ſ').replace(/k/g, 'K').replace(/i/g, 'İ');
    s += w + pick(rnd, GLUE);
  }
  return s;
}

/** The clause with each digit masked to '#' or kept, at random: a text a later distractor pre-test may see. */
function partlyMasked(rnd: () => number, s: string): string {
  return s.replace(/\d/g, (d) => (rnd() < 0.5 ? '#' : d));
}

const CORPUS = corpusClauses();
const GENERATED = ((): string[] => {
  const rnd = seededRandom(21);
  return Array.from({ length: 40000 }, () => generatedClause(rnd));
})();

describe('prefix signature', () => {
  it('never rules out a pre-test regex that matches (corpus and generated)', () => {
    const regexes = [...new Set(PRETEST_PREFIXES.map((g) => g.re))];
    const matched = new Map<RegExp, number>();
    const missed: string[] = [];
    for (const c of [...CORPUS, ...GENERATED]) {
      const sig = pretestSignature(c);
      for (const re of regexes) {
        if (!re.test(c)) continue;
        matched.set(re, (matched.get(re) ?? 0) + 1);
        const bits = PRETEST_PREFIXES.filter((g) => g.re === re).reduce((b, g) => b | g.bit, 0);
        if ((sig & bits) === 0) missed.push(`${String(re)} in ${c}`);
      }
    }
    expect(missed).toEqual([]);
    // The one-unit groups are exact: set exactly where the clause holds a digit, or a "%".
    for (const c of [...CORPUS, ...GENERATED]) {
      const sig = pretestSignature(c);
      for (const g of PRETEST_PREFIXES.filter((x) => x.prefixes?.length === 1 && x.prefixes[0]?.length === 1))
        if (((sig & g.bit) !== 0) !== g.re.test(c)) missed.push(`exact ${String(g.re)} in ${c}`);
    }
    expect(missed).toEqual([]);
    // Each regex was seen matching (the inputs exercise every group).
    for (const re of regexes) expect(matched.get(re) ?? 0, String(re)).toBeGreaterThan(100);
  });

  it('the family pre-tests answer as before (corpus and generated)', () => {
    let ruledOut = 0;
    const differ: string[] = [];
    for (const family of EXTRACTOR_FAMILIES) expect(BEFORE[family.name], family.name).toBeDefined();
    for (const c of [...CORPUS, ...GENERATED]) {
      const sig = pretestSignature(c);
      for (const family of EXTRACTOR_FAMILIES) {
        const now = family.mayHit(c, sig);
        if (now !== BEFORE[family.name]?.(c) || family.mayHit(c) !== now) differ.push(`${family.name}: ${c}`);
        if (!now) ruledOut += 1;
      }
    }
    expect(differ).toEqual([]);
    expect(ruledOut).toBeGreaterThan(10000);
  });

  it('never rules out a distractor pre-test that matches the text masked so far (generated)', () => {
    const tables = prefixTables(
      DISTRACTORS.map((d, k) => ({ bit: 1 << k, prefixes: d.prefixes, wordStart: d.wordStart === true })),
    );
    const rnd = seededRandom(5);
    let tested = 0;
    const missed: string[] = [];
    for (const c of [...CORPUS, ...GENERATED]) {
      const sig = prefixSignature(c, tables);
      for (const text of [c, partlyMasked(rnd, c), c.replace(/\d/g, '#')]) {
        DISTRACTORS.forEach((d, k) => {
          if (!d.needs.test(text)) return;
          tested += 1;
          if ((sig & (1 << k)) === 0) missed.push(`${String(d.needs)} in ${text}`);
        });
      }
    }
    expect(missed).toEqual([]);
    expect(tested).toBeGreaterThan(10000);
  });

  it('masking answers as before (corpus and generated)', () => {
    const differ = [...CORPUS, ...GENERATED].filter((c) => maskDistractors(c) !== maskBefore(c));
    expect(differ).toEqual([]);
  });

  it('the count patterns run only where their literal is (corpus and generated, masked)', () => {
    const missed: string[] = [];
    let matched = 0;
    for (const c of [...CORPUS, ...GENERATED]) {
      const masked = maskDistractors(c);
      for (const [literal, pattern] of COUNT_PRETESTS) {
        if (!pattern.test(masked)) continue;
        matched += 1;
        if (!literal.test(masked)) missed.push(`${String(literal)} in ${masked}`);
      }
    }
    expect(missed).toEqual([]);
    expect(matched).toBeGreaterThan(1000);
  });

  it('a group without prefixes is always set; a word-start group only where no letter or _ is before it', () => {
    const t = prefixTables([
      { bit: 1, prefixes: ['ab'] },
      { bit: 2, prefixes: ['ab'], wordStart: true },
      { bit: 4 },
      { bit: 8, prefixes: ['x'] },
      { bit: 16, prefixes: ['#-'] },
    ]);
    expect(prefixSignature('', t)).toBe(4);
    expect(prefixSignature('ab', t)).toBe(1 | 2 | 4);
    expect(prefixSignature('AB', t)).toBe(1 | 2 | 4);
    expect(prefixSignature('cab', t)).toBe(1 | 4);
    expect(prefixSignature('_ab', t)).toBe(1 | 4);
    expect(prefixSignature('5ab #ab', t)).toBe(1 | 2 | 4);
    expect(prefixSignature('éab', t)).toBe(1 | 2 | 4);
    expect(prefixSignature('a', t)).toBe(4);
    expect(prefixSignature('éX', t)).toBe(4 | 8);
    expect(prefixSignature('7-', t)).toBe(4 | 16);
    expect(prefixSignature('a-', t)).toBe(4);
    expect(() => prefixTables([{ bit: 1, prefixes: ['Ab'] }])).toThrow();
  });
});
