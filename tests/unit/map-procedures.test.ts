import { describe, expect, it } from 'vitest';
import { mapProcedures } from '../../src/fhir/map/procedures';
import { CPT, SNOMED, procedure } from '../fixtures/factories';

const HCPCS = 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const PCS = 'http://www.cms.gov/Medicare/Coding/ICD10';
const kindOf = (p: Record<string, unknown>): string | undefined => mapProcedures([p]).sessions[0]?.kind;

describe('mapProcedures: classification', () => {
  it.each([
    [{ system: CPT, code: '37243', text: 'Conventional TACE with lipiodol' }, 'tace-conventional', 'cpt'],
    [{ system: CPT, code: '37243', text: 'DEB-TACE (doxorubicin beads)' }, 'tace-deb', 'cpt'],
    [{ system: CPT, code: '37243', text: 'TACE with drug-eluting microspheres' }, 'tace-deb', 'cpt'],
    [{ system: CPT, code: '37243' }, 'tace-unspecified', 'cpt'],
    [{ system: CPT, code: '37243', text: 'Bland embolization of hepatic tumor' }, 'tae', 'cpt'],
    [
      { system: SNOMED, code: '233527006', display: 'Chemoembolization of liver' },
      'tace-unspecified',
      'snomed',
    ],
    [{ system: SNOMED, code: '233527006', text: 'cTACE' }, 'tace-conventional', 'snomed'],
    [{ system: CPT, code: '79445', text: 'Y-90' }, 'tare', 'cpt'],
    [{ system: HCPCS, code: 'S2095' }, 'tare', 'hcpcs'],
    [{ system: CPT, code: '96422', text: 'HAIC FOLFOX via hepatic artery port' }, 'haic', 'cpt'],
    [{ system: CPT, code: '96422', text: 'chemo infusion' }, 'other', 'cpt'],
    [{ system: CPT, code: '47382', text: 'RFA' }, 'ablation', 'cpt'],
    [{ system: CPT, code: '47383' }, 'ablation', 'cpt'],
    [{ system: CPT, code: '47125' }, 'resection', 'cpt'],
    [{ system: CPT, code: '47135' }, 'transplant', 'cpt'],
    [{ system: PCS, code: '0FY00Z0' }, 'transplant', 'icd10pcs'],
    [{ text: 'Transarterial chemoembolization' }, 'tace-unspecified', 'text'],
    [{ text: 'Radioembolization (SIRT)' }, 'tare', 'text'],
    [{ text: 'Hepatic arterial infusion chemotherapy' }, 'haic', 'text'],
    [{ text: 'Microwave ablation (MWA) segment 8' }, 'ablation', 'text'],
    [{ text: 'Right hepatectomy' }, 'resection', 'text'],
    [{ text: 'Orthotopic liver transplant' }, 'transplant', 'text'],
  ])('%o → %s', (code, kind, codedBy) => {
    const { sessions } = mapProcedures([procedure(code)]);
    expect(sessions[0]).toMatchObject({ kind, codedBy });
  });
  it('does not use unrelated procedures or codes without their system, and lists them as not relevant', () => {
    const colonoscopy = procedure({ text: 'Colonoscopy' });
    const wrongSystem = procedure({ system: 'http://example.org', code: '37243' });
    expect(kindOf(colonoscopy)).toBeUndefined();
    expect(kindOf(wrongSystem)).toBeUndefined();
    const { issues } = mapProcedures([colonoscopy, wrongSystem]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [colonoscopy.id, 'excluded'],
      [wrongSystem.id, 'excluded'],
    ]);
    expect(issues.every((i) => i.reason.startsWith('not relevant: '))).toBe(true);
  });
});

