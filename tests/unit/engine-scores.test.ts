import { describe, expect, it } from 'vitest';
import { albiGrade, albiValue, mAlbiGrade } from '../../src/engine/scores/albi';
import { childPugh, childPughClass } from '../../src/engine/scores/child-pugh';
import { meldNa } from '../../src/engine/scores/meld-na';
import { sixAndTwelveGroup, withinUpToEleven, withinUpToSeven } from '../../src/engine/scores/tumor-burden';
import { art } from '../../src/engine/scores/art';
import { abcr } from '../../src/engine/scores/abcr';
import { hap } from '../../src/engine/scores/hap';
import { resultJsonSchema } from '../../src/engine/result';

describe('ALBI', () => {
  it('computes the Johnson 2015 formula', () => {
    // bilirubin 10 µmol/L → log10 = 1 → 0.66; albumin 40 g/L → −3.4 ⇒ −2.74
    expect(albiValue(10, 40)).toBeCloseTo(-2.74, 10);
    expect(albiValue(0, 40)).toBeNull();
    expect(albiValue(Number.NaN, 40)).toBeNull();
  });
  it('grades at and around −2.60 and −1.39', () => {
    expect(albiGrade(-2.6)).toBe(1);
    expect(albiGrade(-2.6001)).toBe(1);
    expect(albiGrade(-2.5999)).toBe(2);
    expect(albiGrade(-1.39)).toBe(2);
    expect(albiGrade(-1.3899)).toBe(3);
  });
  it('grades exactly −2.60 computed from labs as 1 (floating-point tolerance)', () => {
    // bilirubin 10 µmol/L (0.66) and albumin 38.3529… g/L give −2.60
    const alb = (0.66 + 2.6) / 0.085;
    expect(albiGrade(albiValue(10, alb) as number)).toBe(1);
  });
  it('splits grade 2 at mALBI −2.270', () => {
    expect(mAlbiGrade(-2.27)).toBe('2a');
    expect(mAlbiGrade(-2.2699)).toBe('2b');
    expect(mAlbiGrade(-2.61)).toBe('1');
    expect(mAlbiGrade(-1.3)).toBe('3');
  });
});

describe('Child-Pugh', () => {
  it('scores all five components and classes at the edges', () => {
    const a = childPugh({ bilirubinMgDl: 1, albuminGDl: 4, inr: 1, ascites: 'none', encephalopathy: 'none' });
    expect(a.points).toBe(5);
    expect(a.cls).toBe('A');
    expect(childPughClass(6)).toBe('A');
    expect(childPughClass(7)).toBe('B');
    expect(childPughClass(9)).toBe('B');
    expect(childPughClass(10)).toBe('C');
  });
  it('uses the published band edges', () => {
    const base = { ascites: 'none', encephalopathy: 'none' } as const;
    expect(childPugh({ ...base, bilirubinMgDl: 1.99, albuminGDl: 3.51, inr: 1.69 }).points).toBe(5);
    expect(childPugh({ ...base, bilirubinMgDl: 2, albuminGDl: 3.5, inr: 1.7 }).points).toBe(8);
    expect(childPugh({ ...base, bilirubinMgDl: 3, albuminGDl: 2.8, inr: 2.3 }).points).toBe(8);
    expect(childPugh({ ...base, bilirubinMgDl: 3.01, albuminGDl: 2.79, inr: 2.31 }).points).toBe(11);
    // albumin 2.9 g/dL: 2 points with the 2.8 band, 3 points with the 3.0 band (setting)
    expect(childPugh({ ...base, bilirubinMgDl: 1, albuminGDl: 2.9, inr: 1 }).points).toBe(6);
    expect(
      childPugh({ ...base, bilirubinMgDl: 1, albuminGDl: 2.9, inr: 1, albuminMiddleLow: 3.0 }).points,
    ).toBe(7);
  });
  it('gives a range and an indeterminate class when ascites and encephalopathy are unknown', () => {
    const r = childPugh({ bilirubinMgDl: 1, albuminGDl: 4, inr: 1 });
    expect(r.range).toEqual({ min: 5, max: 9 });
    expect(r.points).toBeNull();
    expect(r.cls).toBeNull();
    expect(r.possibleClasses).toEqual(['A', 'B']);
    expect(r.unknown).toEqual(['ascites', 'encephalopathy']);
  });
  it('keeps the class when the range stays within one class', () => {
    const r = childPugh({ bilirubinMgDl: 3.5, albuminGDl: 2.5, inr: 2.5, ascites: 'moderate-severe' });
    expect(r.range).toEqual({ min: 13, max: 15 });
    expect(r.cls).toBe('C');
  });
});

