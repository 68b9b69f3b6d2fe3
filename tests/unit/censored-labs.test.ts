/**
 * Issue 9 item 3.1: censored lab results (">2000 ng/mL", "<0.2 mg/dL") enter every score as bounds. Before this
 * change every score skipped them silently — worse, an older uncensored value then stood in for the newest one.
 * Values are written the way labs send them: a valueString with the unit in the text, or valueQuantity.comparator.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import { mapObservations } from '../../src/fhir/map/labs';
import type { Measurement } from '../../src/domain/labs';
import type { Timeline } from '../../src/domain/timeline';
import { abcr } from '../../src/engine/scores/abcr';
import { art } from '../../src/engine/scores/art';
import { childPugh } from '../../src/engine/scores/child-pugh';
import { hap } from '../../src/engine/scores/hap';
import type { Bounds } from '../../src/engine/bounds';
import { labObs } from '../fixtures/factories';
import { addDays, f, imaging, lab, labs, tace, timeline } from './engine-factories';
import { evidenceOf } from '../../src/engine/result-view';

const T1 = '2026-03-02';
const T2 = '2026-05-04';
const AS_OF = '2026-07-01';

/** One Observation as a lab system sends it, through the real mapper. */
function mapped(loinc: string, valueString: string, date: string, high?: number): Measurement {
  const o = labObs(loinc, 0, 'ng/mL', `${date}T07:45:00+09:00`, {
    valueQuantity: undefined,
    valueString,
    ...(high !== undefined ? { referenceRange: [{ high: { value: high, unit: 'ng/mL' } }] } : {}),
  });
  const { series, issues } = mapObservations([o]);
  expect(issues).toEqual([]);
  const m = Object.values(series).flat()[0];
  if (!m) throw new Error('not mapped');
  return m;
}

/** Same, with valueQuantity.comparator (Epic / Oracle Health style). */
function mappedQuantity(
  loinc: string,
  comparator: '<' | '<=' | '>' | '>=',
  value: number,
  unit: string,
  date: string,
): Measurement {
  const o = labObs(loinc, value, unit, `${date}T08:10:00Z`);
  (o.valueQuantity as Record<string, unknown>).comparator = comparator;
  const { series, issues } = mapObservations([o]);
  expect(issues).toEqual([]);
  const m = Object.values(series).flat()[0];
  if (!m) throw new Error('not mapped');
  return m;
}

function withLabs(...ms: Measurement[]): Timeline {
  return timeline({
    treatments: [tace('t1', T1), tace('t2', T2)],
    imaging: [imaging('ct1', addDays(T1, 35), [f.response('mrecist', 'SD'), f.count(2), f.diameter(5.2)])],
    labs: labs(...ms),
  });
}

describe('HAP with a censored AFP', () => {
  it('AFP ">2000 ng/mL" scores the AFP > 400 point (it was dropped, leaving HAP undecided)', () => {
    const t = withLabs(
      mapped('1834-1', '>2000 ng/mL', addDays(T2, -3)),
      lab('albumin', 41, addDays(T2, -3)),
      lab('bilirubin', 12, addDays(T2, -3)),
    );
    const hapResult = evaluate(t, { asOf: AS_OF });
    const hapScore = hapResult.scores.hap;
    const hapEvidence = evidenceOf(hapResult, hapScore.evidenceIds);
    expect(hapScore.value).toBe(1);
    expect(hapScore.category).toBe('HAP B');
    expect(hapScore.missing).toEqual([]);
    expect(hapScore.notes?.join(' ')).toContain('>2000 ng/mL');
    expect(hapEvidence.some((e) => e.label === 'AFP')).toBe(true);
  });

  it('the newest AFP ">2000" is used, not an older exact 150 ng/mL', () => {
    const t = withLabs(
      lab('afp', 150, addDays(T1, -10)),
      mapped('1834-1', '>2000 ng/mL', addDays(T2, -3)),
      lab('albumin', 41, addDays(T2, -3)),
      lab('bilirubin', 12, addDays(T2, -3)),
    );
    expect(evaluate(t, { asOf: AS_OF }).scores.hap.value).toBe(1);
  });

  it('AFP ">300 ng/mL" cannot decide AFP > 400: a range, and missing says why', () => {
    const t = withLabs(
      mapped('1834-1', '>300 ng/mL', addDays(T2, -3)),
      lab('albumin', 41, addDays(T2, -3)),
      lab('bilirubin', 12, addDays(T2, -3)),
    );
    const hapScore = evaluate(t, { asOf: AS_OF }).scores.hap;
    expect(hapScore.value).toBeNull();
    expect(hapScore.range).toEqual({ min: 0, max: 1 });
    expect(hapScore.category).toBeNull();
    expect(hapScore.missing.join(' ')).toMatch(/AFP.*>300 ng\/mL.*AFP > 400 ng\/mL/);
  });
});

