import { beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { evaluate } from '../../src/engine/index';
import type { ClinicianInputs } from '../../src/engine/inputs';
import type { AssessmentResult, LiverTrajectoryEntry } from '../../src/engine/result';
import { currentSystemicTherapy } from '../../src/engine/considerations';
import { liverWarnings } from '../../src/engine/liver-trajectory';
import { composeNote } from '../../src/note/compose-note';
import { timeline } from './engine-factories';
import type { SystemicTherapy } from '../../src/domain/treatments';
import { evidenceOf } from '../../src/engine/result-view';

/** The real pipeline on the sandbox scenarios: scenarios → groupByPatient → loadPatient → evaluate. */
const AS_OF = '2026-11-01';
let patients: PatientResources[];

beforeAll(() => {
  const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
  patients = groupByPatient(entries).patients;
});

function resultFor(id: string, inputs: ClinicianInputs = {}): AssessmentResult {
  const p = patients.find((x) => x.patientId === id);
  if (!p) throw new Error(`no scenario ${id}`);
  return evaluate(loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline, { asOf: AS_OF, inputs });
}

const START_WORDS =
  /starting systemic therapy|switching to a molecular targeted agent|switching to .*atezolizumab/;

describe('options after failure know the current systemic therapy', () => {
  it('extrahepatic-spread (on lenvatinib) is never offered lenvatinib or a switch to a targeted agent', () => {
    const r = resultFor('extrahepatic-spread');
    expect(r.criteria.find((c) => c.id === 'jsh-lcsgj-2014')?.status).toBe('met');
    const ids = r.considerations.map((c) => c.id);
    expect(ids).not.toContain('switch-to-systemic');
    for (const c of r.considerations) expect(c.text).not.toMatch(START_WORDS);
    // Lenvatinib was started (2026-06-24) after the first failure finding (2026-06-04): not called progression.
    const s = r.considerations.find((c) => c.id === 'systemic-started-after-failure');
    expect(s?.text).toContain('Already on lenvatinib since 2026-06-24');
    expect(s?.text).toContain('after the TACE-failure findings of 2026-06-04');
    expect(s?.triggers).toContain(
      'on lenvatinib since 2026-06-24 (MedicationRequest/extrahepatic-spread-med-1)',
    );
    expect(s?.citation).toMatch(/^verify/);
    const options = (s?.text ?? '').split(
      'options discussed after progression on a first-line agent include ',
    )[1];
    expect(options).toBeDefined();
    expect(options).not.toMatch(/lenvatinib/);
    expect(r.considerations.find((c) => c.id === 'tace-plus-systemic')?.text).toContain(
      'already on lenvatinib since 2026-06-24, so this would be TACE alongside it, not a new agent',
    );
    for (const c of r.considerations) expect(c.triggers.length).toBeGreaterThan(0);
  });

  it('responder (on atezolizumab + bevacizumab): no option now; with a failure finding, progression on it is named', () => {
    const plain = resultFor('responder');
    for (const c of plain.considerations) expect(c.text).not.toMatch(START_WORDS);
    // A clinician-corrected extrahepatic spread on the last CT makes the JSH definitions met.
    const r = resultFor('responder', {
      corrections: { 'responder-dr-4': { extrahepaticSpread: 'present' } },
    });
    expect(r.criteria.find((c) => c.id === 'jsh-lcsgj-2014')?.status).toBe('met');
    expect(r.considerations.map((c) => c.id)).not.toContain('switch-to-systemic');
    for (const c of r.considerations) expect(c.text).not.toMatch(START_WORDS);
    const p = r.considerations.find((c) => c.id === 'progression-on-systemic');
    expect(p?.text).toMatch(
      /^Progression on atezolizumab \+ bevacizumab since 2026-09-22 \(atezolizumab \+ bevacizumab since 2025-12-26\): options discussed after progression on a first-line agent include a molecular targeted agent \(lenvatinib or sorafenib\)/,
    );
    const options = (p?.text ?? '').split(' include ')[1] ?? '';
    expect(options).not.toMatch(/atezolizumab|bevacizumab|immune checkpoint/);
    expect(p?.citation).toMatch(/^verify: not in clinical-reference §6/);
    expect(p?.triggers).toEqual(expect.arrayContaining(['jsh-lcsgj-2014/extrahepatic-spread']));
  });

  it('a patient on no systemic therapy still gets switch-to-systemic, with its key figure', () => {
    const r = resultFor('refractory-insufficient-response');
    const s = r.considerations.find((c) => c.id === 'switch-to-systemic');
    expect(s?.keyFigure).toContain('OS 25.4 vs 11.5');
    expect(r.considerations.find((c) => c.id === 'tace-plus-systemic')?.keyFigure).toContain('LAUNCH');
  });

  it('current therapy: started by asOf and not ended; drafts, future starts and past ends are not running', () => {
    const t = (
      id: string,
      status: SystemicTherapy['status'],
      start?: string,
      end?: string,
    ): SystemicTherapy => ({
      id,
      agent: 'sorafenib',
      status,
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      source: { resourceType: 'MedicationRequest', id },
      codedBy: 'rxnorm',
      label: 'sorafenib',
    });
    const tl = timeline({
      therapies: [
        t('a', 'active', '2026-01-01'),
        t('b', 'draft', '2026-01-01'),
        t('c', 'active', '2026-12-01'),
        t('d', 'stopped', '2026-01-01', '2026-05-01'),
        t('e', 'completed', '2026-01-01', '2026-12-01'),
        t('f', 'stopped', '2026-01-01'),
        t('g', 'on-hold', '2026-02-01'),
      ],
    });
    expect(currentSystemicTherapy(tl, AS_OF).map((c) => c.ref)).toEqual([
      'MedicationRequest/a',
      'MedicationRequest/e',
      'MedicationRequest/g',
    ]);
  });
});

function entry(
  sessionDate: string,
  albi: number | null,
  albiGrade: string | null,
  cp: [number, number] | null = null,
): LiverTrajectoryEntry {
  const snap = {
    albi,
    albiGrade,
    childPugh: cp ? { min: cp[0], max: cp[1] } : null,
    childPughClass: cp ? (cp[0] >= 7 ? 'B' : 'A') : null,
    evidence: [],
    missing: [],
  };
  return {
    sessionDate,
    sessionRef: `Procedure/${sessionDate}`,
    before: snap,
    after: snap,
    deteriorated: false,
  };
}

describe('liver warnings across TACE sessions (Ogasawara 2020)', () => {
  it('liver-decline: ALBI 1 → 2b → 3 before its three TACE and a TACE at grade 3 are warned, in the note too', () => {
    const r = resultFor('liver-decline');
    expect(r.liverWarnings.map((w) => w.id)).toEqual(['albi-grade-worsened', 'tace-at-poor-liver-function']);
    const [worse, poor] = r.liverWarnings;
    expect(worse?.text).toContain('ALBI -2.858, grade 1 before the TACE of 2025-12-06');
    expect(worse?.text).toContain('ALBI -1.875, grade 2 (mALBI 2b) before the TACE of 2026-04-05');
    expect(worse?.text).toContain('ALBI -1.207, grade 3 before the TACE of 2026-08-03');
    expect(worse?.evidenceIds.length).toBeGreaterThan(0);
    expect(evidenceOf(r, worse?.evidenceIds ?? []).length).toBe(worse?.evidenceIds.length);
    expect(poor?.sessionDates).toEqual(['2026-08-03']);
    expect(poor?.text).toContain('2026-08-03 at ALBI grade 3');
    for (const w of r.liverWarnings) expect(w.citation).toContain('Ogasawara 2020');
    expect(r.considerations.map((c) => c.id)).toContain('liver-function-before-tace');
    const note = composeNote(r, { date: '2026-11-02' });
    const liver = note.split('\nLiver function\n')[1]?.split('\n\n')[0] ?? '';
    expect(liver).toContain('- Warning: ALBI grade worsened across TACE sessions');
    expect(liver).toContain('- Warning: TACE done at ALBI grade 3 or Child-Pugh B or worse');
  });

  it('no warning when the grade does not worsen (steady, improving, or unknown before a session)', () => {
    expect(liverWarnings([entry('2026-01-01', -2.9, '1'), entry('2026-03-01', -2.7, '1')])).toEqual([]);
    expect(liverWarnings([entry('2026-01-01', -2.4, '2a'), entry('2026-03-01', -2.7, '1')])).toEqual([]);
    expect(
      liverWarnings([
        entry('2026-01-01', -2.4, '2a'),
        entry('2026-03-01', null, null),
        entry('2026-05-01', -2.3, '2a'),
      ]),
    ).toEqual([]);
    // mALBI 2a → 2b stays ALBI grade 2: not a grade worsening.
    expect(liverWarnings([entry('2026-01-01', -2.4, '2a'), entry('2026-03-01', -2.2, '2b')])).toEqual([]);
  });

  it('a worsening after an improvement is warned; Child-Pugh B before a TACE is warned at ALBI grade 2', () => {
    const w = liverWarnings([
      entry('2026-01-01', -2.4, '2a'),
      entry('2026-03-01', -2.7, '1'),
      entry('2026-05-01', -2.4, '2a'),
    ]);
    expect(w.map((x) => x.id)).toEqual(['albi-grade-worsened']);
    const cp = liverWarnings([entry('2026-01-01', -2.3, '2a', [7, 7])]);
    expect(cp.map((x) => x.id)).toEqual(['tace-at-poor-liver-function']);
    expect(cp[0]?.text).toContain('Child-Pugh B (7 points)');
    // A range that may still be A (6–9) is not called B.
    expect(liverWarnings([entry('2026-01-01', -2.3, '2a', [6, 9])])).toEqual([]);
  });
});
