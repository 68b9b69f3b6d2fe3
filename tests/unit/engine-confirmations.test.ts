import { describe, expect, it } from 'vitest';
import type { ImagingAssessment } from '../../src/domain/imaging';
import { evaluate } from '../../src/engine/index';
import {
  confirmAllAsRead,
  readingFingerprint,
  type ClinicianInputs,
  type ImagingConfirmation,
} from '../../src/engine/inputs';
import { assessmentResultSchema, type AssessmentResult } from '../../src/engine/result';
import { addDays, allClear, f, imaging, tace, timeline } from './engine-factories';
import { expandResult } from '../../src/engine/result-view';

const D0 = '2024-01-10';
const S2 = addDays(D0, 120);
const AS_OF = '2024-12-31';

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

/** Two sessions, each imaged 30 days after with viable 70 % read from report text: insufficient response met. */
function refractory(extra: { ct2?: Parameters<typeof imaging>[2] } = {}) {
  const ct1 = imaging('ct1', addDays(D0, 30), [f.viable(70), ...allClear()]);
  const ct2 = imaging('ct2', addDays(S2, 30), extra.ct2 ?? [f.viable(70), ...allClear()]);
  return {
    ct1,
    ct2,
    tl: timeline({ treatments: [tace('t1', D0), tace('t2', S2)], imaging: [ct1, ct2] }),
  };
}

const viableConfirmed = (a: ImagingAssessment): ImagingConfirmation => ({
  'viable-percent': readingFingerprint(a, 'viable-percent') as string,
});

