/**
 * Two different reports in one session's response window (issue 9, item 2): disagreement on a finding makes that
 * finding indeterminate for the session, with a data issue naming both reports and dates — never settled by which
 * report came later in the day or the window. Agreeing reports both count as evidence.
 * Report dates are date-times with an offset, as EHRs send effectiveDateTime (a CT read in the morning, an MRI in
 * the afternoon of the same day).
 */
import { describe, expect, it } from 'vitest';
import type { ImagingFinding } from '../../src/domain/imaging';
import { evaluate } from '../../src/engine/index';
import type { AssessmentResult } from '../../src/engine/result';
import { f, imaging, tace, timeline } from './engine-factories';
import { expandResult } from '../../src/engine/result-view';

const ASOF = '2026-08-01';
const T1 = '2026-01-15';
const T2 = '2026-04-15';
// Session 1's response window: 2026-02-12 … 2026-04-14; session 2's from 2026-05-13.
const DAY = '2026-03-02';
const AM = `${DAY}T08:00:00+09:00`;
const PM = `${DAY}T16:00:00+09:00`;

function sub(r: AssessmentResult, criterion: string, id: string) {
  return expandResult(r)
    .criteria.find((c) => c.id === criterion)
    ?.subcriteria.find((s) => s.id === id);
}

function twoSessions(
  first: { id: string; date: string; findings: ImagingFinding[]; modality?: 'CT' | 'MR' }[],
  second: ImagingFinding[] = [f.viable(80)],
) {
  return timeline({
    treatments: [tace('t1', T1), tace('t2', T2)],
    imaging: [
      ...first.map((x) => imaging(x.id, x.date, x.findings, x.modality ?? 'CT')),
      imaging('ct-s2', '2026-05-20', second),
    ],
  });
}

const conflictIssues = (r: AssessmentResult) => r.dataIssues.filter((d) => d.code === 'conflict');

