import { beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentResult } from '../../src/engine/result';
import { SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { assessScenarios } from './scenario-results';

/**
 * Issue 9, item 6: every verdict of every sandbox scenario, so a wrong verdict anywhere fails. M = met,
 * N = not met, I = indeterminate. Read through the CLI (the same mappers and engine as the app) from each scenario
 * exported as an EHR would (a collection Bundle with urn:uuid fullUrls), evaluated on the scenarios' anchor date.
 *
 * Each row was checked against the scenario's story (sandbox/scenarios/patients/*.ts, `summary`), notably:
 * - responder is never TACE-unsuitable (the old reader read "Two LR-5 lesions" as five tumours → beyond
 *   up-to-seven → "Met"); its unsuitability is indeterminate only because the gross type is a clinician input;
 * - many-prior-tace is refractory through the addendum that corrects "16%" to 60 % viable;
 * - up-to-seven is indeterminate (null) where the latest report measures only some lesions (many-prior-tace) or
 *   "beyond" already from the lower bound (refractory-new-lesions: seven tumours, any size);
 * - EPOIHCC is not met with fewer than three sessions in six months (engine policy, issue 4 note);
 * - Child-Pugh stays a range while ascites / encephalopathy are not entered by the clinician, except where a
 *   Condition on file states the grade (engine 0.5.0): liver-decline's "Ascites, mild" (encounter diagnosis, day
 *   -100) gives mild ascites = 2 points. Checked by hand against its labs of day -20: bilirubin 2.9 mg/dL (2–3 → 2),
 *   albumin 2.6 g/dL (< 2.8 → 3), INR 1.65 (< 1.7 → 1), ascites mild 2, encephalopathy unknown 1–3 → 9–11, B or C
 *   (was 9–12 while the ascites Condition counted only as "present", 2–3 points).
 */
type S = 'M' | 'N' | 'I';
interface Expected {
  criteria: Record<string, [S, Record<string, S>]>;
  scores: {
    albiGrade: 1 | 2 | 3 | null;
    mAlbiGrade: string | null;
    childPugh: { min: number; max: number } | null;
    childPughCategory: string | null;
    upToSeven: string | null;
    upToSevenValue: number | null;
    taceSessions: number;
  };
}

const EXPECTED: Record<string, Expected> = {
  'refractory-insufficient-response': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'M',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'M',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['I', { 'progression-after-two': 'I' }],
      'tace-unsuitability': [
        'I',
        { 'beyond-up-to-seven': 'N', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 1,
      mAlbiGrade: '1',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: 'within up-to-seven',
      upToSevenValue: 6.6,
      taceSessions: 2,
    },
  },
  'refractory-new-lesions': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'M',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'I',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'M',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'I',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['M', { 'progression-after-two': 'M' }],
      'tace-unsuitability': [
        'M',
        { 'beyond-up-to-seven': 'M', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2a',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: 'beyond up-to-seven',
      upToSevenValue: null,
      taceSessions: 2,
    },
  },
  'refractory-marker-rise': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'M',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'M',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['I', { 'progression-after-two': 'I' }],
      'tace-unsuitability': [
        'I',
        { 'beyond-up-to-seven': 'N', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2a',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: 'within up-to-seven',
      upToSevenValue: 6,
      taceSessions: 2,
    },
  },
  'vascular-invasion': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'M',
          'vascular-invasion': 'M',
          'extrahepatic-spread': 'N',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'M',
          'vascular-invasion': 'M',
          'extrahepatic-spread': 'N',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['M', { 'progression-after-two': 'M' }],
      'tace-unsuitability': [
        'M',
        { 'beyond-up-to-seven': 'M', 'malbi-2b': 'M', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2b',
      childPugh: { min: 6, max: 10 },
      childPughCategory: 'indeterminate (A or B or C)',
      upToSeven: 'beyond up-to-seven',
      upToSevenValue: 7.1,
      taceSessions: 2,
    },
  },
  'extrahepatic-spread': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'M',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'M',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['M', { 'progression-after-two': 'M' }],
      'tace-unsuitability': [
        'I',
        { 'beyond-up-to-seven': 'N', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2a',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: 'within up-to-seven',
      upToSevenValue: 5.9,
      taceSessions: 2,
    },
  },
  responder: {
    criteria: {
      'jsh-lcsgj-2014': [
        'N',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'N',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      'jsh-2010': [
        'N',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'N',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['N', { 'progression-after-two': 'N' }],
      'tace-unsuitability': [
        'I',
        { 'beyond-up-to-seven': 'N', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'M',
        { 'imaging-cr': 'M', 'afp-normal': 'M', 'afp-l3-normal': 'M', 'pivka-normal': 'M' },
      ],
      'drug-off': [
        'I',
        {
          'imaging-cr': 'M',
          'afp-normal': 'M',
          'afp-l3-normal': 'M',
          'pivka-normal': 'M',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 1,
      mAlbiGrade: '1',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: 'within up-to-seven',
      upToSevenValue: 5.1,
      taceSessions: 1,
    },
  },
  'insufficient-data': {
    criteria: {
      'jsh-lcsgj-2014': [
        'I',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'I',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'I',
          'extrahepatic-spread': 'I',
        },
      ],
      'jsh-2010': [
        'I',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'I',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'I',
          'extrahepatic-spread': 'I',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['I', { 'progression-after-two': 'I' }],
      'tace-unsuitability': [
        'I',
        { 'beyond-up-to-seven': 'I', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'I', 'afp-normal': 'N', 'afp-l3-normal': 'I', 'pivka-normal': 'I' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'I',
          'afp-normal': 'N',
          'afp-l3-normal': 'I',
          'pivka-normal': 'I',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2a',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: null,
      upToSevenValue: null,
      taceSessions: 2,
    },
  },
  'liver-decline': {
    criteria: {
      'jsh-lcsgj-2014': [
        'I',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      'jsh-2010': [
        'I',
        {
          'insufficient-response': 'N',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'N',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['I', { 'progression-after-two': 'I' }],
      'tace-unsuitability': [
        'M',
        { 'beyond-up-to-seven': 'N', 'malbi-2b': 'M', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'I', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'I',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 3,
      mAlbiGrade: '3',
      // Mild ascites from the Condition on file (2 points): 9–11, not 9–12 (see the comment at the top).
      childPugh: { min: 9, max: 11 },
      childPughCategory: 'indeterminate (B or C)',
      upToSeven: 'within up-to-seven',
      upToSevenValue: 6.5,
      taceSessions: 3,
    },
  },
  'many-prior-tace': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'M',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'I',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'M',
          'intrahepatic-progression': 'N',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'N',
          'extrahepatic-spread': 'I',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['M', { 'progression-after-two': 'M' }],
      'tace-unsuitability': [
        'I',
        { 'beyond-up-to-seven': 'I', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2a',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: null,
      upToSevenValue: null,
      taceSessions: 6,
    },
  },
  'beyond-up-to-seven': {
    criteria: {
      'jsh-lcsgj-2014': [
        'I',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'I',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'I',
          'extrahepatic-spread': 'I',
        },
      ],
      'jsh-2010': [
        'I',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'I',
          'tumor-marker-elevation': 'I',
          'vascular-invasion': 'I',
          'extrahepatic-spread': 'I',
        },
      ],
      epoihcc: ['I', { 'no-response': 'I' }],
      european: ['I', { 'progression-after-two': 'I' }],
      'tace-unsuitability': [
        'M',
        { 'beyond-up-to-seven': 'M', 'malbi-2b': 'N', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'I', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'I',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2a',
      childPugh: { min: 5, max: 9 },
      childPughCategory: 'indeterminate (A or B)',
      upToSeven: 'beyond up-to-seven',
      upToSevenValue: 11.5,
      taceSessions: 0,
    },
  },
  'long-history': {
    criteria: {
      'jsh-lcsgj-2014': [
        'M',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'I',
          'tumor-marker-elevation': 'M',
          'vascular-invasion': 'I',
          'extrahepatic-spread': 'I',
        },
      ],
      'jsh-2010': [
        'M',
        {
          'insufficient-response': 'I',
          'intrahepatic-progression': 'I',
          'tumor-marker-elevation': 'M',
          'vascular-invasion': 'I',
          'extrahepatic-spread': 'I',
        },
      ],
      epoihcc: ['N', { 'no-response': 'N' }],
      european: ['M', { 'progression-after-two': 'M' }],
      'tace-unsuitability': [
        'M',
        { 'beyond-up-to-seven': 'N', 'malbi-2b': 'M', 'resistant-gross-type': 'I' },
      ],
      'clinical-cr': [
        'N',
        { 'imaging-cr': 'N', 'afp-normal': 'N', 'afp-l3-normal': 'N', 'pivka-normal': 'N' },
      ],
      'drug-off': [
        'N',
        {
          'imaging-cr': 'N',
          'afp-normal': 'N',
          'afp-l3-normal': 'N',
          'pivka-normal': 'N',
          'no-arterial-flow-ceus': 'I',
        },
      ],
    },
    scores: {
      albiGrade: 2,
      mAlbiGrade: '2b',
      childPugh: { min: 6, max: 10 },
      childPughCategory: 'indeterminate (A or B or C)',
      upToSeven: 'within up-to-seven',
      upToSevenValue: 4.4,
      taceSessions: 22,
    },
  },
};

const AS_OF = '2026-11-01';
const STATUS: Record<string, S> = { met: 'M', 'not-met': 'N', indeterminate: 'I' };
const results = new Map<string, AssessmentResult>();

beforeAll(async () => {
  for (const [id, r] of await assessScenarios(AS_OF)) results.set(id, r);
}, 60_000);

describe('scenario expectation table', () => {
  it('covers every scenario', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SCENARIO_IDS].sort());
  });

  describe.each(Object.keys(EXPECTED))('%s', (id) => {
    const expected = EXPECTED[id] as Expected;
    it('every criterion and sub-criterion', () => {
      const result = results.get(id) as AssessmentResult;
      const actual = Object.fromEntries(
        result.criteria.map((c) => [
          c.id,
          [STATUS[c.status], Object.fromEntries(c.subcriteria.map((s) => [s.id, STATUS[s.status]]))],
        ]),
      );
      expect(actual).toEqual(expected.criteria);
    });
    it('key scores and the TACE session count', () => {
      const r = results.get(id) as AssessmentResult;
      expect({
        albiGrade: r.scores.albi.grade,
        mAlbiGrade: r.scores.albi.mGrade,
        childPugh: r.scores.childPugh.range,
        childPughCategory: r.scores.childPugh.category,
        upToSeven: r.scores.upToSeven.category,
        upToSevenValue: r.scores.upToSeven.value,
        taceSessions: r.taceSessions.length,
      }).toEqual(expected.scores);
    });
    it('every indeterminate verdict names what is missing', () => {
      const r = results.get(id) as AssessmentResult;
      for (const c of r.criteria)
        for (const s of c.subcriteria)
          if (s.status === 'indeterminate') expect(s.missing.length, `${c.id}/${s.id}`).toBeGreaterThan(0);
    });
  });

  it('the responder is not TACE-unsuitable and meets no refractoriness definition', () => {
    const r = results.get('responder') as AssessmentResult;
    const status = (cid: string) => r.criteria.find((c) => c.id === cid)?.status;
    expect(status('tace-unsuitability')).not.toBe('met');
    for (const cid of ['jsh-lcsgj-2014', 'jsh-2010', 'epoihcc', 'european'])
      expect(status(cid)).toBe('not-met');
    expect(r.scores.upToSeven).toMatchObject({ value: 5.1, category: 'within up-to-seven' });
  });
});
