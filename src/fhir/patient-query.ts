import type { PatientSummary } from '../domain/patient';
import { FhirError } from './errors';
import type { QueryResult } from './fetch-queries';
import { mapPatient } from './map/patient';

/** The banner's summary from the plan's Patient read; a malformed Patient is an error, not a guess. */
export function patientSummaryFrom(result: QueryResult): PatientSummary {
  const mapped = mapPatient(result.resources[0]);
  if (!mapped.ok) {
    throw new FhirError('invalid-response', 'The EHR returned a Patient the app could not read.', {
      resourceType: 'Patient',
    });
  }
  return mapped.value;
}