describe('different reports that disagree within one response window', () => {
  for (const order of ['CT first', 'MRI first'] as const) {
    it(`CT "viable 70 %" and MRI "complete response" the same day → indeterminate + data issue naming both (${order})`, () => {
      // Old behaviour: the later report of the day decided — "MRI first" (CT at 16:00) gave a false met,
      // "CT first" (MRI at 16:00) a not-met; both silently.
      const t = twoSessions([
        { id: 'ct-am', date: order === 'CT first' ? AM : PM, findings: [f.viable(70)] },
        {
          id: 'mr-pm',
          date: order === 'CT first' ? PM : AM,
          findings: [f.response('mrecist', 'CR')],
          modality: 'MR',
        },
      ]);
      const r = evaluate(t, { asOf: ASOF });
      const s = sub(r, 'jsh-lcsgj-2014', 'insufficient-response');
      expect(s?.status).toBe('indeterminate');
      expect(s?.missing.join(' ')).toMatch(/DiagnosticReport\/ct-am/);
      expect(s?.missing.join(' ')).toMatch(/DiagnosticReport\/mr-pm/);
      expect(s?.evidence.map((e) => e.ref)).toEqual(
        expect.arrayContaining(['DiagnosticReport/ct-am', 'DiagnosticReport/mr-pm']),
      );
      expect(r.taceSessions[0]?.response.jshReading).toBe('unknown');
      const issues = conflictIssues(r);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.message).toContain('DiagnosticReport/ct-am');
      expect(issues[0]?.message).toContain('DiagnosticReport/mr-pm');
      expect(issues[0]?.message).toContain(DAY);
      expect(issues[0]?.message).toContain(T1);
      // EPOIHCC's "no objective response" and the European class disagree the same way.
      expect(r.criteria.find((c) => c.id === 'jsh-lcsgj-2014')?.status).not.toBe('met');
    });
  }

  it('reports that agree (viable 70 % on CT, mRECIST SD on MRI) → determinate, both count as evidence', () => {
    // Old behaviour: only the later report was evidence; the earlier agreeing one was dropped.
    const t = twoSessions([
      { id: 'ct-am', date: AM, findings: [f.viable(70)] },
      { id: 'mr-pm', date: PM, findings: [f.response('mrecist', 'SD')], modality: 'MR' },
    ]);
    const r = evaluate(t, { asOf: ASOF });
    const s = sub(r, 'jsh-lcsgj-2014', 'insufficient-response');
    expect(s?.status).toBe('met');
    expect(s?.evidence.map((e) => e.ref)).toEqual(
      expect.arrayContaining(['DiagnosticReport/ct-am', 'DiagnosticReport/mr-pm', 'DiagnosticReport/ct-s2']),
    );
    expect(conflictIssues(r)).toEqual([]);
  });

  it('one report says new lesion, the other no new lesion → new-lesion items indeterminate', () => {
    // Old behaviour: the later report (no new lesion) decided the session → not-met.
    const t = twoSessions(
      [
        { id: 'ct-am', date: AM, findings: [f.newLesions('present')] },
        { id: 'mr-pm', date: PM, findings: [f.newLesions('absent')], modality: 'MR' },
      ],
      [f.newLesions('present')],
    );
    const r = evaluate(t, { asOf: ASOF });
    expect(sub(r, 'jsh-2010', 'intrahepatic-progression')?.status).toBe('indeterminate');
    expect(sub(r, 'jsh-lcsgj-2014', 'intrahepatic-progression')?.status).toBe('indeterminate');
    expect(conflictIssues(r)).toHaveLength(1);
  });

  it('portal vein tumour thrombus on one report, patent portal vein on another → vascular invasion indeterminate', () => {
    // Old behaviour: any positive after TACE was "appearance of vascular invasion" → met.
    const t = twoSessions(
      [
        { id: 'ct-am', date: AM, findings: [f.vi('present', 'Vp3', 'right portal vein')] },
        { id: 'mr-pm', date: '2026-03-20T10:00:00+09:00', findings: [f.vi('absent')], modality: 'MR' },
      ],
      [f.vi('absent')],
    );
    const r = evaluate(t, { asOf: ASOF });
    for (const c of ['jsh-lcsgj-2014', 'jsh-2010']) {
      const s = sub(r, c, 'vascular-invasion');
      expect(s?.status).toBe('indeterminate');
      expect(s?.missing.join(' ')).toContain('DiagnosticReport/ct-am');
    }
    const issues = conflictIssues(r);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('2026-03-20');
  });

  it('same-day PVTT vs patent portal vein outside a response window is still not settled by time of day', () => {
    // Day 10 after the first TACE: before the window opens. Old behaviour: met on the positive.
    const t = timeline({
      treatments: [tace('t1', T1)],
      imaging: [
        imaging('ct-early', '2026-01-25T08:00:00Z', [f.vi('present', 'Vp2')]),
        imaging('mr-early', '2026-01-25T15:00:00Z', [f.vi('absent')], 'MR'),
        imaging('ct-resp', '2026-03-02', [f.vi('absent')]),
      ],
    });
    const r = evaluate(t, { asOf: ASOF });
    const s = sub(r, 'jsh-lcsgj-2014', 'vascular-invasion');
    expect(s?.status).toBe('indeterminate');
    expect(s?.missing.join(' ')).toContain('DiagnosticReport/mr-early');
    expect(conflictIssues(r)[0]?.message).toContain('DiagnosticReport/ct-early');
  });

  it('European: progressive disease on one report, complete response on another → indeterminate', () => {
    // Old behaviour: the session's latest report alone gave the class (PD → met, CR → not-met).
    const t = twoSessions([], []);
    const r0 = evaluate(
      {
        ...t,
        imaging: [
          imaging('ct-s2-am', '2026-05-20T08:00:00Z', [f.response('mrecist', 'PD')]),
          imaging('mr-s2-pm', '2026-05-20T16:00:00Z', [f.response('mrecist', 'CR')], 'MR'),
        ],
      },
      { asOf: ASOF, inputs: { intent: 'palliative' } },
    );
    expect(sub(r0, 'european', 'progression-after-two')?.status).toBe('indeterminate');
  });

  it('agreeing PD and PD from two reports stay determinate for the European definition', () => {
    const t = twoSessions([], []);
    const r = evaluate(
      {
        ...t,
        imaging: [
          imaging('ct-s2-am', '2026-05-20T08:00:00Z', [f.response('mrecist', 'PD')]),
          imaging('mr-s2-pm', '2026-05-20T16:00:00Z', [f.response('mrecist', 'PD')], 'MR'),
        ],
      },
      { asOf: ASOF, inputs: { intent: 'palliative' } },
    );
    expect(sub(r, 'european', 'progression-after-two')?.status).toBe('met');
  });
});
