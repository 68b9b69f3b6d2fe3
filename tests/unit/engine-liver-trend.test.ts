/**
 * Issue 12 item 1 (engine): the liver trend per TACE session (src/engine/liver-trajectory.ts liverTrend).
 * ALBI = 0.66·log10(bilirubin µmol/L) − 0.085·albumin g/L (Johnson 2015; clinical-reference §3): bilirubin
 * 0.7 mg/dL + albumin 4.2 g/dL → −2.86 (grade 1); 1.5 + 3.3 → −1.88 (mALBI 2b); 2.6 + 2.7 → −1.21 (grade 3);
 * 0.8 + 4.0 → −2.69 (grade 1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { evaluate } from '../../src/engine/index';
import { liverTrend } from '../../src/engine/liver-trajectory';
import type { AssessmentResult, LiverSnapshot } from '../../src/engine/result';
import { condition, lab, labs, liverLabs, tace, timeline } from './engine-factories';

const AS_OF = '2026-11-01';

function snap(albiGrade: string | null, cp: [number, number] | null): LiverSnapshot {
  return {
    albi: null,
    albiGrade,
    childPugh: cp ? { min: cp[0], max: cp[1] } : null,
    childPughClass: null,
    evidence: [],
    missing: [],
  };
}

describe('liverTrend (before → after one session)', () => {
  it('ALBI grade worse → true, basis albi, even with Child-Pugh ranges', () => {
    expect(liverTrend(snap('1', [5, 9]), snap('2b', [6, 10]))).toEqual({ deteriorated: true, basis: 'albi' });
  });
  it('stable ALBI with a Child-Pugh range → false, basis albi (the range does not block it)', () => {
    expect(liverTrend(snap('2a', [5, 9]), snap('2a', [5, 9]))).toEqual({
      deteriorated: false,
      basis: 'albi',
    });
  });
  it('stable ALBI and exact Child-Pugh not risen → false, basis albi+child-pugh', () => {
    expect(liverTrend(snap('1', [6, 6]), snap('1', [6, 6]))).toEqual({
      deteriorated: false,
      basis: 'albi+child-pugh',
    });
  });
  it('stable ALBI but exact Child-Pugh rose → true, basis child-pugh', () => {
    expect(liverTrend(snap('1', [5, 5]), snap('1', [6, 6]))).toEqual({
      deteriorated: true,
      basis: 'child-pugh',
    });
  });
  it('ALBI unknown after, Child-Pugh certainly higher → true, basis child-pugh', () => {
    expect(liverTrend(snap('1', [7, 7]), snap(null, [11, 13]))).toEqual({
      deteriorated: true,
      basis: 'child-pugh',
    });
  });
  it('both worse → basis albi+child-pugh', () => {
    expect(liverTrend(snap('1', [5, 5]), snap('3', [8, 8]))).toEqual({
      deteriorated: true,
      basis: 'albi+child-pugh',
    });
  });
  it('never "no worsening" without both ALBI grades, even with exact Child-Pugh not risen', () => {
    expect(liverTrend(snap('1', [6, 6]), snap(null, [6, 6]))).toEqual({ deteriorated: null, basis: null });
    expect(liverTrend(snap(null, null), snap('1', null))).toEqual({ deteriorated: null, basis: null });
    expect(liverTrend(snap(null, null), snap(null, null))).toEqual({ deteriorated: null, basis: null });
  });
});

describe('liver trajectory on built timelines', () => {
  it('a liver-decline-like sequence (1 → 2b → 3 before three TACE): worsened across the first two sessions', () => {
    // No labs within 60 days after a session: the labs before the next TACE are the "after" (and a note says so).
    const tl = timeline({
      treatments: [tace('t1', '2025-12-06'), tace('t2', '2026-04-05'), tace('t3', '2026-08-03')],
      labs: labs(
        ...liverLabs('2025-12-03', 0.7, 4.2, 1.05),
        ...liverLabs('2026-04-02', 1.5, 3.3, 1.3),
        ...liverLabs('2026-07-31', 2.6, 2.7, 1.6),
      ),
    });
    const r = evaluate(tl, { asOf: AS_OF });
    expect(
      r.liverTrajectory.map((t) => [t.before.albiGrade, t.after.albiGrade, t.deteriorated, t.basis]),
    ).toEqual([
      ['1', '2b', true, 'albi'],
      ['2b', '3', true, 'albi'],
      // After the last TACE: no labs within 60 days nor within 30 days before asOf → cannot be told.
      ['3', null, null, null],
    ]);
    expect(r.liverTrajectory[0]?.after.notes?.[0]).toContain(
      'No labs within 60 days after this session: the labs within 30 days before the next treatment (2026-04-05)',
    );
    expect(r.considerations.find((c) => c.id === 'liver-function-before-tace')?.triggers).toContain(
      'liver function declined after the session of 2025-12-06',
    );
  });
  it('stable ALBI with Child-Pugh a range (ascites/encephalopathy unknown) → no worsening, basis albi', () => {
    const tl = timeline({
      treatments: [tace('t1', '2026-03-01')],
      labs: labs(...liverLabs('2026-02-27', 0.8, 4.0, 1.1), ...liverLabs('2026-03-30', 0.8, 4.0, 1.1)),
    });
    const [t] = evaluate(tl, { asOf: AS_OF }).liverTrajectory;
    expect(t?.before.childPugh).toEqual({ min: 5, max: 9 });
    expect(t?.after.childPugh).toEqual({ min: 5, max: 9 });
    expect([t?.deteriorated, t?.basis]).toEqual([false, 'albi']);
  });
  it('with graded ascites and encephalopathy Conditions Child-Pugh is exact: basis albi+child-pugh', () => {
    const tl = timeline({
      treatments: [tace('t1', '2026-03-01')],
      labs: labs(...liverLabs('2026-02-27', 0.8, 4.0, 1.1), ...liverLabs('2026-03-30', 0.8, 4.0, 1.1)),
      conditions: [
        condition('a1', 'Ascites, mild', { onset: '2026-01-01' }),
        condition('h1', 'Hepatic encephalopathy grade 1', { kind: 'encephalopathy', onset: '2026-01-01' }),
      ],
    });
    const [t] = evaluate(tl, { asOf: AS_OF }).liverTrajectory;
    expect(t?.before.childPugh).toEqual({ min: 7, max: 7 });
    expect([t?.deteriorated, t?.basis]).toEqual([false, 'albi+child-pugh']);
  });
  it('missing labs after the session → null, never "no worsening"', () => {
    const none = timeline({
      treatments: [tace('t1', '2026-03-01')],
      labs: labs(...liverLabs('2026-02-27', 0.8, 4.0, 1.1)),
    });
    const [a] = evaluate(none, { asOf: AS_OF }).liverTrajectory;
    expect([a?.deteriorated, a?.basis]).toEqual([null, null]);
    // Bilirubin only after (no albumin): no ALBI, Child-Pugh overlaps → still null.
    const partial = timeline({
      treatments: [tace('t1', '2026-03-01')],
      labs: labs(
        ...liverLabs('2026-02-27', 0.8, 4.0, 1.1),
        lab('bilirubin', 0.8, '2026-03-30', { unit: 'mg/dL', id: 'bili-after' }),
      ),
    });
    const [b] = evaluate(partial, { asOf: AS_OF }).liverTrajectory;
    expect(b?.after.albiGrade).toBeNull();
    expect([b?.deteriorated, b?.basis]).toEqual([null, null]);
  });
  it('a censored albumin whose ALBI spans grades is not a known grade: null', () => {
    const tl = timeline({
      treatments: [tace('t1', '2026-03-01')],
      labs: labs(
        ...liverLabs('2026-02-27', 0.8, 4.0, 1.1),
        lab('bilirubin', 0.8, '2026-03-30', { unit: 'mg/dL', id: 'bili-after' }),
        lab('albumin', 3.0, '2026-03-30', { unit: 'g/dL', id: 'alb-after', comparator: '>' }),
      ),
    });
    const [t] = evaluate(tl, { asOf: AS_OF }).liverTrajectory;
    expect(t?.after.albiGrade).toBeNull();
    expect(t?.deteriorated).toBeNull();
  });
});

describe('liver-decline (sandbox)', () => {
  let r: AssessmentResult;
  beforeAll(() => {
    const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
    const p = groupByPatient(entries).patients.find(
      (x) => x.patientId === 'liver-decline',
    ) as PatientResources;
    r = evaluate(loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline, { asOf: AS_OF });
  });
  it('worsened, worsened, then no worsening (grade 3 → 3 on the labs of day −20), each by ALBI', () => {
    expect(
      r.liverTrajectory.map((t) => [t.before.albiGrade, t.after.albiGrade, t.deteriorated, t.basis]),
    ).toEqual([
      ['1', '2b', true, 'albi'],
      ['2b', '3', true, 'albi'],
      ['3', '3', false, 'albi'],
    ]);
  });
});
