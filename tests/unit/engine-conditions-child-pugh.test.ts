/**
 * Issue 12 item 1 (engine): Child-Pugh ascites / encephalopathy grades from coded Conditions
 * (src/engine/scores/condition-grades.ts). Child-Pugh bands (clinical-reference §3): ascites none / mild /
 * moderate-severe and encephalopathy none / grade 1–2 / grade 3–4 = 1 / 2 / 3 points; class A 5–6, B 7–9, C 10–15.
 *
 * The labs used at asOf give 3 points (bilirubin 1.0 mg/dL → 1, albumin 3.6 g/dL → 1, INR 1.1 → 1), so:
 * ascites and encephalopathy unknown → 5–9; mild ascites (2) → 6–8; moderate–severe (3) → 7–9; "present" (2–3) →
 * 6–9.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConditionSummary } from '../../src/domain/patient';
import { evaluate } from '../../src/engine/index';
import type { ClinicianInputs } from '../../src/engine/inputs';
import { assessmentResultSchema, type AssessmentResult, type ScoreResult } from '../../src/engine/result';
import { mapConditions } from '../../src/fhir/map/conditions';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { ICD10CM, SNOMED, condition as fhirCondition } from '../fixtures/factories';
import { condition, labs, liverLabs, tace, timeline } from './engine-factories';
import { expandResult } from '../../src/engine/result-view';

const AS_OF = '2026-11-01';
const LAB_DAY = '2026-10-20';

function childPugh(conditions: ConditionSummary[], inputs: ClinicianInputs = {}): ScoreResult {
  const tl = timeline({ labs: labs(...liverLabs(LAB_DAY, 1.0, 3.6, 1.1)), conditions });
  return expandResult(evaluate(tl, { asOf: AS_OF, inputs })).scores.childPugh;
}

const conditionEvidence = (s: ScoreResult) => s.evidence.filter((e) => e.ref.startsWith('Condition/'));
const hasMissing = (s: ScoreResult, what: 'ascites' | 'encephalopathy') =>
  s.missing.some((m) => m.startsWith(`${what} grade`));

describe('ascites grade from a coded severity', () => {
  it('SNOMED 255604002 (mild) → 2 points, cited as structured evidence, no longer missing', () => {
    const s = childPugh([
      condition('a1', 'Ascites', {
        onset: '2026-09-01',
        severity: { system: 'http://snomed.info/sct', code: '255604002', text: 'Mild' },
      }),
    ]);
    expect(s.range).toEqual({ min: 6, max: 8 });
    expect(hasMissing(s, 'ascites')).toBe(false);
    expect(hasMissing(s, 'encephalopathy')).toBe(true);
    expect(conditionEvidence(s)).toEqual([
      {
        ref: 'Condition/a1',
        date: '2026-09-01',
        label: 'Ascites (problem list)',
        value: 'mild (2 points)',
        origin: 'structured',
      },
    ]);
    expect(s.notes?.join(' ')).toContain('clinical-reference §3');
  });
  it('SNOMED 24484000 (severe) and 6736007 (moderate) → 3 points', () => {
    for (const code of ['24484000', '6736007']) {
      const s = childPugh([
        condition('a1', 'Ascites', {
          onset: '2026-09-01',
          severity: { system: 'http://snomed.info/sct', code },
        }),
      ]);
      expect(s.range, code).toEqual({ min: 7, max: 9 });
      expect(conditionEvidence(s)[0]?.origin).toBe('structured');
    }
  });
  it('a coded severity and words that disagree stay a range of 2–3 points', () => {
    const s = childPugh([
      condition('a1', 'Tense ascites', {
        onset: '2026-09-01',
        severity: { system: 'http://snomed.info/sct', code: '255604002' },
      }),
    ]);
    expect(s.range).toEqual({ min: 6, max: 9 });
    expect(hasMissing(s, 'ascites')).toBe(true);
  });
});

describe('ascites grade from the words of the Condition', () => {
  it.each([
    ['Ascites, mild', { min: 6, max: 8 }],
    ['Slight ascites', { min: 6, max: 8 }],
    ['Small-volume ascites', { min: 6, max: 8 }],
    ['Moderate ascites', { min: 7, max: 9 }],
    ['Severe ascites', { min: 7, max: 9 }],
    ['Large ascites', { min: 7, max: 9 }],
    ['Tense ascites', { min: 7, max: 9 }],
    ['Refractory ascites', { min: 7, max: 9 }],
    ['Massive ascites', { min: 7, max: 9 }],
  ])('"%s" → %o', (text, range) => {
    const s = childPugh([condition('a1', text, { onset: '2026-09-01' })]);
    expect(s.range).toEqual(range);
    expect(hasMissing(s, 'ascites')).toBe(false);
    expect(conditionEvidence(s)[0]).toMatchObject({ ref: 'Condition/a1', origin: 'text' });
  });
  it('words without a grade ("Other ascites") keep the range of a present ascites (2–3 points) and say so', () => {
    const s = childPugh([condition('a1', 'Other ascites', { onset: '2026-09-01' })]);
    expect(s.range).toEqual({ min: 6, max: 9 });
    expect(s.missing).toContain(
      'ascites grade (clinician input): the ascites Condition on file states no grade (2–3 points)',
    );
    expect(conditionEvidence(s)[0]?.value).toBe('present, grade not stated (2–3 points)');
  });
  it('"mild to moderate" spans both bands: a range', () => {
    const s = childPugh([condition('a1', 'Mild to moderate ascites', { onset: '2026-09-01' })]);
    expect(s.range).toEqual({ min: 6, max: 9 });
  });
  it('the grade may be stated only in a coding display', () => {
    const s = childPugh([
      condition('a1', 'Ascites', { onset: '2026-09-01', words: ['Other ascites', 'Mild ascites'] }),
    ]);
    expect(s.range).toEqual({ min: 6, max: 8 });
  });
  it('two Conditions that disagree on the grade stay a range', () => {
    const s = childPugh([
      condition('a1', 'Mild ascites', { onset: '2026-08-01' }),
      condition('a2', 'Tense ascites', { onset: '2026-09-01' }),
    ]);
    expect(s.range).toEqual({ min: 6, max: 9 });
    expect(s.notes?.join(' ')).toContain('different grades');
  });
});

describe('negated, hedged or inactive Conditions are never read as present', () => {
  it.each([
    'No ascites',
    'Ascites: none',
    'History of ascites',
    'Ascites resolved',
    'No evidence of ascites',
  ])('"%s" is not used (5–9, no Condition evidence)', (text) => {
    const s = childPugh([condition('a1', text, { onset: '2026-09-01' })]);
    expect(s.range).toEqual({ min: 5, max: 9 });
    expect(conditionEvidence(s)).toEqual([]);
    expect(s.notes?.join(' ')).toContain('not used for Child-Pugh: its words are negated');
  });
  it('hedged words ("possible ascites") are not used', () => {
    const s = childPugh([condition('a1', 'Possible ascites', { onset: '2026-09-01' })]);
    expect(s.range).toEqual({ min: 5, max: 9 });
    expect(conditionEvidence(s)).toEqual([]);
  });
  it('a word that only looks like a negation elsewhere ("non-alcoholic") does not block the grade', () => {
    const s = childPugh([
      condition('a1', 'Non-alcoholic cirrhosis with mild ascites', { onset: '2026-09-01' }),
    ]);
    expect(s.range).toEqual({ min: 6, max: 8 });
  });
  it.each([
    [{ clinicalStatus: 'resolved' }],
    [{ clinicalStatus: 'inactive' }],
    [{ clinicalStatus: 'remission' }],
    [{ clinicalStatus: undefined }],
    [{ verificationStatus: 'refuted' }],
    [{ verificationStatus: 'entered-in-error' }],
    [{ verificationStatus: 'unconfirmed' }],
    [{ verificationStatus: 'differential' }],
  ] as Partial<ConditionSummary>[][])('%o → not used', (extra) => {
    const s = childPugh([condition('a1', 'Tense ascites', { onset: '2026-09-01', ...extra })]);
    expect(s.range).toEqual({ min: 5, max: 9 });
    expect(conditionEvidence(s)).toEqual([]);
  });
  it('onset after the assessment date → not used', () => {
    const s = childPugh([condition('a1', 'Tense ascites', { onset: '2026-11-15' })]);
    expect(s.range).toEqual({ min: 5, max: 9 });
  });
  it('no onset date: used for the assessment date, dated by its recorded date, and said so', () => {
    const s = childPugh([condition('a1', 'Mild ascites', { recorded: '2026-09-10' })]);
    expect(s.range).toEqual({ min: 6, max: 8 });
    expect(conditionEvidence(s)[0]?.date).toBe('2026-09-10');
    expect(s.notes?.join(' ')).toContain('used for the assessment date only');
  });
  it('no onset date and recorded after the assessment date → not on record then, not used', () => {
    const s = childPugh([condition('a1', 'Mild ascites', { recorded: '2026-11-20' })]);
    expect(s.range).toEqual({ min: 5, max: 9 });
  });
});

describe('the clinician input overrides the Conditions', () => {
  it('ascites "none" entered by the clinician wins over a tense-ascites Condition', () => {
    const s = childPugh([condition('a1', 'Tense ascites', { onset: '2026-09-01' })], {
      ascites: 'none',
      encephalopathy: 'none',
    });
    expect(s.value).toBe(5);
    expect(s.category).toBe('Child-Pugh A');
    expect(conditionEvidence(s)).toEqual([]);
    expect(s.notes?.join(' ')).toContain('Ascites grade entered by the clinician');
  });
});

describe('hepatic encephalopathy grade from Conditions', () => {
  const he = (text: string, extra: Partial<ConditionSummary> = {}) =>
    condition('h1', text, { kind: 'encephalopathy', onset: '2026-09-01', ...extra });
  it.each([
    ['Hepatic encephalopathy, grade 1', { min: 6, max: 8 }],
    ['Hepatic encephalopathy grade 2', { min: 6, max: 8 }],
    ['Hepatic encephalopathy, West Haven grade I-II', { min: 6, max: 8 }],
    ['Mild hepatic encephalopathy', { min: 6, max: 8 }],
    ['Minimal hepatic encephalopathy', { min: 6, max: 8 }],
    ['Overt hepatic encephalopathy, grade 3', { min: 7, max: 9 }],
    ['Hepatic encephalopathy grade 4', { min: 7, max: 9 }],
    ['Hepatic coma', { min: 7, max: 9 }],
    ['Overt hepatic encephalopathy', { min: 6, max: 9 }],
    ['Hepatic encephalopathy grade 2-3', { min: 6, max: 9 }],
  ])('"%s" → %o', (text, range) => {
    const s = childPugh([he(text)]);
    expect(s.range).toEqual(range);
  });
  it('"Hepatic failure without coma" (K72.90) is not a negation of encephalopathy: present, a range', () => {
    const s = childPugh([he('Hepatic failure without coma')]);
    expect(s.range).toEqual({ min: 6, max: 9 });
  });
  it('ICD-10-CM K72.91 "with coma" carries grade 3–4 as a code (structured)', () => {
    const s = childPugh([
      he('Hepatic failure, unspecified with coma', {
        codings: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'K72.91' }],
      }),
    ]);
    expect(s.range).toEqual({ min: 7, max: 9 });
    expect(conditionEvidence(s)[0]?.origin).toBe('structured');
  });
  it('coded severity mild → grade 1–2; "no hepatic encephalopathy" is not used', () => {
    expect(
      childPugh([he('Hepatic encephalopathy', { severity: { system: SNOMED, code: '255604002' } })]).range,
    ).toEqual({ min: 6, max: 8 });
    expect(childPugh([he('No hepatic encephalopathy')]).range).toEqual({ min: 5, max: 9 });
  });
  it('mild ascites and grade 1–2 encephalopathy from Conditions give an exact score: 7, class B, nothing missing', () => {
    const s = childPugh([
      condition('a1', 'Ascites, mild', { onset: '2026-09-01' }),
      he('Hepatic encephalopathy, grade 1'),
    ]);
    expect(s.value).toBe(7);
    expect(s.category).toBe('Child-Pugh B');
    expect(s.missing).toEqual([]);
    expect(conditionEvidence(s).map((e) => e.ref)).toEqual(['Condition/a1', 'Condition/h1']);
  });
});

describe('per session: a Condition counts only when active on that day', () => {
  // Three TACE; the mild-ascites Condition's onset falls between the 1st and the 2nd; an undated grade-1 HE
  // Condition is for the assessment date only.
  const tl = () =>
    timeline({
      treatments: [tace('t1', '2026-01-10'), tace('t2', '2026-05-10')],
      labs: labs(...liverLabs('2026-01-07', 1.0, 3.6, 1.1), ...liverLabs('2026-05-07', 1.0, 3.6, 1.1)),
      conditions: [
        condition('a1', 'Ascites, mild', { onset: '2026-03-01' }),
        condition('h1', 'Hepatic encephalopathy grade 1', { kind: 'encephalopathy', recorded: '2026-04-01' }),
      ],
    });
  it('liver trajectory: not before the onset, used from it on; the undated Condition is never used for a session', () => {
    const r = expandResult(evaluate(tl(), { asOf: AS_OF }));
    const [s1, s2] = r.liverTrajectory;
    expect(s1?.before.childPugh).toEqual({ min: 5, max: 9 });
    expect(s1?.before.evidence.some((e) => e.ref === 'Condition/a1')).toBe(false);
    expect(s2?.before.childPugh).toEqual({ min: 6, max: 8 });
    expect(s2?.before.evidence.some((e) => e.ref === 'Condition/a1')).toBe(true);
    expect(s2?.before.evidence.some((e) => e.ref === 'Condition/h1')).toBe(false);
    // Now (asOf): both are used — exact 7, class B.
    expect(r.scores.childPugh.value).toBe(7);
  });
  it('ART / ABCR (Child-Pugh before the 1st and 2nd TACE) see the same per-session grades and name them', () => {
    const r = evaluate(tl(), { asOf: AS_OF });
    const notes = r.scores.art.notes?.join(' ') ?? '';
    expect(notes).toContain('Before the 2nd TACE (2026-05-10): Ascites: mild (2 points)');
    expect(notes).not.toContain('Before the 1st TACE (2026-01-10): Ascites:');
    expect(notes).toContain('not used for 2026-01-10: its onset 2026-03-01 is after it');
  });
});

describe('through the mapper', () => {
  it('Condition.severity, the words, codings and category reach the summary', () => {
    const { conditions } = mapConditions([
      fhirCondition(
        { system: ICD10CM, code: 'R18.8', text: 'Ascites' },
        {
          severity: { coding: [{ system: SNOMED, code: '24484000', display: 'Severe' }] },
          category: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/condition-category',
                  code: 'problem-list-item',
                },
              ],
            },
          ],
          onsetDateTime: '2026-09-01',
        },
      ),
    ]);
    expect(conditions[0]).toMatchObject({
      kind: 'ascites',
      severity: { system: SNOMED, code: '24484000', text: 'Severe' },
      words: ['Ascites'],
      codings: [{ system: ICD10CM, code: 'R18.8' }],
      categories: ['problem-list-item'],
    });
    const s = childPugh(conditions);
    expect(s.range).toEqual({ min: 7, max: 9 });
    expect(conditionEvidence(s)[0]).toMatchObject({ label: 'Ascites (problem list)', origin: 'structured' });
  });
});

describe('liver-decline (sandbox): the "Ascites, mild" Condition on file', () => {
  let result: AssessmentResult;
  beforeAll(() => {
    const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
    const p = groupByPatient(entries).patients.find(
      (x) => x.patientId === 'liver-decline',
    ) as PatientResources;
    result = evaluate(loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline, { asOf: AS_OF });
  });
  it('gives mild ascites = 2 points: 9–11 (B or C), ascites no longer asked for, the Condition cited', () => {
    // Day -20 labs: bilirubin 2.9 mg/dL → 2, albumin 2.6 g/dL → 3, INR 1.65 → 1; ascites mild 2; HE unknown 1–3.
    const cp = expandResult(result).scores.childPugh;
    expect(cp.range).toEqual({ min: 9, max: 11 });
    expect(cp.category).toBe('indeterminate (B or C)');
    expect(cp.missing).toEqual(['encephalopathy grade (clinician input)']);
    expect(conditionEvidence(cp)).toEqual([
      expect.objectContaining({
        label: 'Ascites, mild (encounter diagnosis)',
        value: 'mild (2 points)',
        origin: 'text',
      }),
    ]);
    expect(() => assessmentResultSchema.parse(result)).not.toThrow();
  });
  it('the third TACE (after the onset) uses it; the first two do not', () => {
    const used = expandResult(result).liverTrajectory.map((t) =>
      t.before.evidence.some((e) => e.ref.startsWith('Condition/')),
    );
    expect(used).toEqual([false, false, true]);
  });
});