describe('mapProcedures: status, dates, merging', () => {
  it('excludes not-done and entered-in-error with a reason', () => {
    const a = procedure({ system: CPT, code: '37243' }, '2026-01-01', {
      status: 'not-done',
      statusReason: { text: 'patient declined' },
    });
    const b = procedure({ system: CPT, code: '37243' }, '2026-01-02', { status: 'entered-in-error' });
    const { sessions, issues } = mapProcedures([a, b]);
    expect(sessions).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [a.id, 'excluded'],
      [b.id, 'excluded'],
    ]);
    expect(issues[0]?.reason).toContain('patient declined');
  });
  it('uses performedPeriod.start and end', () => {
    const p = procedure({ system: CPT, code: '37243' }, '', {
      performedDateTime: undefined,
      performedPeriod: { start: '2026-01-05T09:00:00Z', end: '2026-01-05T11:00:00Z' },
    });
    expect(mapProcedures([p]).sessions[0]).toMatchObject({
      date: '2026-01-05T09:00:00Z',
      endDate: '2026-01-05T11:00:00Z',
    });
  });
  it('merges same-day sessions of the same kind and the older 37204 + 75894 pair', () => {
    const a = procedure({ system: CPT, code: '37204' }, '2026-01-05T09:00:00Z');
    const b = procedure({ system: CPT, code: '75894' }, '2026-01-05T10:00:00Z');
    const c = procedure({ system: SNOMED, code: '233527006', text: 'cTACE with lipiodol' }, '2026-01-05');
    const d = procedure({ system: CPT, code: '37243' }, '2026-03-01');
    const { sessions, issues } = mapProcedures([a, b, c, d]);
    expect(sessions.map((s) => s.kind)).toEqual(['tace-conventional', 'tace-unspecified']);
    expect(sessions[0]?.mergedSources?.map((s) => s.id)).toEqual([b.id, c.id]);
    expect(issues.filter((i) => i.kind === 'warning')).toHaveLength(2);
  });
  it('a bare embolization code on a TARE day is part of the TARE', () => {
    const { sessions } = mapProcedures([
      procedure({ system: CPT, code: '37243' }, '2026-02-01'),
      procedure({ system: CPT, code: '79445' }, '2026-02-01'),
    ]);
    expect(sessions.map((s) => s.kind)).toEqual(['tare']);
  });
  it('does not merge different kinds on the same day', () => {
    const { sessions } = mapProcedures([
      procedure({ text: 'cTACE' }, '2026-02-01'),
      procedure({ text: 'RFA' }, '2026-02-01'),
    ]);
    expect(sessions).toHaveLength(2);
  });
  it('lists malformed, undated, duplicate and future procedures without throwing', () => {
    const dup = procedure({ text: 'TACE' }, '2026-01-01', { id: 'dup' });
    const { sessions, issues } = mapProcedures(
      [
        null,
        { resourceType: 'Procedure', id: 'x', status: 'finished' },
        procedure({ text: 'TACE' }, '', { id: 'undated', performedDateTime: undefined }),
        dup,
        { ...dup },
        procedure({ text: 'TACE' }, '2030-01-01', { id: 'future' }),
      ],
      { asOf: '2026-06-01' },
    );
    expect(sessions.map((s) => s.id)).toEqual(['dup']);
    expect(issues.map((i) => i.id)).toEqual([undefined, 'x', 'undated', 'dup', 'future']);
  });
  it('sorts by date', () => {
    const { sessions } = mapProcedures([
      procedure({ text: 'TACE' }, '2026-05-01'),
      procedure({ text: 'TACE' }, '2026-01-01'),
    ]);
    expect(sessions.map((s) => s.date)).toEqual(['2026-01-01', '2026-05-01']);
  });
});

describe('mapProcedures: coded treatment intent (mCODE procedure-intent extension)', () => {
  const URL = 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-procedure-intent';
  const withIntent = (system: string, code: string) =>
    procedure({ system: CPT, code: '37243', text: 'Conventional TACE' }, '2026-01-15', {
      extension: [{ url: URL, valueCodeableConcept: { coding: [{ system, code }] } }],
    });
  it('reads SNOMED 373808002 as curative and 363676003 as palliative', () => {
    expect(mapProcedures([withIntent(SNOMED, '373808002')]).sessions[0]?.intent).toBe('curative');
    expect(mapProcedures([withIntent(SNOMED, '363676003')]).sessions[0]?.intent).toBe('palliative');
  });
  it('ignores the right code in the wrong system, and procedures without the extension', () => {
    expect(
      mapProcedures([withIntent('http://example.org/local', '373808002')]).sessions[0]?.intent,
    ).toBeUndefined();
    expect(mapProcedures([procedure({ system: CPT, code: '37243' })]).sessions[0]?.intent).toBeUndefined();
  });
});
