import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import { assessmentResultSchema, type AssessmentResult } from '../../src/engine/result';
import { addDays, allClear, f, imaging, lab, labs, tace, timeline } from './engine-factories';
import { expandResult } from '../../src/engine/result-view';

const D0 = '2024-01-10';
const crit = (r: AssessmentResult, id: string) => {
  const c = expandResult(r).criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}`);
  return c;
};
const subOf = (r: AssessmentResult, id: string, sid: string) => {
  const s = crit(r, id).subcriteria.find((x) => x.id === sid);
  if (!s) throw new Error(`no sub-criterion ${id}/${sid}`);
  return s;
};

/** Two sessions 120 days apart; session 1 imaged `k` days after, session 2 imaged 30 days after. */
function twoSessions(k: number, viable = 70) {
  const s2 = addDays(D0, 120);
  return timeline({
    treatments: [tace('t1', D0), tace('t2', s2)],
    imaging: [
      imaging('ct1', addDays(D0, k), [f.viable(viable), ...allClear()]),
      imaging('ct2', addDays(s2, 30), [f.viable(viable), ...allClear()]),
    ],
  });
}

describe('response-imaging window (28–95 days, before the next treatment)', () => {
  const asOf = '2024-12-31';
  it.each([
    [27, 'indeterminate'],
    [28, 'met'],
    [95, 'met'],
    [96, 'indeterminate'],
  ])('imaging on day %i → insufficient-response %s', (k, status) => {
    const r = evaluate(twoSessions(k), { asOf });
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').status).toBe(status);
  });
  it('imaging after the next treatment does not count for the earlier session', () => {
    const t = timeline({
      treatments: [tace('t1', D0), tace('t2', addDays(D0, 50))],
      imaging: [
        imaging('ct1', addDays(D0, 60), [f.viable(70)]),
        imaging('ct2', addDays(D0, 90), [f.viable(70)]),
      ],
    });
    const r = evaluate(t, { asOf: '2024-12-31' });
    expect(r.taceSessions[0]?.response.assessmentId).toBeNull();
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').status).toBe('indeterminate');
  });
});

describe('viable boundary setting', () => {
  it('viable exactly 50 %: insufficient under ">=50" (default, JSH 2021), not under ">50"', () => {
    const t = twoSessions(30, 50);
    const ge = evaluate(t, { asOf: '2024-12-31' });
    const gt = evaluate(t, { asOf: '2024-12-31', settings: { viableBoundary: '>50' } });
    expect(subOf(ge, 'jsh-lcsgj-2014', 'insufficient-response').status).toBe('met');
    expect(subOf(gt, 'jsh-lcsgj-2014', 'insufficient-response').status).toBe('not-met');
    expect(ge.settings.viableBoundary).toBe('>=50');
  });
  it('viable 49 % and 51 %', () => {
    expect(
      subOf(evaluate(twoSessions(30, 49), { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'insufficient-response')
        .status,
    ).toBe('not-met');
    expect(
      subOf(
        evaluate(twoSessions(30, 51), { asOf: '2024-12-31', settings: { viableBoundary: '>50' } }),
        'jsh-lcsgj-2014',
        'insufficient-response',
      ).status,
    ).toBe('met');
  });
  it('mRECIST SD counts as insufficient, flagged as derived', () => {
    const s2 = addDays(D0, 120);
    const t = timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [
        imaging('ct1', addDays(D0, 40), [f.response('mrecist', 'SD')]),
        imaging('ct2', addDays(s2, 40), [f.response('mrecist', 'PD')]),
      ],
    });
    const s = subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'insufficient-response');
    expect(s.status).toBe('met');
    expect(s.notes?.some((n) => n.includes('derived from mRECIST'))).toBe(true);
  });
  it('LI-RADS TR viable without a percentage is indeterminate, hedged viable % never positive', () => {
    const s2 = addDays(D0, 120);
    const t = timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [
        imaging('ct1', addDays(D0, 40), [f.response('lirads-tr', 'viable')]),
        imaging('ct2', addDays(s2, 40), [f.viable(80, 'uncertain')]),
      ],
    });
    expect(subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'insufficient-response').status).toBe(
      'indeterminate',
    );
  });
});

describe('Hien 2024 worked example (Figure 3)', () => {
  // 67-year-old man, hepatitis B, 5-cm HCC in the left lobe; refractory after two TACE; CT: infiltrative mass with
  // left portal vein tumour thrombus; AFP 931 ng/mL, PIVKA-II 2,685 (ng/mL).
  const s2 = addDays(D0, 60);
  const t = timeline({
    treatments: [tace('t1', D0), tace('t2', s2)],
    imaging: [
      imaging('ct0', addDays(D0, -10), [f.count(1), f.diameter(5), f.vi('absent'), f.ehs('absent')]),
      imaging('ct1', addDays(D0, 40), [f.response('mrecist', 'SD'), f.vi('absent'), f.ehs('absent')]),
      imaging('ct2', addDays(s2, 35), [
        f.count(1),
        f.diameter(5),
        f.vi('present', 'Vp3', 'left portal vein'),
        f.ehs('absent'),
      ]),
    ],
    labs: labs(lab('afp', 931, addDays(s2, 35)), lab('pivka-ng', 2685, addDays(s2, 35))),
  });
  const r = evaluate(t, { asOf: addDays(s2, 40) });
  it('is met via vascular-invasion with the CT as evidence', () => {
    const c = crit(r, 'jsh-lcsgj-2014');
    expect(c.status).toBe('met');
    const vi = subOf(r, 'jsh-lcsgj-2014', 'vascular-invasion');
    expect(vi.status).toBe('met');
    expect(vi.evidence[0]).toMatchObject({
      ref: 'DiagnosticReport/ct2',
      sentence: expect.stringContaining('left portal vein'),
    });
    expect(crit(r, 'jsh-2010').status).toBe('met');
  });
  it('lists both sessions, the considerations with their trigger, and validates against the schema', () => {
    expect(r.taceSessions.map((s) => s.ref)).toEqual(['Procedure/t1', 'Procedure/t2']);
    const haic = r.considerations.find((c) => c.id === 'haic');
    expect(haic?.triggers).toContain('jsh-lcsgj-2014/vascular-invasion');
    expect(haic?.text.startsWith('Options discussed in the literature include')).toBe(true);
    expect(assessmentResultSchema.parse(r)).toEqual(r);
  });
});

describe('vascular invasion and extrahepatic spread', () => {
  const s2 = addDays(D0, 100);
  const base = (last: ReturnType<typeof f.vi>[]) =>
    timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [imaging('ct1', addDays(D0, 40), allClear()), imaging('ct2', addDays(s2, 40), last)],
    });
  it('hedged wording is never positive', () => {
    const r = evaluate(base([f.vi('unknown'), f.ehs('absent'), f.newLesions('absent')]), {
      asOf: '2024-12-31',
    });
    expect(subOf(r, 'jsh-lcsgj-2014', 'vascular-invasion').status).toBe('indeterminate');
  });
  it('explicit negatives in every window → not-met', () => {
    const r = evaluate(base(allClear()), { asOf: '2024-12-31' });
    expect(subOf(r, 'jsh-lcsgj-2014', 'vascular-invasion').status).toBe('not-met');
    expect(subOf(r, 'jsh-lcsgj-2014', 'extrahepatic-spread').status).toBe('not-met');
  });
  it('a session without response imaging keeps it indeterminate', () => {
    const t = timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [imaging('ct2', addDays(s2, 40), allClear())],
    });
    expect(subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'vascular-invasion').status).toBe(
      'indeterminate',
    );
  });
  it('clinician correction overrides the extracted finding and is cited as clinician', () => {
    const r = evaluate(base([f.vi('unknown'), f.ehs('absent')]), {
      asOf: '2024-12-31',
      inputs: { corrections: { ct2: { vascularInvasion: { presence: 'present', vp: 'Vp2' } } } },
    });
    const vi = subOf(r, 'jsh-lcsgj-2014', 'vascular-invasion');
    expect(vi.status).toBe('met');
    expect(vi.evidence.some((e) => e.origin === 'clinician')).toBe(true);
  });
});

describe('intrahepatic progression', () => {
  it('tumour count above the count before the previous TACE, twice → met', () => {
    const s2 = addDays(D0, 100);
    const t = timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [
        imaging('ct0', addDays(D0, -5), [f.count(2)]),
        imaging('ct1', addDays(D0, 40), [f.count(3)]),
        imaging('ct2', addDays(s2, 40), [f.count(5)]),
      ],
    });
    expect(
      subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'intrahepatic-progression').status,
    ).toBe('met');
  });
});

describe('tumour-marker item (engine policy, clinical-reference §1)', () => {
  const s1 = D0;
  const mk = (post: number[]) =>
    timeline({
      treatments: [tace('t1', s1)],
      labs: labs(
        lab('afp', 100, addDays(s1, -3)),
        ...post.map((v, i) => lab('afp', v, addDays(s1, 15 * (i + 1)))),
      ),
    });
  const status = (post: number[]) =>
    subOf(evaluate(mk(post), { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'tumor-marker-elevation').status;
  it('continuous rise ≥ 20 % → met; slight transient dip (≥ 80 %) allowed', () => {
    expect(status([110, 120])).toBe('met');
    expect(status([80, 130])).toBe('met');
  });
  it('a dip below 80 % or a rise < 20 % → indeterminate; a single value → indeterminate', () => {
    expect(status([79, 130])).toBe('indeterminate');
    expect(status([105, 119])).toBe('indeterminate');
    expect(status([150])).toBe('indeterminate');
  });
  it('fall ≥ 50 % or normalisation → not-met', () => {
    expect(status([60, 50])).toBe('not-met');
    expect(status([9])).toBe('not-met');
  });
  it('no baseline → indeterminate', () => {
    const t = timeline({
      treatments: [tace('t1', s1)],
      labs: labs(lab('afp', 300, addDays(s1, 10)), lab('afp', 400, addDays(s1, 20))),
    });
    expect(
      subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'tumor-marker-elevation').status,
    ).toBe('indeterminate');
  });
});

describe('EPOIHCC and European', () => {
  const sessions = [D0, addDays(D0, 60), addDays(D0, 120)];
  const mk = (cat: 'SD' | 'PR' | 'PD') =>
    timeline({
      treatments: sessions.map((d, i) => tace(`t${i}`, d)),
      imaging: sessions.map((d, i) => imaging(`ct${i}`, addDays(d, 40), [f.response('mrecist', cat)])),
    });
  it('EPOIHCC: no objective response after 3 TACE within 6 months → met; a PR → not-met', () => {
    expect(crit(evaluate(mk('SD'), { asOf: '2024-12-31' }), 'epoihcc').status).toBe('met');
    expect(crit(evaluate(mk('PR'), { asOf: '2024-12-31' }), 'epoihcc').status).toBe('not-met');
  });
  it('EPOIHCC: three sessions spread over more than 6 months → not-met', () => {
    const spread = [D0, addDays(D0, 100), addDays(D0, 184)];
    const t = timeline({
      treatments: spread.map((d, i) => tace(`t${i}`, d)),
      imaging: spread.map((d, i) => imaging(`ct${i}`, addDays(d, 40), [f.response('mrecist', 'SD')])),
    });
    expect(crit(evaluate(t, { asOf: '2024-12-31' }), 'epoihcc').status).toBe('not-met');
  });
  it('European: SD depends on intent', () => {
    expect(crit(evaluate(mk('SD'), { asOf: '2024-12-31' }), 'european').status).toBe('indeterminate');
    expect(
      crit(evaluate(mk('SD'), { asOf: '2024-12-31', inputs: { intent: 'curative' } }), 'european').status,
    ).toBe('met');
    expect(
      crit(evaluate(mk('SD'), { asOf: '2024-12-31', inputs: { intent: 'palliative' } }), 'european').status,
    ).toBe('not-met');
    expect(crit(evaluate(mk('PD'), { asOf: '2024-12-31' }), 'european').status).toBe('met');
  });
  it('European: an intent coded on the procedure decides SD, cites the procedure, and the clinician can override it', () => {
    const coded = (intent: 'curative' | 'palliative') => {
      const t = mk('SD');
      return { ...t, treatments: t.treatments.map((s) => ({ ...s, intent })) };
    };
    const curative = crit(evaluate(coded('curative'), { asOf: '2024-12-31' }), 'european');
    expect(curative.status).toBe('met');
    const reading = curative.subcriteria[0];
    expect(reading?.thresholds.intent).toBe('curative (coded)');
    expect(reading?.evidence.some((e) => e.ref === 'Procedure/t2' && e.value === 'curative')).toBe(true);
    expect(crit(evaluate(coded('palliative'), { asOf: '2024-12-31' }), 'european').status).toBe('not-met');
    const overridden = evaluate(coded('curative'), { asOf: '2024-12-31', inputs: { intent: 'palliative' } });
    expect(crit(overridden, 'european').status).toBe('not-met');
    expect(crit(overridden, 'european').subcriteria[0]?.thresholds.intent).toBe('palliative (clinician)');
  });
});

describe('missing data is indeterminate, never not-met', () => {
  it('an empty timeline', () => {
    const r = evaluate(timeline(), { asOf: '2024-12-31' });
    for (const c of r.criteria) expect(c.status).toBe('indeterminate');
    expect(r.scores.albi.value).toBeNull();
    expect(r.scores.childPugh.value).toBeNull();
  });
  it('sessions without any imaging or markers', () => {
    const r = evaluate(
      timeline({ treatments: [tace('t1', D0), tace('t2', addDays(D0, 60)), tace('t3', addDays(D0, 120))] }),
      {
        asOf: '2024-12-31',
      },
    );
    for (const id of ['jsh-lcsgj-2014', 'jsh-2010', 'epoihcc', 'european'])
      expect(crit(r, id).status).not.toBe('not-met');
  });
});

describe('sessions, scores and determinism', () => {
  const t = timeline({
    treatments: [
      tace('t1', D0, 'tace-deb'),
      tace('t0', addDays(D0, -200), 'ablation'),
      tace('tx', addDays(D0, 30), 'tace-conventional', 'stopped'),
      tace('t2', addDays(D0, 90), 'tae'),
    ],
    labs: labs(
      lab('bilirubin', 10, addDays(D0, 200)),
      lab('albumin', 40, addDays(D0, 195)),
      lab('inr', 1.1, addDays(D0, 200)),
      lab('creatinine', 2, addDays(D0, 200)),
      lab('sodium', 130, addDays(D0, 200)),
    ),
    imaging: [imaging('ct1', addDays(D0, 150), [f.count(3), f.diameter(4.1)])],
  });
  const r = evaluate(t, { asOf: addDays(D0, 210), inputs: { ascites: 'none' } });
  it('taceSessions lists counted embolization sessions only; others go to treatments', () => {
    expect(r.taceSessions.map((s) => s.kind)).toEqual(['tace-deb', 'tae']);
    expect(r.treatments.map((x) => x.ref)).toEqual(['Procedure/t0', 'Procedure/tx']);
  });
  it('ALBI pairs values within 7 days; Child-Pugh gives a range when encephalopathy is unknown', () => {
    expect(r.scores.albi.value).toBeCloseTo(0.66 - 3.4, 3);
    expect(r.scores.albi.grade).toBe(1);
    expect(r.scores.childPugh.range).toEqual({ min: 5, max: 7 });
    expect(r.scores.childPugh.value).toBeNull();
    expect(r.scores.childPugh.missing).toContain('encephalopathy grade (clinician input)');
  });
  it('up-to-seven from the latest imaging: 4.1 + 3 = 7.1 → beyond; unsuitability met', () => {
    expect(r.scores.upToSeven.value).toBe(7.1);
    expect(r.scores.upToSeven.category).toBe('beyond up-to-seven');
    expect(subOf(r, 'tace-unsuitability', 'beyond-up-to-seven').status).toBe('met');
  });
  it('MELD-Na from labs (bilirubin 10 µmol/L = 0.585 mg/dL → floored to 1)', () => {
    // 0.957·ln2 + 0 + 1.12·ln1.1 + 0.643 = 0.66334 + 0.10675 + 0.643 = 1.41309 → 14; 14 + 9.24 − 0.033·14·7 = 20.006 → 20
    expect(r.scores.meldNa.value).toBe(20);
  });
  it('is deterministic and valid', () => {
    const again = evaluate(t, { asOf: addDays(D0, 210), inputs: { ascites: 'none' } });
    expect(JSON.stringify(again)).toBe(JSON.stringify(r));
    expect(() => assessmentResultSchema.parse(r)).not.toThrow();
  });
});

describe('clinical CR (Kudo 2025)', () => {
  const mk = (afpDays: number[], l3 = true) =>
    timeline({
      treatments: [tace('t1', D0)],
      imaging: [imaging('ct1', addDays(D0, 40), [f.response('mrecist', 'CR')])],
      labs: labs(
        ...afpDays.map((d) => lab('afp', 4, addDays(D0, d))),
        ...(l3 ? [lab('afpL3', 5, addDays(D0, 20)), lab('afpL3', 5, addDays(D0, 70))] : []),
        lab('pivka', 20, addDays(D0, 20)),
        lab('pivka', 22, addDays(D0, 70)),
      ),
    });
  it('CR and all markers normal for > 6 weeks → met', () => {
    expect(crit(evaluate(mk([20, 70]), { asOf: addDays(D0, 80) }), 'clinical-cr').status).toBe('met');
  });
  it('exactly 42 days of normal values is not yet > 6 weeks', () => {
    expect(subOf(evaluate(mk([28, 70]), { asOf: addDays(D0, 80) }), 'clinical-cr', 'afp-normal').status).toBe(
      'indeterminate',
    );
  });
  const withImaging = (reports: ReturnType<typeof imaging>[]) =>
    timeline({
      treatments: [tace('t1', D0)],
      imaging: reports,
      labs: labs(
        lab('afp', 4, addDays(D0, 20)),
        lab('afp', 4, addDays(D0, 70)),
        lab('afpL3', 5, addDays(D0, 20)),
        lab('afpL3', 5, addDays(D0, 70)),
        lab('pivka', 20, addDays(D0, 20)),
        lab('pivka', 22, addDays(D0, 70)),
      ),
    });
  const imagingSub = (reports: ReturnType<typeof imaging>[]) =>
    subOf(evaluate(withImaging(reports), { asOf: addDays(D0, 80) }), 'clinical-cr', 'imaging-cr').status;
  it('a report stating mRECIST CR and LR-TR Nonviable together is a CR', () => {
    expect(
      imagingSub([
        imaging('mr1', addDays(D0, 40), [f.response('lirads-tr', 'nonviable'), f.response('mrecist', 'CR')]),
      ]),
    ).toBe('met');
  });
  it('a later mCODE "improved" status derived from the CR report does not undo the CR', () => {
    const cr = imaging('mr1', addDays(D0, 40), [f.response('mrecist', 'CR')]);
    const status = imaging('obs1', addDays(D0, 41), [f.response('mcode-status', 'improved')]);
    expect(imagingSub([cr, status])).toBe('met');
  });
  it('LR-TR Viable or RECICL TE3 next to an mRECIST CR contradicts it', () => {
    expect(
      imagingSub([
        imaging('mr1', addDays(D0, 40), [f.response('mrecist', 'CR'), f.response('lirads-tr', 'viable')]),
      ]),
    ).toBe('not-met');
    expect(
      imagingSub([
        imaging('mr1', addDays(D0, 40), [f.response('mrecist', 'CR'), f.response('recicl', 'TE3')]),
      ]),
    ).toBe('not-met');
  });
  it('missing AFP-L3 → indeterminate', () => {
    expect(crit(evaluate(mk([20, 70], false), { asOf: addDays(D0, 80) }), 'clinical-cr').status).toBe(
      'indeterminate',
    );
  });
});

describe('marker setting markerSessions = 2 and unsuitability gross type', () => {
  const s2 = addDays(D0, 90);
  const t = timeline({
    treatments: [tace('t1', D0), tace('t2', s2)],
    labs: labs(
      lab('afp', 100, addDays(D0, -1)),
      lab('afp', 90, addDays(D0, 20)),
      lab('afp', 40, addDays(D0, 40)),
      lab('afp', 100, addDays(s2, -1)),
      lab('afp', 130, addDays(s2, 15)),
      lab('afp', 160, addDays(s2, 30)),
    ),
  });
  it('markerSessions 1 uses the most recent session; 2 needs both', () => {
    expect(
      subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'tumor-marker-elevation').status,
    ).toBe('met');
    expect(
      subOf(
        evaluate(t, { asOf: '2024-12-31', settings: { markerSessions: 2 } }),
        'jsh-lcsgj-2014',
        'tumor-marker-elevation',
      ).status,
    ).toBe('not-met');
  });
  it('evidence carries ref, date, value and unit', () => {
    const e = subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'tumor-marker-elevation').evidence;
    expect(e).toContainEqual(
      expect.objectContaining({
        ref: 'Observation/afp-2024-05-09',
        date: '2024-05-09',
        value: 160,
        unit: 'ng/mL',
      }),
    );
  });
  it('a reported TACE-resistant gross type makes unsuitability met; a simple nodular type does not decide alone', () => {
    expect(
      subOf(
        evaluate(t, { asOf: '2024-12-31', inputs: { grossType: 'infiltrative' } }),
        'tace-unsuitability',
        'resistant-gross-type',
      ).status,
    ).toBe('met');
    const r = evaluate(t, { asOf: '2024-12-31', inputs: { grossType: 'simple-nodular' } });
    expect(subOf(r, 'tace-unsuitability', 'resistant-gross-type').status).toBe('not-met');
    expect(crit(r, 'tace-unsuitability').status).toBe('indeterminate');
  });
});
