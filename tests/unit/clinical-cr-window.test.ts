/**
 * Issue 9 item 3.2: "AFP, AFP-L3 and PIVKA-II continuously normal for > 6 weeks" (Kudo 2025 Table 1) needs
 * results inside the 6 weeks before the assessment. Before this change the latest result of any age counted, so a
 * pre-treatment AFP-L3 "proved" normality months later and clinical CR came out met.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import type { Measurement } from '../../src/domain/labs';
import type { AssessmentResult } from '../../src/engine/result';
import { CLINICAL_CR_MIN_NORMAL_VALUES, clinicalCr } from '../../src/engine/criteria/clinical-cr';
import { f, imaging, lab, labs, tace, timeline } from './engine-factories';

const AS_OF = '2026-11-01';
const sub = (r: AssessmentResult, criterion: string, id: string) =>
  r.criteria.find((c) => c.id === criterion)?.subcriteria.find((s) => s.id === id);

/** CR on MRI and AFP / PIVKA-II normal through the window; AFP-L3 as given. */
function patient(afpL3: Measurement[], extra: Measurement[] = []) {
  return timeline({
    treatments: [tace('t1', '2026-04-06')],
    imaging: [imaging('mr1', '2026-05-18', [f.response('mrecist', 'CR'), f.newLesions('absent')], 'MR')],
    labs: labs(
      lab('afp', 3.2, '2026-09-01', { high: 10 }),
      lab('afp', 2.9, '2026-10-27', { high: 10 }),
      lab('pivka', 21, '2026-09-01', { high: 40 }),
      lab('pivka', 18, '2026-10-27', { high: 40 }),
      ...afpL3,
      ...extra,
    ),
  });
}

describe('clinical CR: markers must be normal inside the window', () => {
  it('an AFP-L3 last measured before treatment proves nothing in November: indeterminate, not met', () => {
    const t = patient([
      lab('afpL3', 6.1, '2026-02-09', { high: 10 }),
      lab('afpL3', 5.4, '2026-03-30', { high: 10 }),
    ]);
    const r = evaluate(t, { asOf: AS_OF });
    const l3 = sub(r, 'clinical-cr', 'afp-l3-normal');
    expect(l3?.status).toBe('indeterminate');
    expect(l3?.missing.join(' ')).toContain('AFP-L3 measured between 2026-09-20 and 2026-11-01');
    expect(r.criteria.find((c) => c.id === 'clinical-cr')?.status).toBe('indeterminate');
  });

  it('two normal AFP-L3 results 7 weeks apart, the latest inside the window: met', () => {
    const t = patient([
      lab('afpL3', 5.0, '2026-09-01', { high: 10 }),
      lab('afpL3', 4.6, '2026-10-27', { high: 10 }),
    ]);
    const r = evaluate(t, { asOf: AS_OF });
    expect(sub(r, 'clinical-cr', 'afp-l3-normal')?.status).toBe('met');
    expect(r.criteria.find((c) => c.id === 'clinical-cr')?.status).toBe('met');
  });

  it('one recent normal AFP-L3 only: indeterminate, naming the earlier date that would decide it', () => {
    const t = patient([lab('afpL3', 4.6, '2026-10-27', { high: 10 })]);
    const l3 = sub(evaluate(t, { asOf: AS_OF }), 'clinical-cr', 'afp-l3-normal');
    expect(l3?.status).toBe('indeterminate');
    // 2026-10-27 − 43 days
    expect(l3?.missing.join(' ')).toContain('AFP-L3 normal on or before 2026-09-14');
  });

  it('AFP-L3 above normal three weeks ago: not met (no room for > 6 weeks of normal since)', () => {
    const t = patient([
      lab('afpL3', 5.0, '2026-09-01', { high: 10 }),
      lab('afpL3', 14.2, '2026-10-11', { high: 10 }),
      lab('afpL3', 6.0, '2026-10-27', { high: 10 }),
    ]);
    expect(sub(evaluate(t, { asOf: AS_OF }), 'clinical-cr', 'afp-l3-normal')?.status).toBe('not-met');
  });

  it('AFP-L3 above normal last in April and not measured since: indeterminate (it was not-met)', () => {
    const t = patient([lab('afpL3', 18.5, '2026-04-01', { high: 10 })]);
    const l3 = sub(evaluate(t, { asOf: AS_OF }), 'clinical-cr', 'afp-l3-normal');
    expect(l3?.status).toBe('indeterminate');
    expect(l3?.missing.join(' ')).toContain('AFP-L3 measured between 2026-09-20 and 2026-11-01');
  });

  it('a censored AFP "<20 ng/mL" with an upper normal limit of 10 is not "above normal" (it was not-met)', () => {
    const t = patient(
      [lab('afpL3', 5.0, '2026-09-01', { high: 10 }), lab('afpL3', 4.6, '2026-10-27', { high: 10 })],
      [lab('afp', 20, '2026-10-30', { comparator: '<', high: 10 })],
    );
    const afp = sub(evaluate(t, { asOf: AS_OF }), 'clinical-cr', 'afp-normal');
    expect(afp?.status).toBe('indeterminate');
    expect(afp?.missing.join(' ')).toMatch(/exact AFP value for 2026-10-30 \(reported as <20 ng\/mL/);
  });

  it('a censored AFP-L3 "<0.5 %" counts as normal', () => {
    const t = patient([
      lab('afpL3', 0.5, '2026-09-01', { comparator: '<', high: 10 }),
      lab('afpL3', 0.5, '2026-10-27', { comparator: '<', high: 10 }),
    ]);
    expect(sub(evaluate(t, { asOf: AS_OF }), 'clinical-cr', 'afp-l3-normal')?.status).toBe('met');
  });

  it('drug-off (12 weeks): the latest result must be within 12 weeks and the run longer than 12 weeks', () => {
    const t = patient([
      lab('afpL3', 5.0, '2026-06-01', { high: 10 }),
      lab('afpL3', 4.6, '2026-08-31', { high: 10 }),
    ]);
    const r = evaluate(t, { asOf: AS_OF, inputs: { noIntranodularFlowOnCeus: true } });
    // 2026-08-31 is inside [2026-08-09, 2026-11-01]; 2026-06-01 → 2026-08-31 is 91 days > 84
    expect(sub(r, 'drug-off', 'afp-l3-normal')?.status).toBe('met');
    // AFP and PIVKA-II span only 2026-09-01 → 2026-10-27 (56 days): not yet 12 weeks
    expect(sub(r, 'drug-off', 'afp-normal')?.status).toBe('indeterminate');
  });

  it('drug-off: 13 weeks of normal AFP-L3 ending before the 12-week window is not enough (it was met)', () => {
    const t = patient([
      lab('afpL3', 5.0, '2026-05-01', { high: 10 }),
      lab('afpL3', 4.6, '2026-08-01', { high: 10 }),
    ]);
    const l3 = sub(evaluate(t, { asOf: AS_OF }), 'drug-off', 'afp-l3-normal');
    expect(l3?.status).toBe('indeterminate');
    expect(l3?.missing.join(' ')).toContain('AFP-L3 measured between 2026-08-09 and 2026-11-01');
  });

  it('states the policy as named thresholds', () => {
    expect(CLINICAL_CR_MIN_NORMAL_VALUES).toBe(2);
    expect(String(clinicalCr.thresholds.MARKER_NORMAL_POLICY)).toMatch(/latest within/);
  });
});
