/**
 * The display-label module (issue 12 item 2): every code, unit and constant name the engine and the mappers carry
 * has words a clinician reads, and nothing this module is given comes back as a CONSTANT_CASE name or a code.
 */
import { describe, expect, it } from 'vitest';
import {
  analyteLabel,
  codingLabel,
  constantToWords,
  intentLabel,
  isResponseCode,
  readableName,
  regimenLabel,
  responseLabel,
  responseWords,
  scaleLabel,
  sessionResponseLabel,
  statusLabel,
  statusWords,
  systemicAgentLabel,
  taceSessionHeading,
  thresholdLabel,
  thresholdName,
  thresholdValue,
  treatmentLabel,
  treatmentShortLabel,
  unitLabel,
} from '../../src/domain/display-labels';
import { ANALYTE_IDS } from '../../src/domain/labs';
import { CANONICAL_UNITS } from '../../src/domain/units';
import { evaluate } from '../../src/engine/index';
import { allClear, f, imaging, lab, labs, tace, timeline } from './engine-factories';

/** A code or constant name on screen: CONSTANT_CASE, camelCase keys, UCUM brackets, a scale id. */
const CODE_LIKE =
  /\b[A-Z]+_[A-Z_]+\b|\b[a-z]+[A-Z][a-z]+[A-Za-z]*\b|\[[A-Za-z]+\]|\{[^}]*\}|\bmrecist\b|\blirads-tr\b|\bmcode-status\b|\bumol\b/;

describe('response categories', () => {
  it.each([
    ['mrecist', 'SD', 'stable disease (mRECIST)'],
    ['mrecist', 'CR', 'complete response (mRECIST)'],
    ['easl', 'PR', 'partial response (EASL)'],
    ['recist', 'PD', 'progressive disease (RECIST 1.1)'],
    ['mrecist', 'NR', 'no objective response (mRECIST)'],
    ['lirads-tr', 'viable', 'viable (LI-RADS TR)'],
    ['lirads-tr', 'nonevaluable', 'not evaluable (LI-RADS TR)'],
    ['mcode-status', 'worsened', 'worsened (mCODE disease status)'],
  ])('%s %s → %s', (scale, category, words) => {
    expect(responseLabel(scale, category)).toBe(words);
  });

  it('RECICL TE categories say what each means (clinical-reference §2), without doubled brackets', () => {
    expect(responseLabel('recicl', 'TE4')).toBe('RECICL TE4 (100 % necrotic or shrunk)');
    expect(responseLabel('recicl', 'TE3')).toBe('RECICL TE3 (50 % to < 100 % necrotic or shrunk)');
    expect(responseLabel('recicl', 'TE2')).toBe('RECICL TE2 (effect other than TE3 or TE1)');
    // TE1's enlargement threshold depends on the edition (≥ 50 % in the 6th, > 25 % before): no number here.
    expect(responseLabel('recicl', 'TE1')).toBe('RECICL TE1 (tumour enlarged)');
    expect(responseLabel('recicl', 'TE1')).not.toMatch(/\d+ %/);
  });

  it("the engine's session class 'OR' is an objective response (complete or partial), never 'response OR'", () => {
    expect(sessionResponseLabel('OR')).toBe('objective response (complete or partial)');
    expect(sessionResponseLabel('SD')).toBe('stable disease');
    expect(sessionResponseLabel('PD')).toBe('progressive disease');
    expect(sessionResponseLabel(null)).toBe('not determined');
    expect(responseWords('OR')).not.toMatch(/\bOR\b/);
  });

  it('knows which values are category codes; an unknown category is shown as given, never hidden', () => {
    expect(isResponseCode('SD')).toBe(true);
    expect(isResponseCode('TE3')).toBe(true);
    expect(isResponseCode('absent')).toBe(false);
    expect(isResponseCode('toString')).toBe(false);
    expect(responseWords('toString')).toBe('toString');
    expect(responseWords('XYZ')).toBe('XYZ');
    expect(scaleLabel('other-scale')).toBe('other-scale');
  });
});