describe('MELD-Na (OPTN 2016)', () => {
  it('floors lab values at 1: all 1.0 → MELD(i) 0.643 → 6, no sodium term', () => {
    expect(meldNa({ creatinineMgDl: 0.5, bilirubinMgDl: 0.3, inr: 0.9, sodiumMmolL: 120 })).toEqual({
      meldI: 6,
      meldNa: 6,
    });
  });
  it('matches a hand-worked example', () => {
    // Cr 2.0, bili 3.0, INR 1.5, Na 130:
    // 0.957·ln2 = 0.66334; 0.378·ln3 = 0.41527; 1.120·ln1.5 = 0.45412; + 0.643 = 2.17574 → 2.2 × 10 = 22
    // 22 > 11: 22 + 1.32·7 − 0.033·22·7 = 22 + 9.24 − 5.082 = 26.158 → 26
    expect(meldNa({ creatinineMgDl: 2, bilirubinMgDl: 3, inr: 1.5, sodiumMmolL: 130 })).toEqual({
      meldI: 22,
      meldNa: 26,
    });
  });
  it('clamps sodium to 125–137 and creatinine at 4 (dialysis → 4)', () => {
    // Na 120 → 125: 22 + 1.32·12 − 0.033·22·12 = 22 + 15.84 − 8.712 = 29.128 → 29
    expect(meldNa({ creatinineMgDl: 2, bilirubinMgDl: 3, inr: 1.5, sodiumMmolL: 120 })?.meldNa).toBe(29);
    // Na 140 → 137: no sodium contribution
    expect(meldNa({ creatinineMgDl: 2, bilirubinMgDl: 3, inr: 1.5, sodiumMmolL: 140 })?.meldNa).toBe(22);
    const capped = meldNa({ creatinineMgDl: 6, bilirubinMgDl: 1, inr: 1, sodiumMmolL: 137 });
    const four = meldNa({ creatinineMgDl: 4, bilirubinMgDl: 1, inr: 1, sodiumMmolL: 137 });
    const dialysis = meldNa({
      creatinineMgDl: 1.2,
      bilirubinMgDl: 1,
      inr: 1,
      sodiumMmolL: 137,
      dialysis: true,
    });
    // 0.957·ln4 + 0.643 = 1.9697 → 20
    expect(four?.meldI).toBe(20);
    expect(capped).toEqual(four);
    expect(dialysis).toEqual(four);
  });
  it('returns null for missing/invalid inputs and caps at 40', () => {
    expect(meldNa({ creatinineMgDl: Number.NaN, bilirubinMgDl: 1, inr: 1, sodiumMmolL: 137 })).toBeNull();
    expect(meldNa({ creatinineMgDl: 4, bilirubinMgDl: 40, inr: 8, sodiumMmolL: 125 })?.meldNa).toBe(40);
  });
});

describe('tumour burden', () => {
  it('up-to-seven: 7.0 within, 7.1 beyond', () => {
    expect(withinUpToSeven({ largestDiameterCm: 4, tumorCount: 3 })).toBe(true);
    expect(withinUpToSeven({ largestDiameterCm: 6.0, tumorCount: 1 })).toBe(true);
    expect(withinUpToSeven({ largestDiameterCm: 6.1, tumorCount: 1 })).toBe(false);
    expect(withinUpToSeven({ largestDiameterCm: 4.1, tumorCount: 3 })).toBe(false);
  });
  it('up-to-11 and six-and-twelve', () => {
    expect(withinUpToEleven({ largestDiameterCm: 8, tumorCount: 3 })).toBe(true);
    expect(withinUpToEleven({ largestDiameterCm: 8.1, tumorCount: 3 })).toBe(false);
    expect(sixAndTwelveGroup({ largestDiameterCm: 5, tumorCount: 1 })).toBe('low');
    expect(sixAndTwelveGroup({ largestDiameterCm: 11, tumorCount: 1 })).toBe('intermediate');
    expect(sixAndTwelveGroup({ largestDiameterCm: 11.1, tumorCount: 1 })).toBe('high');
  });
});

describe('ART, ABCR, HAP', () => {
  it('ART: AST rise > 25 % is 4 points, exactly 25 % is 0', () => {
    expect(art({ astBefore1st: 40, astBefore2nd: 50, childPughRise: 0, response: true }).value).toBe(0);
    expect(art({ astBefore1st: 40, astBefore2nd: 50.1, childPughRise: 0, response: true }).value).toBe(4);
    expect(art({ astBefore1st: 40, astBefore2nd: 40, childPughRise: 1, response: true })).toMatchObject({
      value: 1.5,
      group: 'favourable',
    });
    expect(art({ astBefore1st: 40, astBefore2nd: 40, childPughRise: 1, response: false })).toMatchObject({
      value: 2.5,
      group: 'unfavourable',
    });
    expect(art({ astBefore1st: 40, astBefore2nd: 40, childPughRise: 2, response: true }).value).toBe(3);
  });
  it('ART: unknown components give a range', () => {
    const r = art({ astBefore1st: 40, astBefore2nd: 40, childPughRise: 0 });
    expect(r.range).toEqual({ min: 0, max: 1 });
    expect(r.group).toBe('favourable');
    expect(art({}).group).toBeNull();
  });
  it('ABCR groups', () => {
    expect(abcr({ afpNgMl: 199, bclc: 'A', childPughRise: 0, objectiveResponse: true })).toMatchObject({
      value: -1,
      group: 'continue',
    });
    expect(abcr({ afpNgMl: 200, bclc: 'B', childPughRise: 0, objectiveResponse: false })).toMatchObject({
      value: 4,
      group: 'stop',
    });
    expect(abcr({ afpNgMl: 10, bclc: 'A', childPughRise: 1, objectiveResponse: false })).toMatchObject({
      value: 2,
      group: 'intermediate',
    });
    // BCLC unknown: 2–4 points → −1…1 spans 'continue' and 'intermediate'
    expect(abcr({ afpNgMl: 10, childPughRise: 0, objectiveResponse: true })).toMatchObject({
      range: { min: -1, max: 1 },
      group: null,
    });
  });
  it('HAP at its cut-offs', () => {
    expect(hap({ albuminGL: 36, afpNgMl: 400, bilirubinUmolL: 17, largestDiameterCm: 7 })).toMatchObject({
      value: 0,
      group: 'A',
    });
    expect(
      hap({ albuminGL: 35.9, afpNgMl: 401, bilirubinUmolL: 17.1, largestDiameterCm: 7.1 }),
    ).toMatchObject({
      value: 4,
      group: 'D',
    });
    expect(hap({ albuminGL: 35.9, afpNgMl: 401 }).range).toEqual({ min: 2, max: 4 });
  });
});

describe('result schema', () => {
  it('exports a JSON schema', () => {
    const s = resultJsonSchema();
    expect(s.type).toBe('object');
  });
});