describe('ABCR with a censored AFP before the 1st TACE', () => {
  it('AFP ">2000 ng/mL" gives the AFP ≥ 200 point (it was "missing")', () => {
    const t = withLabs(mapped('1834-1', '>2000 ng/mL', addDays(T1, -5)));
    const s = evaluate(t, { asOf: AS_OF, inputs: { bclcStage: 'B' } }).scores.abcr;
    // BCLC B 3 + AFP 1 + Child-Pugh rise 0..2 + response −3..0 (unknown rise; SD = no objective response → 0)
    expect(s.range?.min).toBe(4);
    expect(s.missing.some((m) => m.includes('AFP'))).toBe(false);
    expect(s.notes?.join(' ')).toContain('AFP reported as >2000 ng/mL');
  });

  it('AFP "<2.0" (valueQuantity comparator) gives 0 AFP points', () => {
    const t = withLabs(mappedQuantity('1834-1', '<', 2, 'ng/mL', addDays(T1, -5)));
    const s = evaluate(t, { asOf: AS_OF, inputs: { bclcStage: 'B' } }).scores.abcr;
    expect(s.range?.min).toBe(3);
    expect(s.missing.some((m) => m.includes('AFP'))).toBe(false);
  });
});

describe('ART with a censored AST', () => {
  it('AST ">1000 U/L" before the 2nd TACE against 40 before the 1st is a > 25 % rise (4 points)', () => {
    const t = withLabs(
      lab('ast', 40, addDays(T1, -2)),
      mappedQuantity('1920-8', '>', 1000, 'U/L', addDays(T2, -2)),
    );
    const s = evaluate(t, { asOf: AS_OF }).scores.art;
    expect(s.range?.min).toBeGreaterThanOrEqual(4);
    expect(s.missing.some((m) => m.includes('AST'))).toBe(false);
  });

  it('AST "<50 U/L" against 45 is no > 25 % rise (45 × 1.25 = 56.25): 0 points, decided', () => {
    const t = withLabs(
      lab('ast', 45, addDays(T1, -2)),
      mappedQuantity('1920-8', '<', 50, 'U/L', addDays(T2, -2)),
    );
    const s = evaluate(t, { asOf: AS_OF }).scores.art;
    expect(s.range).toEqual({ min: 1, max: 4 }); // AST 0; SD → 1; Child-Pugh rise unknown 0..3
    expect(s.missing.some((m) => m.includes('AST'))).toBe(false);
  });

  it('AST "<60 U/L" against 45 cannot decide the rise: range and reason', () => {
    const t = withLabs(
      lab('ast', 45, addDays(T1, -2)),
      mappedQuantity('1920-8', '<', 60, 'U/L', addDays(T2, -2)),
    );
    const s = evaluate(t, { asOf: AS_OF }).scores.art;
    expect(s.range?.min).toBe(1); // SD → 1; AST 0..4; Child-Pugh rise unknown 0..3
    expect(s.range?.max).toBe(8);
    expect(s.missing.join(' ')).toMatch(/AST.*<60 U\/L.*rose by more than 25 %/);
  });
});

describe('ALBI with a "<" bilirubin', () => {
  it('bilirubin "<0.2 mg/dL" with albumin 40 g/L: an ALBI range wholly in grade 1', () => {
    const t = timeline({
      labs: labs(mappedQuantity('1975-2', '<', 0.2, 'mg/dL', '2026-06-20'), lab('albumin', 40, '2026-06-20')),
    });
    const albi = evaluate(t, { asOf: AS_OF }).scores.albi;
    expect(albi.value).toBeNull();
    // 0.66·log10(1 µmol/L, the plausible floor) − 3.4 = −3.4; 0.66·log10(3.42) − 3.4 = −3.0475
    expect(albi.range).toEqual({ min: -3.4, max: -3.048 });
    expect(albi.grade).toBe(1);
    expect(albi.mGrade).toBe('1');
    expect(albi.missing).toEqual([]);
    expect(albi.notes?.join(' ')).toContain('<0.2 mg/dL');
  });

  it('bilirubin "<0.5 mg/dL" with albumin 33 g/L spans grades 1 and 2: no grade, missing says why', () => {
    const t = timeline({
      labs: labs(mappedQuantity('1975-2', '<', 0.5, 'mg/dL', '2026-06-20'), lab('albumin', 33, '2026-06-21')),
    });
    const albi = evaluate(t, { asOf: AS_OF }).scores.albi;
    expect(albi.grade).toBeNull();
    expect(albi.mGrade).toBeNull();
    expect(albi.range?.min).toBeLessThan(-2.6);
    expect(albi.range?.max).toBeGreaterThan(-2.6);
    expect(albi.missing.join(' ')).toMatch(/exact total bilirubin.*<0\.5 mg\/dL.*grades 1 to 2/);
  });

  it('a censored newest bilirubin is not replaced by an older exact pair', () => {
    const t = timeline({
      labs: labs(
        lab('bilirubin', 60, '2026-01-10'),
        lab('albumin', 25, '2026-01-10'),
        mappedQuantity('1975-2', '<', 0.2, 'mg/dL', '2026-06-20'),
        lab('albumin', 40, '2026-06-20'),
      ),
    });
    expect(evaluate(t, { asOf: AS_OF }).scores.albi.grade).toBe(1);
  });
});

