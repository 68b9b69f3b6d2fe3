import { describe, expect, it } from 'vitest';
import { mapImaging } from '../../src/fhir/map/imaging';
import { buildTimeline } from '../../src/fhir/map/timeline';
import {
  CPT,
  condition,
  diseaseStatus,
  ICD10CM,
  labObs,
  medRequest,
  patient,
  procedure,
  report,
} from '../fixtures/factories';

describe('mapImaging', () => {
  it('reads conclusion, plain and HTML presentedForm; findings keep their sentence', () => {
    const r = report({
      conclusion: 'LR-TR Viable.',
      plain: 'FINDINGS: There is 60% residual arterial enhancement.\nIMPRESSION: No new hepatic lesions.',
      html: '<p>Tumor thrombus in the right portal vein (Vp3).</p><script>alert(1)</script>',
    });
    const { imaging, issues } = mapImaging({ reports: [r] });
    expect(issues).toEqual([]);
    const types = imaging[0]?.findings.map((f) => f.type);
    expect(types).toEqual(['response', 'viable-percent', 'new-lesions', 'vascular-invasion']);
    expect(imaging[0]?.findings[3]?.evidence.sentence).toBe('Tumor thrombus in the right portal vein (Vp3).');
    expect(imaging[0]?.modality).toBe('CT');
    expect(imaging[0]?.text).not.toContain('alert');
  });
  it('the same finding in conclusion and narrative is kept once', () => {
    const r = report({ conclusion: 'Partial response.', plain: 'Partial response.' });
    expect(mapImaging({ reports: [r] }).imaging[0]?.findings).toHaveLength(1);
  });
  it('reads a Binary once when several reports share its URL', () => {
    const binaries = new Map([['Binary/b1', { contentType: 'text/plain', text: 'Stable disease.' }]]);
    const a = report({}, '2026-02-10', { presentedForm: [{ contentType: 'text/plain', url: 'Binary/b1' }] });
    const b = report({}, '2026-02-11', { presentedForm: [{ contentType: 'text/plain', url: 'Binary/b1' }] });
    const c = report({}, '2026-02-12', {
      presentedForm: [{ contentType: 'text/plain', url: 'Binary/missing' }],
    });
    const { imaging, issues } = mapImaging({ reports: [a, b, c] }, { binaries });
    expect(imaging.map((i) => i.findings.length)).toEqual([1, 0, 0]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [b.id, 'warning'],
      [c.id, 'warning'],
    ]);
  });
  it('excludes entered-in-error, supersedes a same-day preliminary CT, lists bad base64 and PDFs', () => {
    // Expectation changed with report versioning: a preliminary CT and final CTs of the same day with no
    // identifier are versions of one study (last-resort rule), so the preliminary is superseded, not used beside
    // the final — even when the final's narrative cannot be read (its findings may retract the preliminary's).
    const eie = report({ conclusion: 'PD' }, '2026-02-10', { status: 'entered-in-error' });
    const pre = report({ conclusion: 'Stable disease.' }, '2026-02-10', { status: 'preliminary' });
    const b64 = report({}, '2026-02-10', {
      presentedForm: [{ contentType: 'text/plain', data: '%%%not base64' }],
    });
    const pdf = report({}, '2026-02-10', {
      presentedForm: [{ contentType: 'application/pdf', data: 'JVBERi0=' }],
    });
    const { imaging, issues } = mapImaging({ reports: [eie, pre, b64, pdf] });
    expect(imaging.map((i) => i.id)).toEqual([b64.id, pdf.id]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [eie.id, 'excluded'],
      [pre.id, 'superseded'],
      [b64.id, 'malformed'],
      [pdf.id, 'unsupported'],
    ]);
  });
  it('maps mCODE disease status (97509-4)', () => {
    const { imaging, issues } = mapImaging({
      reports: [],
      diseaseStatus: [
        diseaseStatus('271299001'),
        diseaseStatus('12345'),
        diseaseStatus('359746009', '2026-01-01'),
      ],
    });
    expect(imaging.map((i) => i.findings[0])).toMatchObject([
      { scale: 'mcode-status', category: 'stable', evidence: { origin: 'coded' } },
      { scale: 'mcode-status', category: 'worsened' },
    ]);
    expect(issues).toHaveLength(1);
  });
  it('uses ImagingStudy modality when the report references it', () => {
    const r = report({ conclusion: 'Stable disease.' }, '2026-02-10', {
      code: { text: 'Liver protocol' },
      imagingStudy: [{ reference: 'ImagingStudy/s1' }],
    });
    const study = { resourceType: 'ImagingStudy', id: 's1', status: 'available', modality: [{ code: 'MR' }] };
    expect(mapImaging({ reports: [r], imagingStudies: [study] }).imaging[0]?.modality).toBe('MR');
  });
});