describe('units', () => {
  it.each([
    ['[IU]/mL', 'IU/mL'],
    ['[iU]/mL', 'IU/mL'],
    ['umol/L', 'µmol/L'],
    ['10*9/L', '×10⁹/L'],
    ['10*3/uL', '×10³/µL'],
    ['10*6/uL', '×10⁶/µL'],
    ['m[AU]/mL', 'mAU/mL'],
    ['ug/L', 'µg/L'],
    ['{INR}', ''],
    ['mm[Hg]', 'mmHg'],
    ['mL/min/{1.73_m2}', 'mL/min/1.73 m²'],
    ['mg/dL', 'mg/dL'],
    ['g/dL', 'g/dL'],
    ['%', '%'],
  ])('%s → %s', (ucum, words) => {
    expect(unitLabel(ucum)).toBe(words);
  });

  it('every canonical unit of the app reads without UCUM brackets or braces', () => {
    for (const unit of Object.values(CANONICAL_UNITS)) {
      const words = unitLabel(unit);
      expect(words, unit).not.toMatch(/[[\]{}*]/);
      expect(words, unit).not.toMatch(/\bu(?:mol|g|L)\b/);
    }
  });

  it('no unit is no unit', () => {
    expect(unitLabel(undefined)).toBe('');
    expect(unitLabel('')).toBe('');
  });
});

describe('analytes, treatments, agents, intents, statuses', () => {
  it('every analyte has a name that is not its id in capitals', () => {
    for (const id of ANALYTE_IDS) {
      const name = analyteLabel(id);
      expect(name, id).not.toMatch(/^[A-Z]{4,}$/);
      expect(name, id).not.toBe('');
    }
    expect(analyteLabel('sodium')).toBe('sodium');
    expect(analyteLabel('pivka')).toBe('PIVKA-II (DCP)');
    expect(analyteLabel('SODIUM')).toBe('sodium');
  });

  it('treatments in words and short', () => {
    expect(treatmentLabel('tace-deb')).toBe('DEB-TACE');
    expect(treatmentLabel('tace-conventional')).toBe('conventional TACE (cTACE)');
    expect(treatmentShortLabel('tace-deb')).toBe('DEB-TACE');
    expect(treatmentShortLabel('ablation')).toBe('RFA/MWA');
    expect(treatmentShortLabel('tace-unspecified')).toBe('TACE');
  });

  it('session headings name the number, the date and the technique in words (never "(deb)")', () => {
    expect(taceSessionHeading(1, '2026-03-06', 'tace-conventional')).toBe(
      'TACE 1 — 2026-03-06 (conventional TACE)',
    );
    expect(taceSessionHeading(2, '2026-05-02T10:00:00Z', 'tace-deb')).toBe('TACE 2 — 2026-05-02 (DEB-TACE)');
    expect(taceSessionHeading(3, '2026-07-01', 'tace-unspecified')).toBe(
      'TACE 3 — 2026-07-01 (technique not recorded)',
    );
    expect(taceSessionHeading(4, '2026-09-01', 'tae')).toBe('TAE 4 — 2026-09-01 (bland embolization)');
  });

  it('agents and regimens', () => {
    expect(regimenLabel(['bevacizumab', 'atezolizumab'])).toBe('atezolizumab + bevacizumab');
    expect(regimenLabel(['lenvatinib', 'lenvatinib'])).toBe('lenvatinib');
    expect(systemicAgentLabel('SORAFENIB')).toBe('sorafenib');
    expect(systemicAgentLabel('lenvatinib')).toBe('lenvatinib');
  });

  it('intent: "not recorded", never "unknown"', () => {
    expect(intentLabel(undefined)).toBe('not recorded');
    expect(intentLabel('unknown')).toBe('not recorded');
    expect(intentLabel('curative')).toBe('curative');
    expect(statusLabel('not-met')).toBe('Not met');
    expect(statusWords('entered-in-error')).toBe('entered in error');
  });

  it('all-capitals EHR names in sentence case, abbreviations kept', () => {
    expect(readableName('SODIUM')).toBe('Sodium');
    expect(readableName('BILIRUBIN, TOTAL')).toBe('Bilirubin, total');
    expect(readableName('AFP-L3%')).toBe('AFP-L3%');
    expect(readableName('AFP TUMOR MARKER')).toBe('AFP tumor marker');
    expect(readableName('Albumin')).toBe('Albumin');
    expect(readableName('INR')).toBe('INR');
  });

  it('searched codes name their system', () => {
    expect(codingLabel('http://loinc.org|1751-7')).toBe('LOINC 1751-7');
    expect(codingLabel('http://snomed.info/sct|25370001')).toBe('SNOMED CT 25370001');
    expect(codingLabel('http://www.nlm.nih.gov/research/umls/rxnorm|1363268')).toBe('RxNorm 1363268');
    expect(codingLabel('urn:x-local|ABC')).toBe('ABC (urn:x-local)');
    expect(codingLabel('1751-7')).toBe('1751-7');
  });
});

