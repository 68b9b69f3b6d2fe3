import { describe, expect, it } from 'vitest';
import {
  LIVER_WORDS,
  NON_LIVER_SITES,
  WEAK_LIVER_WORDS,
  mayNameOtherSite,
  procedureCodes,
  wordSiteOf,
} from '../../src/fhir/map/procedures';
import { SYSTEMS, normalizeSystem } from '../../src/fhir/codes';
import type { CodeableConcept } from '../../src/fhir/schemas/common';
import { pick, seededRandom } from './seeded-random';

/**
 * mayNameOtherSite (src/fhir/map/procedures.ts) is one regex standing for the eighteen NON_LIVER_SITES patterns:
 * when it says no, the eighteen tests are skipped. It must say yes whenever one of them matches.
 */
const some = (text: string): boolean => NON_LIVER_SITES.some(([, re]) => re.test(text));

const WORDS = [
  'liver',
  'hepatic',
  'extrahepatic',
  'extra-hepatic',
  'hepatic flexure',
  'gallbladder',
  'bladder',
  'percutaneous',
  'cutaneous',
  'TACE',
  'Chemoembolization',
  'segment 7',
  'colon',
  'AV node',
  'av-nod',
  'Lymph',
  'hip',
  'hipp',
  'spinal',
  'spine',
  'Ovary',
  'renal',
  'adrenal',
  'bowel',
  'Y-90',
  'radioembolization',
  '|',
  '(',
  ')',
  '-',
  '',
];

describe('mayNameOtherSite', () => {
  it('joins the patterns (so the pre-test is in use at all)', () => {
    expect(NON_LIVER_SITES.length).toBe(18);
    expect(mayNameOtherSite('Chemoembolization of liver | TACE')).toBe(false);
  });

  it('says yes for every word list any NON_LIVER_SITES pattern matches, and no otherwise', () => {
    const next = seededRandom(9);
    const pick = (): string => WORDS[Math.floor(next() * WORDS.length)] as string;
    for (let i = 0; i < 5000; i += 1) {
      const n = 1 + Math.floor(next() * 5);
      const text = Array.from({ length: n }, pick).join(next() < 0.5 ? ' ' : '');
      expect(mayNameOtherSite(text), text).toBe(some(text));
    }
  });

  it('agrees on the sample words of each site pattern', () => {
    for (const [, re] of NON_LIVER_SITES) {
      for (const word of re.source.split('|')) {
        const plain = word.replace(/\\b|\(\?<!\w+\)|[()?:[\]]/g, '');
        for (const text of [plain, `x ${plain} y`, `liver | ${plain}`])
          expect(mayNameOtherSite(text), text).toBe(some(text));
      }
    }
  });
});

describe('wordSiteOf (the word tests of siteOf, kept by text)', () => {
  const direct = (text: string) => ({
    strong: LIVER_WORDS.test(text),
    weak: WEAK_LIVER_WORDS.test(text),
    other: NON_LIVER_SITES.find(([, re]) => re.test(text))?.[0],
  });

  it('answers as the regexes do, for new and repeated texts and after the store is emptied (generated)', () => {
    const next = seededRandom(21);
    const pick = (): string => WORDS[Math.floor(next() * WORDS.length)] as string;
    const texts = Array.from({ length: 300 }, () =>
      Array.from({ length: 1 + Math.floor(next() * 4) }, pick).join(' | '),
    );
    let liverOrOther = 0;
    // 12,000 look-ups: half over 300 repeated texts, half one-off texts (6,000, more than the store keeps): hits,
    // misses and the store emptied.
    for (let i = 0; i < 12000; i += 1) {
      const text =
        i % 2 === 1 ? `${texts[i % 300] as string} #${i}` : (texts[Math.floor(next() * 300)] as string);
      const expected = direct(text);
      expect(wordSiteOf(text), text).toEqual(expected);
      if (expected.strong || expected.other !== undefined) liverOrOther += 1;
    }
    expect(liverOrOther).toBeGreaterThan(1000);
  });
});

describe('procedureCodes', () => {
  /** The former per-system filter. */
  const codesIn = (concept: CodeableConcept | undefined, system: string): string[] =>
    (concept?.coding ?? [])
      .filter((c) => normalizeSystem(c.system) === system && c.code)
      .map((c) => c.code as string);
  const SYSTEM_SPELLINGS = [
    SYSTEMS.cpt,
    SYSTEMS.hcpcs,
    SYSTEMS.icd10pcs,
    SYSTEMS.snomed,
    ` ${SYSTEMS.cpt} `,
    'urn:oid:2.16.840.1.113883.6.12',
    'URN:OID:2.16.840.1.113883.6.96',
    'urn:oid:2.16.840.1.113883.6.285',
    'urn:oid:2.16.840.1.113883.6.4',
    SYSTEMS.loinc,
    '',
    undefined,
  ];

  it('gives each system the codes the former per-system filter gave, in order (generated codings)', () => {
    const rnd = seededRandom(31);
    let codes = 0;
    for (let n = 0; n < 3000; n += 1) {
      const coding = Array.from({ length: Math.floor(rnd() * 5) }, () => {
        const system = pick(rnd, SYSTEM_SPELLINGS);
        const code = pick(rnd, ['37243', '79445', 'S2095', '0FY00Z0', '233527006', '', undefined]);
        return { ...(system === undefined ? {} : { system }), ...(code === undefined ? {} : { code }) };
      });
      const concept: CodeableConcept | undefined = rnd() < 0.05 ? undefined : rnd() < 0.05 ? {} : { coding };
      const got = procedureCodes(concept);
      expect(got.cpt).toEqual(codesIn(concept, SYSTEMS.cpt));
      expect(got.hcpcs).toEqual(codesIn(concept, SYSTEMS.hcpcs));
      expect(got.pcs).toEqual(codesIn(concept, SYSTEMS.icd10pcs));
      expect(got.snomed).toEqual(codesIn(concept, SYSTEMS.snomed));
      codes += got.cpt.length + got.hcpcs.length + got.pcs.length + got.snomed.length;
    }
    expect(codes).toBeGreaterThan(2000);
  });
});
