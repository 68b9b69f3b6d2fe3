/** A tiny two-patient data set for the sandbox server tests (independent of sandbox/scenarios). */
import type { Observation, Resource } from '@medplum/fhirtypes';
import type { ScenarioPatient } from '../../sandbox/server';

export const LOINC = 'http://loinc.org';
export const BILIRUBIN = '1975-2';
export const ALBUMIN = '1751-7';
export const AFP = '1834-1';

export function observation(
  id: string,
  patient: string,
  code: string,
  date: string,
  value: number,
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: { coding: [{ system: LOINC, code }], text: code },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: date,
    valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  };
}

function patientResources(id: string, family: string, given: string): Resource[] {
  const labs: Observation[] = [];
  // Twelve monthly results of each of three codes, 2023-01 … 2023-12.
  for (let month = 1; month <= 12; month++) {
    const date = `2023-${String(month).padStart(2, '0')}-15T08:00:00Z`;
    labs.push(observation(`${id}-bili-${month}`, id, BILIRUBIN, date, 0.5 + month / 10));
    labs.push(observation(`${id}-alb-${month}`, id, ALBUMIN, date, 4 - month / 20));
    labs.push(observation(`${id}-afp-${month}`, id, AFP, date, 10 * month));
  }
  return [
    {
      resourceType: 'Patient',
      id,
      name: [{ use: 'official', family, given: [given] }],
      gender: 'female',
      birthDate: '1955-03-02',
    },
    {
      resourceType: 'Encounter',
      id: `${id}-enc`,
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${id}` },
    },
    ...labs,
    {
      resourceType: 'DiagnosticReport',
      id: `${id}-panel`,
      status: 'final',
      code: { text: 'Liver panel' },
      subject: { reference: `Patient/${id}` },
      effectiveDateTime: '2023-03-15T08:00:00Z',
      result: [{ reference: `Observation/${id}-bili-3` }, { reference: `Observation/${id}-alb-3` }],
    },
    {
      resourceType: 'MedicationRequest',
      id: `${id}-medreq`,
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${id}` },
      medicationReference: { reference: 'Medication/doxorubicin' },
    },
  ];
}

export function fixtureScenarios(): ScenarioPatient[] {
  const shared: Resource[] = [
    { resourceType: 'Practitioner', id: 'dr-sandbox', name: [{ family: 'Sandbox', given: ['Dana'] }] },
    {
      resourceType: 'Medication',
      id: 'doxorubicin',
      code: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '3639' }],
        text: 'doxorubicin',
      },
    },
  ];
  return [
    {
      id: 'pat-a',
      title: 'Patient A <test>',
      summary: 'Responder after two TACE sessions & stable labs.',
      resources: [...shared, ...patientResources('pat-a', 'Alpha', 'Ann')],
    },
    {
      id: 'pat-b',
      title: 'Patient B',
      summary: 'Refractory disease.',
      resources: [...shared, ...patientResources('pat-b', 'Beta', 'Bob')],
    },
  ];
}