describe('thresholds', () => {
  it('name, value and unit: "viable-tumour boundary: 50 %"', () => {
    expect(thresholdLabel('VIABLE_BOUNDARY_PERCENT', 50)).toBe('viable-tumour boundary: 50 %');
    expect(thresholdLabel('imagingWindowMinDays', 28)).toBe('imaging window after TACE, from: 28 days');
    expect(thresholdLabel('MARKER_RISE_FRACTION', 0.2)).toBe('marker rise over baseline, more than: 20 %');
    expect(thresholdLabel('viableBoundary', '>=50')).toBe('boundary setting: viable ≥ 50 % is insufficient');
    expect(thresholdLabel('viableBoundary', '>50')).toBe('boundary setting: viable > 50 % is insufficient');
    expect(thresholdLabel('MALBI_2A_MAX', -2.27)).toBe('mALBI grade 2a, up to: −2.27');
    expect(thresholdLabel('markerSessions', 1)).toBe('sessions with rising markers: 1 session');
    expect(thresholdValue('HAP_BILIRUBIN_ABOVE_UMOL_L', 17)).toBe('17 µmol/L');
  });

  it('the European intent in force: "not recorded", who entered it', () => {
    expect(thresholdLabel('intent', 'unknown')).toBe('treatment intent: not recorded');
    expect(thresholdValue('intent', 'curative (clinician)')).toBe('curative (entered by the clinician)');
    expect(thresholdValue('intent', 'palliative (coded)')).toBe('palliative (coded on the procedure)');
  });

  it('an unknown key becomes words, never the constant', () => {
    expect(thresholdName('SOME_NEW_LIMIT_DAYS')).toBe('some new limit days');
    expect(thresholdName('someNewSetting')).toBe('some new setting');
    expect(constantToWords('already words')).toBe('already words');
  });

  it('every threshold and setting of a real result has a name and value free of codes and constant names', () => {
    const tl = timeline({
      treatments: [tace('t1', '2026-02-01'), tace('t2', '2026-04-01')],
      imaging: [
        imaging('r1', '2026-03-10', [f.viable(70), ...allClear()]),
        imaging('r2', '2026-05-10', [f.viable(70), ...allClear()]),
      ],
      labs: labs(
        lab('afp', 40, '2026-01-20'),
        lab('albumin', 3.9, '2026-01-28'),
        lab('bilirubin', 0.8, '2026-01-28'),
      ),
    });
    const result = evaluate(tl, { asOf: '2026-11-01' });
    const all = new Map<string, number | string | boolean>();
    for (const c of result.criteria) {
      for (const [k, v] of Object.entries(c.thresholds)) all.set(k, v);
      for (const s of c.subcriteria) for (const [k, v] of Object.entries(s.thresholds)) all.set(k, v);
    }
    for (const s of Object.values(result.scores))
      for (const [k, v] of Object.entries(s.thresholds)) all.set(k, v);
    for (const [k, v] of Object.entries(result.settings)) all.set(k, v);
    expect(all.size).toBeGreaterThan(20);
    for (const [k, v] of all) {
      const text = thresholdLabel(k, v);
      expect(text, k).not.toMatch(CODE_LIKE);
      if (/_|[a-z][A-Z]/.test(k)) expect(text, k).not.toContain(k);
    }
  });
});