describe('buildTimeline', () => {
  const good = {
    patient: patient(),
    observations: [
      labObs('1834-1', 250, 'ng/mL', '2026-01-01'),
      labObs('1975-2', 1.1, 'mg/dL', '2026-01-01'),
    ],
    reports: [report({ conclusion: 'Partial response by mRECIST.' }, '2026-02-20')],
    imagingStudies: [],
    procedures: [procedure({ system: CPT, code: '37243', text: 'cTACE' }, '2026-01-15')],
    conditions: [condition({ system: ICD10CM, code: 'C22.0' })],
    medicationRequests: [medRequest({ text: 'lenvatinib' })],
    diseaseStatus: [diseaseStatus('268910001')],
  };
  it('composes every mapper', () => {
    const t = buildTimeline(good, { asOf: '2026-06-01' });
    expect(t.patient?.name).toBe('Testpatient, Teresa Ann');
    expect(Object.keys(t.labs).sort()).toEqual(['afp', 'bilirubin']);
    expect(t.treatments.map((s) => s.kind)).toEqual(['tace-conventional']);
    expect(t.imaging).toHaveLength(2);
    expect(t.therapies.map((x) => x.agent)).toEqual(['lenvatinib']);
    expect(t.conditions.map((c) => c.kind)).toEqual(['hcc']);
    expect(t.dataIssues).toEqual([]);
  });
  it('adversarial: nothing throws, every bad resource is a DataIssue, the rest loads', () => {
    const t = buildTimeline(
      {
        patient: { resourceType: 'Patient' },
        observations: [
          ...good.observations,
          labObs('1834-1', 1, 'ng/mL', '2026-01-01', { id: 'o-no-vq', valueQuantity: { unit: 'ng/mL' } }),
          labObs('1834-1', 1, 'ng/mL', '2026-01-01', {
            id: 'o-str',
            valueQuantity: undefined,
            valueString: 'pending',
          }),
          labObs('1834-1', 1, 'bananas', '2026-01-01', { id: 'o-unit' }),
          labObs('1834-1', 1, 'ng/mL', '2099-01-01', { id: 'o-future' }),
          { resourceType: 'Observation', id: 'o-bad', status: 'final', code: 'AFP' },
        ],
        reports: [...good.reports, { resourceType: 'DiagnosticReport', id: 'r-bad', status: 'final' }],
        imagingStudies: [{ resourceType: 'ImagingStudy', id: 's-bad', status: 'nope' }],
        procedures: [
          ...good.procedures,
          { resourceType: 'Procedure', id: 'p-bad', status: 'completed', code: [] },
        ],
        conditions: [...good.conditions, 'not a resource'],
        medicationRequests: 'oops' as unknown as unknown[],
        diseaseStatus: [{ resourceType: 'Observation', id: 'ds-bad' }],
      },
      { asOf: '2026-06-01' },
    );
    expect(t.patient).toBeUndefined();
    expect(t.labs.afp).toHaveLength(1);
    expect(t.treatments).toHaveLength(1);
    expect(t.imaging).toHaveLength(1);
    const ids = t.dataIssues.map((i) => `${i.resourceType}/${i.id ?? '-'}`);
    for (const id of [
      'Patient/-',
      'Observation/o-no-vq',
      'Observation/o-str',
      'Observation/o-unit',
      'Observation/o-future',
      'Observation/o-bad',
      'DiagnosticReport/r-bad',
      'ImagingStudy/s-bad',
      'Procedure/p-bad',
      'Condition/-',
      'MedicationRequest/-',
      'Observation/ds-bad',
    ])
      expect(ids, id).toContain(id);
    const bad = t.dataIssues.find((i) => i.id === 'o-bad');
    expect(bad?.reason).toMatch(/code/);
  });
  it('is deterministic: same input, same output', () => {
    expect(JSON.stringify(buildTimeline(good))).toBe(JSON.stringify(buildTimeline(good)));
  });
});
