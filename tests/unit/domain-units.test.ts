import { describe, expect, it } from 'vitest';
import {
  AFP_NG_PER_IU,
  BILIRUBIN_UMOL_L_PER_MG_DL,
  CANONICAL_UNITS,
  albuminToGPerL,
  bilirubinToUmolPerL,
  pivkaFamily,
  toCanonical,
  unitKey,
} from '../../src/domain/units';
import type { AnalyteId } from '../../src/domain/labs';

const conv = (a: AnalyteId, v: number, u: string | undefined): number => {
  const r = toCanonical(a, v, u);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('units: conversions match their cited factors', () => {
  it('AFP: 1 IU/mL = 1.21 ng/mL (WHO 72/225), µg/L = ng/mL', () => {
    expect(AFP_NG_PER_IU).toBe(1.21);
    expect(conv('afp', 100, 'IU/mL')).toBeCloseTo(121, 10);
    expect(conv('afp', 100, '[IU]/mL')).toBeCloseTo(121, 10);
    expect(conv('afp', 100, 'IU/ml')).toBeCloseTo(121, 10);
    expect(conv('afp', 10, 'ug/L')).toBe(10);
    expect(conv('afp', 10, 'µg/L')).toBe(10);
    const r = toCanonical('afp', 1, 'IU/mL');
    expect(r.ok && r.conversion).toContain('1.21');
  });
  it('bilirubin: 17.1 µmol/L = 1 mg/dL (584.66 g/mol → 17.104)', () => {
    expect(BILIRUBIN_UMOL_L_PER_MG_DL).toBeCloseTo((10 * 1000) / 584.66, 1); // 10 mg/L ÷ 584.66 g/mol = 17.104 µmol/L
    expect(conv('bilirubin', 17.1, 'umol/L')).toBeCloseTo(1, 10);
    expect(conv('bilirubin', 34.2, 'µmol/L')).toBeCloseTo(2, 10);
    expect(conv('bilirubin', 17.1, 'μmol/L')).toBeCloseTo(1, 10); // Greek mu
    expect(conv('bilirubin', 17.1, 'mcmol/L')).toBeCloseTo(1, 10);
    expect(conv('bilirubin', 1.2, 'mg/dl')).toBe(1.2);
    expect(bilirubinToUmolPerL(1)).toBeCloseTo(17.1, 10);
  });
  it('albumin: g/L ÷ 10', () => {
    expect(conv('albumin', 35, 'g/L')).toBeCloseTo(3.5, 10);
    expect(conv('albumin', 3.5, 'g/dl')).toBe(3.5);
    expect(albuminToGPerL(3.5)).toBe(35);
  });
  it('creatinine: µmol/L ÷ 88.42', () => {
    expect(conv('creatinine', 88.42, 'umol/L')).toBeCloseTo(1, 10);
  });
  it('CRP: mg/dL × 10', () => {
    expect(conv('crp', 0.5, 'mg/dL')).toBeCloseTo(5, 10);
    expect(conv('crp', 5, 'mg/L')).toBe(5);
  });
  it('platelets: 10*9/L = 10*3/uL and common spellings', () => {
    for (const u of ['10*3/uL', '10*9/L', 'x10^3/uL', '10^3/uL', 'K/uL', '10^9/L', 'x10^9/L'])
      expect(conv('platelets', 150, u), u).toBe(150);
  });
  it('AST/ALT: IU/L = U/L; µkat/L × 60', () => {
    expect(conv('ast', 40, 'IU/L')).toBe(40);
    expect(conv('alt', 1, 'ukat/L')).toBe(60);
  });
  it('sodium: mEq/L = mmol/L', () => {
    expect(conv('sodium', 135, 'mEq/L')).toBe(135);
  });
  it('INR is unitless: {INR}, {ratio}, 1 or none', () => {
    for (const u of ['{INR}', '{ratio}', '1', '', undefined]) expect(conv('inr', 1.2, u)).toBe(1.2);
  });
  it('AFP-L3 in %', () => {
    expect(conv('afpL3', 12, '%')).toBe(12);
  });
  it('PIVKA families never mix', () => {
    expect(pivkaFamily('mAU/mL')).toBe('pivka');
    expect(pivkaFamily('m[AU]/mL')).toBe('pivka');
    expect(pivkaFamily('ng/mL')).toBe('pivka-ng');
    expect(pivkaFamily('IU/mL')).toBeUndefined();
    expect(toCanonical('pivka', 40, 'ng/mL').ok).toBe(false);
    expect(toCanonical('pivka-ng', 40, 'mAU/mL').ok).toBe(false);
  });
  it('unknown or missing units are errors, never guesses', () => {
    expect(toCanonical('afp', 5, 'mg/dL').ok).toBe(false);
    expect(toCanonical('bilirubin', 5, 'mmol/L').ok).toBe(false);
    expect(toCanonical('albumin', 5, undefined).ok).toBe(false);
    expect(toCanonical('afp', Number.NaN, 'ng/mL').ok).toBe(false);
    const r = toCanonical('afp', 5, 'furlongs');
    expect(!r.ok && r.error).toContain('furlongs');
  });
  it('canonical units are stable and normalisation is sane', () => {
    expect(CANONICAL_UNITS.afp).toBe('ng/mL');
    expect(CANONICAL_UNITS.pivka).toBe('m[AU]/mL');
    expect(unitKey(' µmol / L ')).toBe('umol/l');
    expect(toCanonical('afp', 5, 'ng/mL')).toEqual({ ok: true, value: 5, unit: 'ng/mL', factor: 1 });
  });
});