describe('Child-Pugh and MELD-Na with censored values', () => {
  it('bilirubin "<0.2 mg/dL" is 1 Child-Pugh point', () => {
    const t = timeline({
      labs: labs(
        mappedQuantity('1975-2', '<', 0.2, 'mg/dL', '2026-06-20'),
        lab('albumin', 40, '2026-06-20'),
        lab('inr', 1.1, '2026-06-20'),
      ),
    });
    const cp = evaluate(t, {
      asOf: AS_OF,
      inputs: { ascites: 'none', encephalopathy: 'none' },
    }).scores.childPugh;
    expect(cp.value).toBe(5);
    expect(cp.category).toBe('Child-Pugh A');
  });

  it('creatinine "<0.5 mg/dL" is below the MELD floor of 1.0: MELD-Na is decided', () => {
    const t = timeline({
      labs: labs(
        mappedQuantity('2160-0', '<', 0.5, 'mg/dL', '2026-06-20'),
        lab('bilirubin', 20, '2026-06-20'),
        lab('inr', 1.1, '2026-06-20'),
        lab('sodium', 139, '2026-06-20'),
      ),
    });
    const m = evaluate(t, { asOf: AS_OF }).scores.meldNa;
    expect(m.value).toBe(8);
    expect(m.missing).toEqual([]);
    expect(m.notes?.join(' ')).toContain('<0.5 mg/dL');
  });
});

describe('pure scores take intervals', () => {
  const above = (v: number): Bounds => ({ lo: v, hi: Infinity, loOpen: true, hiOpen: false });
  const below = (v: number): Bounds => ({ lo: 0, hi: v, loOpen: false, hiOpen: true });
  it('cut-offs at the bound itself follow the comparator', () => {
    // ">200" is ≥ 200; "<200" is not; "<=200" might be 200
    expect(abcr({ afpNgMl: above(200) }).undecided).toEqual([]);
    expect(abcr({ afpNgMl: below(200) }).range.min).toBe(-1);
    expect(abcr({ afpNgMl: { lo: 0, hi: 200, loOpen: false, hiOpen: false } }).undecided).toEqual(['afp']);
    expect(hap({ afpNgMl: above(400) }).range.min).toBe(1);
    expect(hap({ afpNgMl: { lo: 400, hi: Infinity, loOpen: false, hiOpen: false } }).undecided).toEqual([
      'afp',
    ]);
  });
  it('Child-Pugh bands narrow to the points an interval allows', () => {
    const r = childPugh({ bilirubinMgDl: below(2.5), albuminGDl: 4, inr: 1 });
    expect(r.undecided).toEqual(['bilirubin']);
    expect(r.range).toEqual({ min: 5, max: 10 });
    expect(art({ astBefore1st: 40, astBefore2nd: above(50) }).range.min).toBe(4);
  });
});

describe('JSH tumour-marker item with a censored baseline', () => {
  const item = (baseline: Measurement, post: Measurement[]) => {
    const t = timeline({ treatments: [tace('t1', T1)], labs: labs(baseline, ...post) });
    return evaluate(t, { asOf: AS_OF })
      .criteria.find((c) => c.id === 'jsh-lcsgj-2014')
      ?.subcriteria.find((s) => s.id === 'tumor-marker-elevation');
  };
  it('AFP "<2.0 ng/mL" before TACE, then 15 and 40 ng/mL: a sustained rise (it was indeterminate)', () => {
    const s = item(mapped('1834-1', '<2.0', addDays(T1, -3), 10), [
      lab('afp', 15, addDays(T1, 20), { high: 10 }),
      lab('afp', 40, addDays(T1, 45), { high: 10 }),
    ]);
    expect(s?.status).toBe('met');
  });
  it('AFP ">2000 ng/mL" before TACE, then 6 ng/mL: normalised, not met', () => {
    const s = item(mapped('1834-1', '>2000', addDays(T1, -3), 10), [
      lab('afp', 6, addDays(T1, 40), { high: 10 }),
    ]);
    expect(s?.status).toBe('not-met');
  });
  it('AFP ">2000 ng/mL" before TACE, then 2500 and 3100: cannot tell a 20 % rise; missing says why', () => {
    const s = item(mapped('1834-1', '>2000', addDays(T1, -3), 10), [
      lab('afp', 2500, addDays(T1, 20), { high: 10 }),
      lab('afp', 3100, addDays(T1, 45), { high: 10 }),
    ]);
    expect(s?.status).toBe('indeterminate');
    expect(s?.missing.join(' ')).toContain('exact AFP baseline');
  });
});
