import { describe, expect, it } from 'vitest';
import { mapConditions } from '../../src/fhir/map/conditions';
import { mapMedicationRequests } from '../../src/fhir/map/meds';
import { mapPatient } from '../../src/fhir/map/patient';
import { ICD10CM, RXNORM, SNOMED, condition, medRequest, patient } from '../fixtures/factories';

describe('mapMedicationRequests', () => {
  it('reads RxNorm codes and text, ignores other drugs', () => {
    const { therapies, issues } = mapMedicationRequests([
      medRequest({ rxnorm: '1603296', text: 'Lenvima 8 mg' }),
      medRequest({ text: 'Durvalumab 1500 mg IV' }),
      medRequest({ text: 'Atezolizumab + bevacizumab' }),
      medRequest({ rxnorm: '197361', text: 'amlodipine' }),
    ]);
    expect(issues).toEqual([]);
    expect(therapies.map((t) => [t.agent, t.codedBy])).toEqual([
      ['lenvatinib', 'rxnorm'],
      ['durvalumab', 'text'],
      ['atezolizumab', 'text'],
      ['bevacizumab', 'text'],
    ]);
    expect(therapies[0]?.rxnorm).toBe('1603296');
  });
  it('never matches an RxNorm code without its system', () => {
    const m = medRequest({});
    m.medicationCodeableConcept = { coding: [{ system: 'http://example.org', code: '495881' }] };
    expect(mapMedicationRequests([m]).therapies).toEqual([]);
  });
  it('reads contained and included Medications', () => {
    const contained = medRequest(
      {},
      {
        medicationCodeableConcept: undefined,
        medicationReference: { reference: '#m1' },
        contained: [
          { resourceType: 'Medication', id: 'm1', code: { coding: [{ system: RXNORM, code: '495881' }] } },
        ],
      },
    );
    const included = medRequest(
      {},
      { medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/m2' } },
    );
    const med = { resourceType: 'Medication', id: 'm2', code: { text: 'Regorafenib 40 mg tablet' } };
    const { therapies } = mapMedicationRequests([contained, included, med]);
    expect(therapies.map((t) => t.agent).sort()).toEqual(['regorafenib', 'sorafenib']);
  });
  it('excludes entered-in-error and cancelled; lists malformed', () => {
    const a = medRequest({ text: 'sorafenib' }, { status: 'entered-in-error' });
    const b = medRequest({ text: 'sorafenib' }, { status: 'cancelled' });
    const { therapies, issues } = mapMedicationRequests([
      a,
      b,
      { resourceType: 'MedicationRequest', id: 'bad' },
      7,
    ]);
    expect(therapies).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [a.id, 'excluded'],
      [b.id, 'excluded'],
      ['bad', 'malformed'],
      [undefined, 'malformed'],
    ]);
  });
});

describe('mapPatient', () => {
  it('official name as "Family, Given", MRN from type MR', () => {
    const r = mapPatient(patient());
    expect(r.ok && r.value).toEqual({
      id: 'p1',
      name: 'Testpatient, Teresa Ann',
      birthDate: '1958-04-02',
      gender: 'female',
      mrn: 'MRN-001',
    });
  });
  it('falls back to usual, then text, then "(no name)"', () => {
    const a = mapPatient(patient({ name: [{ use: 'usual', family: 'Doe', given: ['J'] }] }));
    expect(a.ok && a.value.name).toBe('Doe, J');
    const b = mapPatient(patient({ name: [{ text: 'Jay Doe' }] }));
    expect(b.ok && b.value.name).toBe('Jay Doe');
    const c = mapPatient(patient({ name: undefined, identifier: undefined }));
    expect(c.ok && c.value).toEqual({
      id: 'p1',
      name: '(no name)',
      birthDate: '1958-04-02',
      gender: 'female',
    });
  });
  it('malformed Patient → issue, not a throw', () => {
    const r = mapPatient({ resourceType: 'Patient', id: 'p1', name: 'Doe' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issue).toMatchObject({ resourceType: 'Patient', id: 'p1', kind: 'malformed' });
    expect(!r.ok && r.issue.reason).toContain('name');
  });
});

describe('mapConditions', () => {
  it('classifies coded and text conditions', () => {
    const { conditions } = mapConditions([
      condition({ system: ICD10CM, code: 'C22.0' }),
      condition({ system: ICD10CM, code: 'R18.8' }),
      condition({ system: ICD10CM, code: 'I81' }),
      condition({ system: ICD10CM, code: 'C78.00' }),
      condition({ system: SNOMED, code: '25370001' }),
      condition({ text: 'Hepatic encephalopathy grade 2' }),
      condition({ system: ICD10CM, code: 'E11.9', text: 'Type 2 diabetes' }),
    ]);
    expect(conditions.map((c) => [c.kind, c.codedBy])).toEqual([
      ['hcc', 'icd10cm'],
      ['ascites', 'icd10cm'],
      ['portal-vein-thrombosis', 'icd10cm'],
      ['metastasis', 'icd10cm'],
      ['hcc', 'snomed'],
      ['encephalopathy', 'text'],
    ]);
    expect(conditions[0]).toMatchObject({ clinicalStatus: 'active', verificationStatus: 'confirmed' });
  });
  it('excludes refuted and entered-in-error', () => {
    const ver = (code: string) => ({
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }],
      },
    });
    const a = condition({ system: ICD10CM, code: 'I81' }, ver('refuted'));
    const b = condition({ system: ICD10CM, code: 'C22.0' }, ver('entered-in-error'));
    const { conditions, issues } = mapConditions([a, b]);
    expect(conditions).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [a.id, 'excluded'],
      [b.id, 'excluded'],
    ]);
  });
});
