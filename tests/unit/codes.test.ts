import { describe, expect, it } from 'vitest';
import {
  CONDITION_CODES,
  IMAGING,
  LAB_CODES,
  PROCEDURE_CODES,
  SYSTEMIC_THERAPY,
  SYSTEMS,
  codingMatches,
  conceptMatches,
  searchTokens,
} from '../../src/fhir/codes';

describe('codes value sets (clinical-reference.md §5)', () => {
  it('uses the standard system URIs', () => {
    expect(SYSTEMS.cpt).toBe('http://www.ama-assn.org/go/cpt');
    expect(SYSTEMS.loinc).toBe('http://loinc.org');
    expect(SYSTEMS.rxnorm).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
  });

  it('marks the §5 "verify" codes as verify', () => {
    const find = (entry: { codes: readonly { code: string; confidence: string }[] }, code: string) =>
      entry.codes.find((c) => c.code === code)?.confidence;
    expect(find(LAB_CODES.crp, '1988-5')).toBe('verify');
    expect(find(LAB_CODES.bilirubin, '14631-6')).toBe('verify');
    expect(find(LAB_CODES.albumin, '54347-0')).toBe('verify');
    expect(find(CONDITION_CODES.hcc, '25370001')).toBe('verify');
    expect(find(PROCEDURE_CODES.tace, '233527006')).toBe('verify');
    expect(find(LAB_CODES.afp, '1834-1')).toBe('confirmed');
    expect(
      Object.values(SYSTEMIC_THERAPY)
        .flatMap((e) => e.codes)
        .every((c) => c.confidence === 'verify'),
    ).toBe(true);
    expect(IMAGING.reportCodes.ctChest.confidence).toBe('verify');
  });

  it('has ramucirumab, durvalumab and tremelimumab by text only', () => {
    for (const id of ['ramucirumab', 'durvalumab', 'tremelimumab'] as const) {
      expect(SYSTEMIC_THERAPY[id].codes).toHaveLength(0);
      expect(SYSTEMIC_THERAPY[id].textPatterns).toContain(id);
    }
  });

  it('matches on system + code, never code alone', () => {
    expect(codingMatches(LAB_CODES.afp, { system: SYSTEMS.loinc, code: '1834-1' })).toBe(true);
    expect(codingMatches(LAB_CODES.afp, { system: 'http://example.org', code: '1834-1' })).toBe(false);
    expect(codingMatches(CONDITION_CODES.ascites, { system: SYSTEMS.icd10cm, code: 'R18.8' })).toBe(true);
    expect(codingMatches(CONDITION_CODES.metastasis, { system: SYSTEMS.icd10cm, code: 'C78.01' })).toBe(true);
    expect(codingMatches(CONDITION_CODES.metastasis, { system: SYSTEMS.icd10cm, code: 'C780' })).toBe(false);
  });

  it('falls back to text, with acronyms matched as words', () => {
    expect(conceptMatches(LAB_CODES.afp, { text: 'AFP Tumor Marker' })).toBe('text');
    expect(conceptMatches(LAB_CODES.afp, { text: 'Safpx' })).toBeUndefined();
    expect(
      conceptMatches(PROCEDURE_CODES.tace, { text: 'Chemoembolization, hepatic artery, segment 8' }),
    ).toBe('text');
    expect(conceptMatches(PROCEDURE_CODES.tace, { coding: [{ system: SYSTEMS.cpt, code: '37243' }] })).toBe(
      'code',
    );
    expect(conceptMatches(LAB_CODES.ast, { text: 'Fasting glucose' })).toBeUndefined();
  });

  it('builds search tokens', () => {
    expect(searchTokens(LAB_CODES.afpL3)).toEqual(['http://loinc.org|42332-7']);
  });

  it('DEB-TACE and conventional TACE share CPT 37243', () => {
    const cpts = (e: typeof PROCEDURE_CODES.tace) =>
      e.codes.filter((c) => c.system === SYSTEMS.cpt).map((c) => c.code);
    expect(cpts(PROCEDURE_CODES.tace)).toContain('37243');
    expect(cpts(PROCEDURE_CODES.debTace)).toContain('37243');
  });
});