describe('unconfirmed text readings behind a verdict', () => {
  it('a met verdict resting on two text readings carries the count, on the criterion and its sub-criterion', () => {
    const { tl } = refractory();
    const r = evaluate(tl, { asOf: AS_OF });
    expect(crit(r, 'jsh-lcsgj-2014').status).toBe('met');
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').unconfirmedTextReadings).toBe(2);
    expect(crit(r, 'jsh-lcsgj-2014').unconfirmedTextReadings).toBe(2);
    expect(assessmentResultSchema.parse(r)).toEqual(r);
  });

  it('confirming both readings as read removes the count and keeps the verdict, origin text + confirmed', () => {
    const { tl, ct1, ct2 } = refractory();
    const inputs: ClinicianInputs = {
      confirmations: { ct1: viableConfirmed(ct1), ct2: viableConfirmed(ct2) },
    };
    const r = evaluate(tl, { asOf: AS_OF, inputs });
    const sub = subOf(r, 'jsh-lcsgj-2014', 'insufficient-response');
    expect(sub.status).toBe('met');
    expect(sub.unconfirmedTextReadings).toBe(0);
    expect(crit(r, 'jsh-lcsgj-2014').unconfirmedTextReadings).toBe(0);
    expect(sub.evidence.every((e) => e.origin === 'text' && e.confirmed === true)).toBe(true);
    expect(assessmentResultSchema.parse(r)).toEqual(r);
  });

  it('confirming one of the two leaves one', () => {
    const { tl, ct2 } = refractory();
    const r = evaluate(tl, { asOf: AS_OF, inputs: { confirmations: { ct2: viableConfirmed(ct2) } } });
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').unconfirmedTextReadings).toBe(1);
  });

  it('"confirm all as read" confirms every text finding of the report', () => {
    const { tl, ct1, ct2 } = refractory();
    const r = evaluate(tl, {
      asOf: AS_OF,
      inputs: { confirmations: { ct1: confirmAllAsRead(ct1), ct2: confirmAllAsRead(ct2) } },
    });
    for (const c of r.criteria) {
      expect(c.unconfirmedTextReadings).toBe(0);
      for (const s of c.subcriteria) expect(s.unconfirmedTextReadings).toBe(0);
    }
  });

  it('correcting a reading replaces it: the corrected one is the clinician’s, the other still counts', () => {
    const { tl } = refractory();
    const r = evaluate(tl, { asOf: AS_OF, inputs: { corrections: { ct2: { viablePercent: 90 } } } });
    const sub = subOf(r, 'jsh-lcsgj-2014', 'insufficient-response');
    expect(sub.status).toBe('met');
    expect(sub.unconfirmedTextReadings).toBe(1);
    expect(sub.evidence.filter((e) => e.origin === 'clinician')).toHaveLength(1);
  });

  it('a confirmation whose reading has since changed (amended report) lapses instead of vouching for it', () => {
    const { tl, ct2 } = refractory();
    const stale = viableConfirmed(ct2);
    const amended = refractory({ ct2: [f.viable(80), ...allClear()] }).tl;
    const r = evaluate(amended, { asOf: AS_OF, inputs: { confirmations: { ct2: stale } } });
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').unconfirmedTextReadings).toBe(2);
    // …while on the unchanged report the same confirmation holds.
    const same = evaluate(tl, { asOf: AS_OF, inputs: { confirmations: { ct2: stale } } });
    expect(subOf(same, 'jsh-lcsgj-2014', 'insufficient-response').unconfirmedTextReadings).toBe(1);
  });

  it('confirming a hedged reading never makes it positive: the sub-criterion stays indeterminate, count 0', () => {
    const { tl, ct2 } = refractory({
      ct2: [f.viable(70), f.vi('unknown'), f.ehs('absent'), f.newLesions('absent')],
    });
    const r = evaluate(tl, { asOf: AS_OF, inputs: { confirmations: { ct2: confirmAllAsRead(ct2) } } });
    const vi = subOf(r, 'jsh-lcsgj-2014', 'vascular-invasion');
    expect(vi.status).toBe('indeterminate');
    expect(vi.unconfirmedTextReadings).toBe(0);
  });

  it('a not-met any-of criterion (empty own evidence) counts the text readings of the sub-criteria that decided it', () => {
    const tl = timeline({
      treatments: [tace('t1', D0), tace('t2', S2)],
      imaging: [
        imaging('ct1', addDays(D0, 30), [f.response('mrecist', 'PR'), ...allClear()]),
        imaging('ct2', addDays(S2, 30), [f.response('mrecist', 'PR'), ...allClear()]),
      ],
    });
    const r = evaluate(tl, { asOf: AS_OF });
    const eu = crit(r, 'european');
    expect(eu.status).toBe('not-met');
    expect(eu.evidence).toHaveLength(0);
    expect(eu.unconfirmedTextReadings).toBeGreaterThan(0);
    expect(eu.unconfirmedTextReadings).toBe(
      subOf(r, 'european', 'progression-after-two').unconfirmedTextReadings,
    );
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').unconfirmedTextReadings).toBe(2);
  });

  it('one finding stated in two sentences of the same report is one reading', () => {
    const impression = {
      ...f.viable(70),
      evidence: { ...f.viable(70).evidence, sentence: 'Impression: 70% viable.' },
    };
    const { tl } = refractory({ ct2: [f.viable(70), impression, ...allClear()] });
    const sub = subOf(evaluate(tl, { asOf: AS_OF }), 'jsh-lcsgj-2014', 'insufficient-response');
    expect(sub.evidence.filter((e) => e.sentence !== undefined).length).toBe(3);
    expect(sub.unconfirmedTextReadings).toBe(2);
  });

  it('coded and clinician-entered evidence never counts', () => {
    const { tl } = refractory();
    const r = evaluate(tl, {
      asOf: AS_OF,
      inputs: {
        corrections: { ct1: { viablePercent: 70 }, ct2: { viablePercent: 70 } },
        grossType: 'massive',
      },
    });
    expect(subOf(r, 'jsh-lcsgj-2014', 'insufficient-response').unconfirmedTextReadings).toBe(0);
    expect(subOf(r, 'tace-unsuitability', 'resistant-gross-type').unconfirmedTextReadings).toBe(0);
  });
});

describe('lipiodol deposition can be corrected (JSH 2010)', () => {
  it('a corrected deposition replaces the text reading', () => {
    const tl = timeline({
      treatments: [tace('t1', D0), tace('t2', S2)],
      imaging: [
        imaging('ct1', addDays(D0, 30), [f.lipiodol(30), ...allClear()]),
        imaging('ct2', addDays(S2, 30), [f.lipiodol(30), ...allClear()]),
      ],
    });
    const before = subOf(evaluate(tl, { asOf: AS_OF }), 'jsh-2010', 'insufficient-response');
    expect(before.status).toBe('met');
    const after = subOf(
      evaluate(tl, { asOf: AS_OF, inputs: { corrections: { ct2: { lipiodolPercent: 90 } } } }),
      'jsh-2010',
      'insufficient-response',
    );
    expect(after.status).toBe('not-met');
    expect(after.evidence.some((e) => e.origin === 'clinician')).toBe(true);
  });
});
