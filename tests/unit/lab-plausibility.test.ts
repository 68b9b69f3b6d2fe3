/**
 * Issue 9 item 3.3: a value outside the analyte's plausible range (after unit conversion) is a data issue and is
 * not used. Seen in a real test: albumin "38 g/dL" (a unit slip for g/L) gave ALBI −31.5 "grade 1".
 */
import { describe, expect, it } from 'vitest';
import { ANALYTE_IDS } from '../../src/domain/labs';
import { PLAUSIBLE_RANGES, plausibilityProblem, toCanonical } from '../../src/domain/units';
import { evaluate } from '../../src/engine/index';
import { unusableLabIssues } from '../../src/engine/labs';
import { mapObservations } from '../../src/fhir/map/labs';
import { labObs } from '../fixtures/factories';
import { lab, labs, timeline } from './engine-factories';

describe('plausible ranges table', () => {
  it('has a range for every analyte, in a unit the converter accepts, with a stated basis', () => {
    for (const a of ANALYTE_IDS) {
      const r = PLAUSIBLE_RANGES[a];
      expect(toCanonical(a, 1, r.unit).ok).toBe(true);
      expect(r.low).toBeLessThan(r.high);
      expect(r.basis.length).toBeGreaterThan(10);
    }
  });

  it('judges after conversion: 38 g/dL albumin is 380 g/L; 3.8 g/dL and 38 g/L are fine', () => {
    const canon = (v: number, u: string) => {
      const c = toCanonical('albumin', v, u);
      if (!c.ok) throw new Error(c.error);
      return c.value;
    };
    expect(plausibilityProblem('albumin', canon(38, 'g/dL'))).toBe(
      'albumin 380 g/L is outside the plausible range 5–70 g/L',
    );
    expect(plausibilityProblem('albumin', canon(3.8, 'g/dL'))).toBeUndefined();
    expect(plausibilityProblem('albumin', canon(38, 'g/L'))).toBeUndefined();
  });
});

describe('mapper: implausible values are data issues, not used', () => {
  it('albumin 38 g/dL → malformed issue naming the value and the range; no ALBI grade from it', () => {
    const obs = labObs('1751-7', 38, 'g/dL', '2026-06-02T09:20:00-05:00', {
      referenceRange: [
        { low: { value: 3.5, unit: 'g/dL' }, high: { value: 5.2, unit: 'g/dL' }, text: '3.5-5.2' },
      ],
    });
    const bili = labObs('1975-2', 0.6, 'mg/dL', '2026-06-02T09:20:00-05:00');
    const { series, issues } = mapObservations([obs, bili]);
    expect(series.albumin).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]?.kind).toBe('malformed');
    expect(issues[0]?.reason).toContain('albumin 380 g/L is outside the plausible range 5–70 g/L');
    expect(issues[0]?.reason).toContain('not used');

    const r = evaluate(timeline({ labs: series }), { asOf: '2026-06-30' });
    expect(r.scores.albi.grade).toBeNull();
    expect(r.scores.albi.value).toBeNull();
  });

  it.each([
    ['2951-2', 14, 'mmol/L', 'sodium 14 mmol/L'], // a dropped digit
    ['6301-6', 0, '{INR}', 'INR 0'],
    ['42332-7', 150, '%', 'AFP-L3 150 %'],
    ['1975-2', 1.2, 'umol/L', undefined], // 1.2 µmol/L is low but possible
    ['1975-2', 1200, 'umol/L', 'total bilirubin 1200 µmol/L'],
    ['777-3', 0.2, '10*3/uL', 'platelets 0.2 10*9/L'],
  ])('LOINC %s %s %s → %s', (code, value, unit, problem) => {
    const { series, issues } = mapObservations([labObs(code, value, unit, '2026-06-02')]);
    if (problem === undefined) {
      expect(issues).toEqual([]);
      return;
    }
    expect(Object.values(series).flat()).toEqual([]);
    expect(issues[0]?.kind).toBe('malformed');
    expect(issues[0]?.reason).toContain(problem);
  });

  it('a censored AFP ">60000 ng/mL" is plausible (no upper limit for tumour markers)', () => {
    const o = labObs('1834-1', 0, 'ng/mL', '2026-06-02', {
      valueQuantity: undefined,
      valueString: '>60000 ng/mL',
    });
    const { series, issues } = mapObservations([o]);
    expect(issues).toEqual([]);
    expect(series.afp?.[0]?.comparator).toBe('>');
  });
});

describe('engine: an implausible value that reached the timeline is not used and is listed', () => {
  it('albumin 380 g/L built without the mapper gives no ALBI and a data issue', () => {
    const t = timeline({ labs: labs(lab('albumin', 380, '2026-06-02'), lab('bilirubin', 10, '2026-06-02')) });
    const r = evaluate(t, { asOf: '2026-06-30' });
    expect(r.scores.albi.grade).toBeNull();
    const issues = unusableLabIssues(t);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.reason).toContain('albumin 380 g/L is outside the plausible range 5–70 g/L');
    expect(
      r.dataIssues.some((d) => d.ref === 'Observation/albumin-2026-06-02' && d.code === 'malformed'),
    ).toBe(true);
  });
});
