import { beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { evaluate } from '../../src/engine/index';
import { confirmAllAsRead, type ClinicianInputs } from '../../src/engine/inputs';
import type { AssessmentResult } from '../../src/engine/result';
import {
  composeNote,
  DECISION_SUPPORT_STATEMENT,
  displayUnit,
  formatEvidence,
  OPTIONS_PHRASE,
  unconfirmedRemark,
} from '../../src/note/compose-note';

/** The real pipeline on the sandbox scenarios: scenarios → groupByPatient → loadPatient → evaluate. */
const AS_OF = '2026-11-01';
const NOTE_DATE = '2026-11-02';
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

const CORRECTED: ClinicianInputs = {
  intent: 'palliative',
  ascites: 'none',
  encephalopathy: 'none',
  corrections: { 'refractory-insufficient-response-dr-3': { viablePercent: 20, newLesions: 'present' } },
};

describe('composeNote over sandbox scenarios (snapshots)', () => {
  it.each([
    'refractory-insufficient-response',
    'responder',
    'insufficient-data',
    'liver-decline',
    'beyond-up-to-seven',
    'vascular-invasion',
  ])('%s', (id) => {
    expect(composeNote(resultFor(id), { date: NOTE_DATE })).toMatchSnapshot();
  });

  it('refractory-insufficient-response with clinician corrections and grades', () => {
    const note = composeNote(resultFor('refractory-insufficient-response', CORRECTED), {
      date: NOTE_DATE,
      inputs: CORRECTED,
    });
    expect(note).toMatchSnapshot();
    expect(note).toContain('Treatment intent: palliative (entered by clinician)');
    expect(note).toContain(
      '2026-06-14 viable tumour 20 % (entered by clinician; replaces the report reading)',
    );
    expect(note).toContain('new lesions reported (entered by clinician)');
  });
});

describe('composeNote content rules', () => {
  it('carries TACE history, met definitions with dated evidence and units, scores, burden, versions', () => {
    const result = resultFor('refractory-insufficient-response');
    const note = composeNote(result, { date: NOTE_DATE });
    expect(note).toContain(
      '1. 2026-02-24 conventional TACE (cTACE) — imaging 2026-04-10: viable tumour 60 %',
    );
    expect(note).toContain('2. 2026-04-25 DEB-TACE — imaging 2026-06-14: viable tumour 70 %');
    expect(note).toMatch(/JSH-LCSGJ 2014 .*: criteria met/);
    expect(note).toContain('2026-06-14 viable tumour ~70 % (from report text)');
    expect(note).toMatch(/- ALBI: -2\.671, ALBI grade 1 \(mALBI 1\) \(2026-10-02\) — .*Albumin: 4\.1 g\/dL/);
    expect(note).toMatch(/- Child-Pugh: 5–9, .*INR: 1\.08;/);
    // 4.6 cm + 2 tumours (the old reader read "Two LR-5 lesions" as five: beyond).
    expect(note).toContain('- Up-to-seven: within up-to-seven');
    expect(note).toContain(
      `Engine ${result.engineVersion}; rule set ${result.ruleSetId} ${result.ruleSetVersion}; evaluated ${AS_OF}.`,
    );
    expect(note.trimEnd().endsWith(DECISION_SUPPORT_STATEMENT)).toBe(true);
    expect(note.startsWith(`TACE review — decision-support summary (${NOTE_DATE})`)).toBe(true);
  });

  it('cites options in literature wording, never as orders', () => {
    const note = composeNote(resultFor('refractory-insufficient-response'), { date: NOTE_DATE });
    expect(note).toContain(`${OPTIONS_PHRASE} (for discussion; not orders):`);
    // No sentence is an instruction: nothing opens with an imperative, no "must"/"should"/"recommend".
    expect(note).not.toMatch(/^[-\d. ]*(start|stop|give|administer|order|switch|begin|refer)\b/im);
    expect(note).not.toMatch(/\b(must|should|recommend(ed)?)\b/i);
    for (const line of note.split('\n').filter((l) => l.startsWith('- ') && l.includes('[')))
      expect(line).toMatch(/^- .+ \[.+\]$/); // continues "Options … include", then [citation]
  });

  it('is pure: same input, same text; the date comes from the caller', () => {
    const result = resultFor('responder');
    expect(composeNote(result, { date: NOTE_DATE })).toBe(composeNote(result, { date: NOTE_DATE }));
    expect(composeNote(result, { date: '2027-01-01' })).toContain('(2027-01-01)');
  });

  it('says when no TACE session and no definition is met, without inventing values', () => {
    const base = resultFor('insufficient-data');
    const empty: AssessmentResult = { ...base, taceSessions: [], considerations: [], criteria: [] };
    const note = composeNote(empty, { date: NOTE_DATE });
    expect(note).toContain('- No TACE sessions found in the record.');
    expect(note).toContain('- No definition met.');
    expect(note).not.toContain(OPTIONS_PHRASE);
  });

  it('formats units and origins for reading', () => {
    expect(displayUnit('{INR}')).toBe('');
    expect(displayUnit('m[AU]/mL')).toBe('mAU/mL');
    expect(
      formatEvidence({
        ref: 'Observation/1',
        date: '2026-01-01',
        label: 'AFP',
        value: 92,
        unit: 'ng/mL',
        origin: 'structured',
      }),
    ).toBe('2026-01-01 AFP: 92 ng/mL');
    expect(
      formatEvidence({
        ref: 'x',
        date: '2026-01-01',
        label: 'new lesions',
        value: 'new-lesions: present',
        origin: 'clinician',
      }),
    ).toBe('2026-01-01 new lesions: present (entered by clinician)');
  });
});

describe('composeNote: verdicts resting on unconfirmed text readings', () => {
  const timelineFor = (id: string) => {
    const p = patients.find((x) => x.patientId === id);
    if (!p) throw new Error(`no scenario ${id}`);
    return loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline;
  };
  const jshLine = (note: string) => note.split('\n').find((l) => /JSH-LCSGJ 2014 .*: criteria met/.test(l));

  it('words the remark the way the screen does', () => {
    expect(unconfirmedRemark(0)).toBe('');
    expect(unconfirmedRemark(1)).toBe('based on 1 reading from report text, not confirmed by a clinician');
    expect(unconfirmedRemark(2)).toBe('based on 2 readings from report text, not confirmed by a clinician');
  });

  it('a met definition read from report text says so; confirming every reading removes the remark', () => {
    const tl = timelineFor('refractory-insufficient-response');
    const plain = evaluate(tl, { asOf: AS_OF });
    const n = plain.criteria.find((c) => c.id === 'jsh-lcsgj-2014')?.unconfirmedTextReadings ?? 0;
    expect(n).toBeGreaterThan(0);
    expect(jshLine(composeNote(plain, { date: NOTE_DATE }))).toContain(`(${unconfirmedRemark(n)})`);

    const inputs: ClinicianInputs = {
      confirmations: Object.fromEntries(tl.imaging.map((a) => [a.id, confirmAllAsRead(a)])),
    };
    const confirmed = composeNote(evaluate(tl, { asOf: AS_OF, inputs }), { date: NOTE_DATE, inputs });
    expect(jshLine(confirmed)).toBeDefined();
    expect(jshLine(confirmed)).not.toContain('not confirmed by a clinician');
    expect(confirmed).toContain('(from report text, confirmed by clinician)');
  });
});
